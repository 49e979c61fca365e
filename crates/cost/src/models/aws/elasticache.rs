//! ElastiCache clusters and replication groups.

use super::*;

pub(super) fn elasticache_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if let Got::Known(group) = s(c, "replication_group_id") {
        return Outcome::free(format!("member of replication group {group}: priced on the group"));
    }
    let region = region!(ctx);
    let (engine, engine_assumed) = match s(c, "engine") {
        Got::Known(e) => (e, None),
        Got::Unknown => ("redis", Some("engine unknown until apply: redis assumed".to_owned())),
        Got::Unset => ("redis", None),
    };
    let Got::Known(node_type) = s(c, "node_type") else {
        return Outcome::unknown("node_type is known only after apply and has no default");
    };
    let (nodes, nodes_assumed) = match n(c, "num_cache_nodes") {
        Got::Known(v) => (v, None),
        Got::Unknown => (1.0, Some("num_cache_nodes unknown until apply: 1 assumed".to_owned())),
        Got::Unset => (1.0, None),
    };
    let assumed = [engine_assumed, nodes_assumed]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let assumed = (!assumed.is_empty()).then(|| assumed.join("; "));
    elasticache_nodes(ctx, region, engine, node_type, nodes, assumed)
}

pub(super) fn elasticache_nodes(
    ctx: &Ctx<'_>,
    region: &str,
    engine: &str,
    node_type: &str,
    nodes: f64,
    assumed: Option<String>,
) -> Outcome {
    let mut out = vec![priced_or(
        format!("ElastiCache ({engine}, {node_type})"),
        ctx.hours() * nodes,
        ctx.catalog.elasticache_node_hour(region, engine, node_type),
        region,
        || format!("ElastiCache {engine} {node_type}"),
    )
    .assumed(assumed)
    .note(format!("{nodes} node(s)"))];
    if engine != "memcached" {
        if let Some(gb) = ctx.usage_num("snapshot_storage_size_gb") {
            out.push(priced_or(
                "Backup storage",
                gb,
                ctx.catalog.elasticache_backup_storage(region),
                region,
                || "ElastiCache backup storage".into(),
            ));
        }
    }
    Outcome::new(out)
}

pub(super) fn elasticache_replication_group(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let engine = s(c, "engine").known().unwrap_or("redis");
    let Got::Known(node_type) = s(c, "node_type") else {
        return Outcome::unknown("node_type is known only after apply and has no default");
    };
    let (nodes, assumed) = match (n(c, "num_cache_clusters"), n(c, "num_node_groups")) {
        (Got::Known(v), _) => (v, None),
        (_, Got::Known(groups)) => {
            let replicas = n(c, "replicas_per_node_group").known().unwrap_or(0.0);
            (groups * (replicas + 1.0), None)
        }
        _ => (
            1.0,
            Some("num_cache_clusters and num_node_groups unknown until apply: 1 node assumed".to_owned()),
        ),
    };
    elasticache_nodes(ctx, region, engine, node_type, nodes, assumed)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_elasticache_cluster"],
        priced_from: r#"node hours x `num_cache_nodes`; snapshot storage from usage"#,
        assumptions: r#"member of a replication group: free (priced on the group); engine unset: redis"#,
    },
    ModelDoc {
        types: &["aws_elasticache_replication_group"],
        priced_from: r#"node hours x `num_cache_clusters` or `num_node_groups` x (`replicas_per_node_group` + 1)"#,
        assumptions: r#"both unknown: 1 node. Valkey: the Redis price x 0.8 (AWS's list price rule)"#,
    },
];
