//! Global Accelerator accelerators.

use super::*;

pub(super) fn globalaccelerator_accelerator(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Accelerator fixed fee",
        ctx.hours(),
        ctx.catalog.aws_service("global_accelerator_hour", region, &[]),
        region,
        || "Global Accelerator".into(),
    )
    .note("premium data transfer (DT-Premium) is not priced")])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_globalaccelerator_accelerator"],
    priced_from: r#"fixed fee hours ($0.025/h)"#,
    assumptions: r#"premium data transfer not priced"#,
}];
