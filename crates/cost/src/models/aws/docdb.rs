//! DocumentDB clusters and instances.

use super::*;

pub(super) fn docdb_cluster_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let class = match s(c, "instance_class") {
        Got::Known(t) => t,
        _ => return Outcome::unknown("instance_class unknown until apply"),
    };
    Outcome::new(vec![priced_or(
        format!("Database instance ({class})"),
        ctx.hours(),
        ctx.catalog.aws_service("docdb_instance_hour", region, &[class]),
        region,
        || format!("DocumentDB {class}"),
    )])
}

pub(super) fn docdb_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if let Got::Known("iopt1") = s(c, "storage_type") {
        return Outcome::unknown("no price in the catalog for DocumentDB I/O-Optimized storage");
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
        cat.aws_service("docdb_storage", region, &[]),
        region,
    );
    usage_component(
        &mut out,
        ctx,
        "I/O requests",
        "monthly_io_requests",
        1e-6,
        cat.aws_service("docdb_io_requests", region, &[]),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_docdb_cluster_instance"],
        priced_from: r#"instance hours by `instance_class` (db.t3.medium, db.r5.large to 4xlarge; standard storage configuration)"#,
        assumptions: r#"other classes: unknown (no price)"#,
    },
    ModelDoc {
        types: &["aws_docdb_cluster"],
        priced_from: r#"usage-based: storage (`storage_gb`), I/O (`monthly_io_requests`)"#,
        assumptions: r#"I/O-Optimized (`storage_type = iopt1`): unknown"#,
    },
];
