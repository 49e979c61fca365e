//! Redshift provisioned clusters.

use super::*;

pub(super) fn redshift_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let node_type = match s(c, "node_type") {
        Got::Known(t) => t,
        _ => return Outcome::unknown("node_type unknown until apply"),
    };
    let (nodes, assumed) = match (s(c, "cluster_type"), n(c, "number_of_nodes")) {
        (Got::Known("single-node"), _) => (1.0, None),
        (_, Got::Known(count)) => (count, None),
        (_, Got::Unset) => (1.0, None),
        (_, Got::Unknown) => (
            1.0,
            Some("number_of_nodes unknown until apply: 1 assumed (the default)".to_owned()),
        ),
    };
    let cat = ctx.catalog;
    let mut out = vec![priced_or(
        format!("Cluster nodes ({node_type})"),
        nodes * ctx.hours(),
        cat.aws_service("redshift_node_hour", region, &[node_type]),
        region,
        || format!("Redshift {node_type}"),
    )
    .assumed(assumed)];
    if node_type.starts_with("ra3.") {
        usage_component(
            &mut out,
            ctx,
            "Managed storage",
            "managed_storage_gb",
            1.0,
            cat.aws_service("redshift_managed_storage", region, &[]),
            region,
        );
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_redshift_cluster"],
    priced_from: r#"`number_of_nodes` x node hours by `node_type` (dc2.large, dc2.8xlarge, ra3.xlplus, ra3.4xlarge, ra3.16xlarge); RA3 managed storage from usage (`managed_storage_gb`)"#,
    assumptions: r#"`number_of_nodes` unset/unknown: 1; other node types: unknown (no price); concurrency scaling, Spectrum and backups not priced"#,
}];
