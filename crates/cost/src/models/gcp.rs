//! Google Cloud cost models, one module per service family (`gcp/<family>.rs`: compute
//! instances, disks, addresses, Cloud NAT; buckets); this module registers them.

use std::collections::HashMap;

use planguard_plan::Cursor;

use super::{
    block, blocks, n, priced, priced_or, s, unknown, usage_component, ComponentExt, Ctx, Got, Model, ModelDoc, Outcome,
};

pub(crate) fn register(m: &mut HashMap<&'static str, Model>) {
    m.insert("google_compute_instance", compute_instance);
    m.insert("google_compute_disk", compute_disk);
    m.insert("google_compute_region_disk", compute_disk);
    m.insert("google_compute_address", compute_address);
    m.insert("google_compute_router_nat", router_nat);
    m.insert("google_storage_bucket", storage_bucket);
    m.insert("google_compute_vpn_tunnel", vpn_tunnel);
    m.insert("google_compute_snapshot", compute_snapshot);
    m.insert("google_container_node_pool", container_node_pool);
    m.insert("google_compute_instance_group_manager", instance_group_manager);
    m.insert("google_compute_region_instance_group_manager", instance_group_manager);
}

macro_rules! region {
    ($ctx:expr) => {
        match $ctx.region() {
            Ok(r) => r,
            Err(o) => return o,
        }
    };
}

// One module per service family.
mod compute;
mod gke;
mod groups;
mod network;
mod storage;

use self::{compute::*, gke::*, groups::*, network::*, storage::*};

/// The documentation of every Google model, family by family.
pub(crate) fn docs() -> Vec<&'static ModelDoc> {
    [compute::DOCS, groups::DOCS, network::DOCS, gke::DOCS, storage::DOCS]
        .into_iter()
        .flatten()
        .collect()
}
