//! GKE node pools and Cloud VPN tunnels on a hand-written google plan (no google provider
//! offline): fixtures/cost/gcp-gke-vpn, figures derived by hand in its expected.md.

use std::path::Path;

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status, Usage};

fn report() -> CostReport {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cost/gcp-gke-vpn");
    let loaded = planguard_plan::load_file(&dir.join("plan.json"), &Default::default()).expect("fixture plan loads");
    let bytes = std::fs::read(dir.join("usage.yml")).expect("usage file");
    let usage = Usage::from_slice(&bytes, "fixtures/cost/gcp-gke-vpn/usage.yml").expect("usage parses");
    estimate(&loaded.plan, Catalog::embedded(), Some(&usage)).expect("estimate")
}

fn res<'r>(r: &'r CostReport, address: &str) -> &'r ResourceCost {
    r.resources
        .iter()
        .find(|x| x.address == address)
        .unwrap_or_else(|| panic!("{address} not in the report"))
}

#[track_caller]
fn after(r: &CostReport, address: &str, expected: f64) {
    let x = res(r, address);
    let a = x
        .monthly_after
        .unwrap_or_else(|| panic!("{address}: {:?} {:?}", x.status, x.reason));
    assert!((a - expected).abs() < 1e-6, "{address}: expected {expected}, got {a}");
}

#[test]
fn gke_node_pools_and_vpn_tunnels() {
    let r = report();
    // 3 * e2-medium 0.03350571 * 730 = 73.3775049 + 300 GB pd-balanced * 0.10
    after(&r, "google_container_node_pool.default", 103.3775049);
    // 3 zones assumed * n2-standard-4 0.213668 * 730 = 467.93292 + 150 GB pd-ssd * 0.17
    after(&r, "google_container_node_pool.regional", 493.43292);
    assert_eq!(res(&r, "google_container_node_pool.spot").status, Status::Unknown);
    // 0.05 * 730
    after(&r, "google_compute_vpn_tunnel.t", 36.5);
    assert_eq!(res(&r, "google_compute_ha_vpn_gateway.gw").status, Status::Free);
    // template followed through the configuration reference: 2 * 0.06701142 * 730 + 40 GB * 0.10
    after(&r, "google_compute_instance_group_manager.web", 101.8366732);
    assert_eq!(res(&r, "google_compute_instance_template.web").status, Status::Free);
    // usage 200 GB * snapshot 0.05 (us-central1, from the zone)
    after(&r, "google_compute_snapshot.nightly", 10.0);
    assert_eq!(res(&r, "google_compute_snapshot.nightly").status, Status::UsageBased);
    assert!(
        r.warnings.iter().all(|w| !w.contains("no usage model")),
        "{:?}",
        r.warnings
    );
    let text = render_text(&r, false);
    assert!(!text.contains("\"x\""), "the sensitive shared secret never appears");
    insta::assert_snapshot!("gcp_gke_vpn_text", text);
}
