//! ECR repositories.

use super::*;

pub(super) fn ecr_repository(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Storage",
        "storage_gb",
        1.0,
        ctx.catalog.ecr_storage(region),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_ecr_repository"],
    priced_from: r#"usage-based storage"#,
    assumptions: r#""#,
}];
