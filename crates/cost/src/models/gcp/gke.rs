//! GKE node pools: the nodes as Compute Engine instances with their boot disks.

use super::compute::{disk_component, last_segment};
use super::*;

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

pub(super) fn container_node_pool(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let Got::Known(location) = s(c, "location") else {
        return Outcome::unknown("location is known only after apply");
    };
    let (region, zonal) = split_location(location);
    let mut assumed = Vec::new();
    let per_zone = match n(c, "node_count") {
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
                _ => return Outcome::unknown("node_count is known only after apply"),
            },
        },
    };
    let zones = match c.get("node_locations").known().and_then(|v| v.as_array()) {
        Some(list) if !list.is_empty() => list.len() as f64,
        _ if zonal => 1.0,
        _ => {
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
            return Outcome::unknown("Spot/preemptible nodes: the catalog has on-demand prices only");
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
    let mut disk = disk_component(ctx, region, "Boot disks", disk_type, disk_gb * nodes, false, None);
    disk = disk.note(format!("{nodes} × {disk_gb} GB"));
    Outcome::new(vec![
        priced_or(
            format!("Instance usage ({machine}, on-demand)"),
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

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_container_node_pool"],
    priced_from: r#"nodes (`node_count` per zone × zones) × machine hours; boot disks; region from `location`"#,
    assumptions: r#"node_config unset: **e2-medium**, **100 GB pd-balanced**; autoscaled: `min_node_count`; regional pool without `node_locations`: **3 zones**; spot/preemptible: unknown"#,
}];
