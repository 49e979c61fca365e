//! AWS Config recorders and rules.

use super::*;

pub(super) fn config_recorder(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    for (name, key) in [
        ("Configuration items", "monthly_config_items"),
        ("Custom configuration items", "monthly_custom_config_items"),
    ] {
        let price = ctx.catalog.aws_service("config_items", region, &[]);
        usage_component(&mut out, ctx, name, key, 1.0, price, region);
    }
    Outcome::usage(out)
}

pub(super) fn config_rule(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Rule evaluations",
        "monthly_rule_evaluations",
        1.0,
        ctx.catalog.aws_service("config_rule_evaluations", region, &[]),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_config_configuration_recorder"],
        priced_from: r#"usage-based: configuration items recorded (`monthly_config_items`, `monthly_custom_config_items`), continuous recording"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &[
            "aws_config_config_rule",
            "aws_config_organization_custom_rule",
            "aws_config_organization_managed_rule",
        ],
        priced_from: r#"usage-based: rule evaluations (`monthly_rule_evaluations`) at the first tier (100,000 per account)"#,
        assumptions: r#""#,
    },
];
