//! Neptune cluster instances.

use super::*;

pub(super) fn neptune_cluster_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let class = match s(c, "instance_class") {
        Got::Known(t) => t,
        _ => return Outcome::unknown("instance_class unknown until apply"),
    };
    Outcome::new(vec![priced_or(
        format!("Database instance ({class})"),
        ctx.hours(),
        ctx.catalog.aws_service("neptune_instance_hour", region, &[class]),
        region,
        || format!("Neptune {class}"),
    )
    .note("storage and I/O are billed on the cluster and are not priced")])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_neptune_cluster_instance"],
    priced_from: r#"instance hours by `instance_class` (db.t3.medium, db.r5.large to 4xlarge; standard storage configuration)"#,
    assumptions: r#"other classes: unknown (no price); cluster storage and I/O not priced"#,
}];
