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
