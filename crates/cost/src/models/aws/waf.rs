//! WAF (classic) and WAFv2 web ACLs.

use super::*;

fn web_acl(ctx: &Ctx<'_>, c: Cursor<'_>, rule_block: &str) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let mut out = vec![priced_or(
        "Web ACL",
        1.0,
        cat.aws_service("waf_month", region, &["web_acl"]),
        region,
        || "WAF web ACL".into(),
    )];
    match blocks(c, rule_block) {
        Some(rules) => out.push(
            priced_or(
                "Rules",
                rules.len() as f64,
                cat.aws_service("waf_month", region, &["rule"]),
                region,
                || "WAF rule".into(),
            )
            .note("managed rule group subscriptions (Marketplace, Bot Control, Fraud Control) are not priced"),
        ),
        None => out.push(unknown("Rules", "month", "the rule list is unknown until apply")),
    }
    usage_component(
        &mut out,
        ctx,
        "Requests",
        "monthly_requests",
        1e-6,
        cat.aws_service("waf_requests", region, &[]),
        region,
    );
    Outcome::new(out)
}

pub(super) fn waf_web_acl(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    web_acl(ctx, c, "rules")
}

pub(super) fn wafv2_web_acl(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    web_acl(ctx, c, "rule")
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_waf_web_acl", "aws_wafv2_web_acl"],
    priced_from: r#"web ACL-month + rule-months (one per `rules` / `rule` block) + requests (`monthly_requests`)"#,
    assumptions: r#"rules unknown: unknown component (partial); managed rule group subscriptions not priced"#,
}];
