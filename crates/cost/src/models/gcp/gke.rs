//! GKE: clusters (management fee, default and inline node pools) and node pools (the nodes as
//! Compute Engine instances with their boot disks).

use super::compute::{disk_component, last_segment};
use super::*;
use crate::report::Component;

/// GKE's node defaults (node_config unset): e2-medium, 100 GB pd-balanced boot disk.
const DEFAULT_MACHINE: &str = "e2-medium";
const DEFAULT_NODE_DISK_GB: f64 = 100.0;
const DEFAULT_NODE_DISK: &str = "pd-balanced";
/// Zones a regional pool spreads over when `node_locations` is not given.
const DEFAULT_REGION_ZONES: f64 = 3.0;

/// `us-central1-a` is a zone (a region plus one letter); `us-central1` a region.
fn split_location(location: &str) -> (&str, bool) {
    match location.rsplit_once('-') {
        Some((region, z)) if z.len() == 1 && z.chars().all(|c| c.is_ascii_lowercase()) => (region, true),
        _ => (location, false),
    }
}

/// Where a pool's settings are read from: a `google_container_node_pool`, an inline
/// `node_pool` block of a cluster, or the cluster itself for its default pool.
struct PoolSource<'a> {
    /// The block holding `node_config`, `node_locations` and the node counts.
    at: Cursor<'a>,
    /// Node locations to use when `at` has none (an inline pool inherits its cluster's).
    inherited_locations: Option<Cursor<'a>>,
    /// A zonal cluster's zone: its `node_locations` list only the *additional* zones (the
    /// provider asks to omit the cluster's own), so the cluster's zone is added to them.
    cluster_zone: Option<&'a str>,
    /// The default pool has only `initial_node_count`.
    default_pool: bool,
}

/// The components of one pool's nodes, or why the pool can't be priced.
fn pool_components(
    ctx: &Ctx<'_>,
    pool: &PoolSource<'_>,
    region: &str,
    zonal: bool,
    label: &str,
) -> Result<Vec<Component>, String> {
    let c = pool.at;
    let mut assumed = Vec::new();
    let per_zone = if pool.default_pool {
        match n(c, "initial_node_count") {
            Got::Known(v) => v,
            _ => return Err("initial_node_count (the default pool's size) is known only after apply".into()),
        }
    } else {
        match n(c, "node_count") {
            Got::Known(v) => v,
            _ => match block(c, "autoscaling").known().map(|a| n(a, "min_node_count")) {
                Some(Got::Known(v)) => {
                    assumed.push(format!(
                        "node_count unknown (autoscaled): min_node_count {v} per zone assumed"
                    ));
                    v
                }
                _ => match n(c, "initial_node_count") {
                    Got::Known(v) => v,
                    _ => return Err("node_count is known only after apply".into()),
                },
            },
        }
    };
    let listed = |at: Cursor<'_>, with_zone: Option<&str>| {
        at.get("node_locations")
            .known()
            .and_then(|v| v.as_array())
            .filter(|l| !l.is_empty())
            .map(|l| {
                let mut zones: Vec<&str> = l.iter().filter_map(|z| z.as_str()).collect();
                zones.extend(with_zone);
                zones.sort_unstable();
                zones.dedup();
                zones.len().max(l.len()) as f64
            })
    };
    let own = listed(c, if pool.default_pool { pool.cluster_zone } else { None });
    let zones = match own.or_else(|| pool.inherited_locations.and_then(|at| listed(at, pool.cluster_zone))) {
        Some(count) => count,
        None if zonal => 1.0,
        None => {
            assumed.push(format!(
                "regional pool without node_locations: {DEFAULT_REGION_ZONES} zones assumed"
            ));
            DEFAULT_REGION_ZONES
        }
    };
    let nodes = per_zone * zones;
    let config = block(c, "node_config").known();
    if let Some(cfg) = config {
        let spot = crate::models::b(cfg, "spot").known() == Some(true);
        if spot || crate::models::b(cfg, "preemptible").known() == Some(true) {
            return Err("Spot/preemptible nodes: the catalog has on-demand prices only".into());
        }
    }
    if config.is_none() {
        assumed.push(format!(
            "node_config not set or unknown: {DEFAULT_MACHINE}, {DEFAULT_NODE_DISK_GB} GB {DEFAULT_NODE_DISK} assumed (GKE defaults)"
        ));
    }
    let get = |key: &str| config.and_then(|cfg| s(cfg, key).known());
    let machine = get("machine_type").map_or(DEFAULT_MACHINE, last_segment);
    let disk_type = get("disk_type").unwrap_or(DEFAULT_NODE_DISK);
    let disk_gb = config
        .and_then(|cfg| n(cfg, "disk_size_gb").known())
        .unwrap_or(DEFAULT_NODE_DISK_GB);
    let assumed = (!assumed.is_empty()).then(|| assumed.join("; "));
    let disk_label = if label.is_empty() {
        "Boot disks".to_owned()
    } else {
        format!("{label}: boot disks")
    };
    let mut disk = disk_component(ctx, region, &disk_label, disk_type, disk_gb * nodes, false, None);
    disk = disk.note(format!("{nodes} × {disk_gb} GB"));
    let instance_label = if label.is_empty() {
        format!("Instance usage ({machine}, on-demand)")
    } else {
        format!("{label}: instance usage ({machine}, on-demand)")
    };
    Ok(vec![
        priced_or(
            instance_label,
            ctx.hours() * nodes,
            ctx.catalog.gcp_machine_hour(region, machine),
            region,
            || format!("machine type {machine}"),
        )
        .note(format!("{nodes} node(s)"))
        .assumed(assumed),
        disk,
    ])
}

pub(super) fn container_node_pool(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let Got::Known(location) = s(c, "location") else {
        return Outcome::unknown("location is known only after apply");
    };
    let (region, zonal) = split_location(location);
    let pool = PoolSource {
        at: c,
        inherited_locations: None,
        cluster_zone: None,
        default_pool: false,
    };
    match pool_components(ctx, &pool, region, zonal, "") {
        Ok(components) => Outcome::new(components),
        Err(reason) => Outcome::unknown(reason),
    }
}

/// A cluster: the flat management fee, plus the nodes it creates itself (its inline
/// `node_pool` blocks, or its default pool unless `remove_default_node_pool`). Separate
/// `google_container_node_pool` resources are priced on their own.
pub(super) fn container_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let Got::Known(location) = s(c, "location") else {
        return Outcome::unknown("location is known only after apply");
    };
    let (region, zonal) = split_location(location);
    let mut out = vec![priced_or(
        "Cluster management fee",
        ctx.hours(),
        ctx.catalog.gcp_service("gke_cluster_management_hour", region, &[]),
        region,
        || "the GKE cluster management fee".into(),
    )
    .note("GKE's monthly free-tier credit (one zonal or Autopilot cluster per billing account) is not applied")];
    if crate::models::b(c, "enable_autopilot").known() == Some(true) {
        out.push(unknown(
            "Autopilot Pod resources",
            "",
            "Autopilot bills the vCPU, memory and storage the Pods request; the catalog has no Autopilot prices",
        ));
        return Outcome::new(out);
    }
    // `node_pool` is computed (unknown until apply) when the configuration writes no inline
    // pool: the API fills it with the default pool or the separate node-pool resources.
    let configured_inline = ctx
        .plan
        .config_resource(&ctx.rc.addr)
        .map(|config| config.resource.expressions.contains_key("node_pool"));
    let pools = match (blocks(c, "node_pool"), configured_inline) {
        (Some(list), _) => list,
        (None, Some(false)) => Vec::new(),
        (None, _) => {
            out.push(unknown("Node pools", "", "node_pool blocks are known only after apply"));
            return Outcome::new(out);
        }
    };
    if pools.is_empty() {
        match crate::models::b(c, "remove_default_node_pool") {
            Got::Known(true) => {}
            Got::Unknown => out.push(unknown(
                "Default node pool",
                "",
                "remove_default_node_pool is known only after apply",
            )),
            _ => {
                let pool = PoolSource {
                    at: c,
                    inherited_locations: None,
                    cluster_zone: zonal.then_some(location),
                    default_pool: true,
                };
                match pool_components(ctx, &pool, region, zonal, "Default pool") {
                    Ok(components) => out.extend(components),
                    Err(reason) => out.push(unknown("Default node pool", "", reason)),
                }
            }
        }
    }
    for (i, at) in pools.into_iter().enumerate() {
        let label = match s(at, "name") {
            Got::Known(name) if name != planguard_plan::SENSITIVE => format!("Node pool {name}"),
            _ => format!("Node pool {}", i + 1),
        };
        let pool = PoolSource {
            at,
            inherited_locations: Some(c),
            cluster_zone: zonal.then_some(location),
            default_pool: false,
        };
        match pool_components(ctx, &pool, region, zonal, &label) {
            Ok(components) => out.extend(components),
            Err(reason) => out.push(unknown(label, "", reason)),
        }
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["google_container_cluster"],
        priced_from: r#"management fee hours (`gcp.services.gke_cluster_management_hour`, $0.10/h); the default pool (`initial_node_count` per zone × zones; a zonal cluster's `node_locations` plus its own zone) unless `remove_default_node_pool`, or each inline `node_pool` block, as node pools"#,
        assumptions: r#"free-tier credit not applied; Autopilot Pod resources: unknown (`partial`); `initial_node_count` unknown: the pool is unknown; node pool defaults as below"#,
    },
    ModelDoc {
        types: &["google_container_node_pool"],
        priced_from: r#"nodes (`node_count` per zone × zones) × machine hours; boot disks; region from `location`"#,
        assumptions: r#"node_config unset: **e2-medium**, **100 GB pd-balanced**; autoscaled: `min_node_count`; regional pool without `node_locations`: **3 zones**; spot/preemptible: unknown"#,
    },
];
