//! EFS file systems.

use super::*;

pub(super) fn efs_file_system(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Storage (Standard)",
        "storage_gb",
        1.0,
        ctx.catalog.efs(region),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_efs_file_system"],
    priced_from: r#"usage-based storage"#,
    assumptions: r#""#,
}];
