//! Cloud Load Balancing: forwarding rules (regional and global). Target proxies, URL maps and
//! backend services are free: a load balancer is billed through its forwarding rules.

use super::*;

/// The published rates are per billing project: the first five rules together cost the
/// first-tier rate, each rule beyond them the additional rate. A plan shows one rule at a
/// time, so each is priced at the first-tier rate (an upper bound: a project pays it once for up to five rules).
const RULE_TIER: &str = "first_5";

pub(super) fn forwarding_rule(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let global = ctx.rc.resource_type == "google_compute_global_forwarding_rule";
    if let Got::Known(target) = s(c, "target") {
        if target.contains("serviceAttachments") || target == "all-apis" || target == "vpc-sc" {
            return Outcome::unknown(
                "a Private Service Connect forwarding rule: PSC endpoint prices are not in the catalog",
            );
        }
    }
    let region = if global {
        "global"
    } else {
        match ctx.region() {
            Ok(r) => r,
            Err(o) => return o,
        }
    };
    let cat = ctx.catalog;
    let mut rule = priced_or(
        "Forwarding rule",
        ctx.hours(),
        cat.gcp_service("lb_forwarding_rule_hour", region, &[RULE_TIER]),
        region,
        || "forwarding rules".into(),
    )
    .assumed(Some(
        "the first-5-rules rate ($0.025/h covers up to five rules of a project; each further rule is $0.01/h): an upper bound: a project pays it once for up to five rules".into(),
    ));
    if !global && rule.monthly.is_some() {
        rule.approximate = Some(format!(
            "global forwarding-rule rate used: the catalog has no regional forwarding-rule rate for {region}"
        ));
    }
    let mut out = vec![rule];
    usage_component(
        &mut out,
        ctx,
        "Inbound data processed",
        "monthly_ingress_data_gb",
        1.0,
        cat.gcp_service("lb_data_processed", region, &["inbound"]),
        region,
    );
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &[
        "google_compute_forwarding_rule",
        "google_compute_global_forwarding_rule",
    ],
    priced_from: r#"rule hours (`gcp.services.lb_forwarding_rule_hour`, the global rate; regional rules flagged `approximate`) + inbound data processed (`monthly_ingress_data_gb`, us-central1 rate)"#,
    assumptions: r#"every rule at the first-5-rules rate (an upper bound: a project pays it once for up to five rules); Private Service Connect rules: unknown"#,
}];
