//! Cloud Functions (1st gen): usage-based invocations.

use super::*;

pub(super) fn cloudfunctions_function(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = ctx.region().unwrap_or("global");
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Invocations",
        "monthly_function_invocations",
        1e-6,
        ctx.catalog.gcp_service("functions_invocations", region, &[]),
        region,
    );
    let invocations = ctx.usage_num("monthly_function_invocations").unwrap_or(0.0);
    if invocations > 0.0 && ctx.usage_num("request_duration_ms").is_some_and(|d| d > 0.0) {
        out.push(unknown(
            "Compute time (GB-seconds, GHz-seconds)",
            "",
            "no Cloud Functions compute-time price in the catalog",
        ));
    }
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_cloudfunctions_function"],
    priced_from: r#"usage-based `monthly_function_invocations` (per 1M)"#,
    assumptions: r#"compute time (`request_duration_ms`): unknown (no price in the catalog)"#,
}];
