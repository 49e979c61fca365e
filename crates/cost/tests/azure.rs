//! Azure models on a hand-written azurerm plan (no azurerm provider offline):
//! fixtures/cost/azure, figures derived by hand in its expected.md from the catalog's prices.

use std::path::Path;

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status};

fn report() -> CostReport {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cost/azure/plan.json");
    let loaded = planguard_plan::load_file(&path, &Default::default()).expect("fixture plan loads");
    estimate(&loaded.plan, Catalog::embedded(), None).expect("estimate")
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
fn azure_models() {
    let r = report();
    // D2_v3 linux 0.096 * 730 = 70.08 + P4 (30 GB assumed) 5.28
    after(&r, "azurerm_linux_virtual_machine.web", 75.36);
    // D2_v2 windows 0.238 * 730 = 173.74 + E4 2.40
    after(&r, "azurerm_windows_virtual_machine.ad", 176.14);
    // S10 (100 GB) 5.89
    after(&r, "azurerm_managed_disk.data", 5.89);
    // static regional 0.005 * 730
    after(&r, "azurerm_public_ip.lb", 3.65);
    // 0.1 * 730 + 3 * 0.146 * 730
    after(&r, "azurerm_kubernetes_cluster.aks", 392.74);
    // Premium_P1 0.277 * 730 * 2 nodes
    after(&r, "azurerm_redis_cache.cache", 404.42);
    // linux B1 0.017 * 730 * 2
    after(&r, "azurerm_service_plan.plan", 24.82);
    let elsewhere = res(&r, "azurerm_linux_virtual_machine.elsewhere");
    assert_eq!(elsewhere.status, Status::Unknown);
    assert!(elsewhere.reason.as_deref().unwrap_or_default().contains("westus2"));
    for free in [
        "azurerm_lb.basic",
        "azurerm_resource_group.main",
        "azurerm_virtual_network.main",
    ] {
        assert_eq!(res(&r, free).status, Status::Free, "{free}");
    }
    let kv = r
        .unsupported
        .iter()
        .find(|u| u.resource_type == "azurerm_key_vault")
        .expect("key vault unsupported");
    assert!(kv.reason.contains("Azure"));
    insta::assert_snapshot!("azure_text", render_text(&r, false));
}
