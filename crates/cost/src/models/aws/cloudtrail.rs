//! CloudTrail trails.

use super::*;

pub(super) fn cloudtrail(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let price = |event: &str| ctx.catalog.aws_service("cloudtrail_events", region, &[event]);
    let mut out = Vec::new();
    // The first copy of management events of an account is free: only further trails'
    // copies are billed, which the plan can't tell; the usage file says how many.
    for (name, key, event) in [
        (
            "Additional management events",
            "monthly_additional_management_events",
            "management",
        ),
        ("Data events", "monthly_data_events", "data"),
        ("Insights events analyzed", "monthly_insight_events", "insights"),
    ] {
        usage_component(&mut out, ctx, name, key, 1e-5, price(event), region);
    }
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_cloudtrail"],
    priced_from: r#"usage-based, per 100,000 events: additional copies of management events (`monthly_additional_management_events`, $2.00), data events (`monthly_data_events`, $0.10), Insights events analyzed (`monthly_insight_events`, $0.35)"#,
    assumptions: r#"the account's first copy of management events is free (not counted unless given as additional)"#,
}];
