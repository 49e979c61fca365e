//! Neptune clusters and instances; DocumentDB and Neptune cluster snapshots.

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

pub(super) fn neptune_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if let Got::Known("iopt1") = s(c, "storage_type") {
        return Outcome::unknown("no price in the catalog for Neptune I/O-Optimized storage");
    }
    let region = region!(ctx);
    let cat = ctx.catalog;
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Storage",
        "storage_gb",
        1.0,
        cat.aws_service("neptune_storage", region, &[]),
        region,
    );
    usage_component(
        &mut out,
        ctx,
        "I/O requests",
        "monthly_io_requests",
        1e-6,
        cat.aws_service("neptune_io_requests", region, &[]),
        region,
    );
    Outcome::usage(out)
}

/// Backup storage of a manual cluster snapshot (DocumentDB, Neptune), from usage.
pub(super) fn cluster_snapshot(ctx: &Ctx<'_>, engine: &str) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Backup storage",
        "backup_storage_gb",
        1.0,
        ctx.catalog.aws_service("cluster_snapshot_storage", region, &[engine]),
        region,
    );
    Outcome::usage(out)
}

pub(super) fn neptune_cluster_snapshot(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    cluster_snapshot(ctx, "neptune")
}

pub(super) fn docdb_cluster_snapshot(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    cluster_snapshot(ctx, "docdb")
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_neptune_cluster_instance"],
        priced_from: r#"instance hours by `instance_class` (db.t3.medium, db.r5.large to 4xlarge; standard storage configuration)"#,
        assumptions: r#"other classes: unknown (no price); cluster storage and I/O not priced"#,
    },
    ModelDoc {
        types: &["aws_neptune_cluster"],
        priced_from: r#"usage-based: storage (`storage_gb`), I/O (`monthly_io_requests`)"#,
        assumptions: r#"I/O-Optimized (`storage_type = iopt1`): unknown"#,
    },
    ModelDoc {
        types: &["aws_docdb_cluster_snapshot", "aws_neptune_cluster_snapshot"],
        priced_from: r#"usage-based: backup storage (`backup_storage_gb`)"#,
        assumptions: r#""#,
    },
];
