//! CloudFront functions.

use super::*;

pub(super) fn cloudfront_function(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Invocations",
        "monthly_requests",
        1e-6,
        ctx.catalog.aws_service("cloudfront_function_invocations", region, &[]),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_cloudfront_function"],
    priced_from: r#"usage-based: invocations (`monthly_requests`, per 1M)"#,
    assumptions: r#""#,
}];
