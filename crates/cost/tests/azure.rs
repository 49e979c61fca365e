//! Azure models on a hand-written azurerm plan (no azurerm provider offline):
//! fixtures/cost/azure, figures derived by hand in its expected.md from the catalog's prices.

use std::path::Path;

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status, Usage};

fn report() -> CostReport {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cost/azure");
    let loaded = planguard_plan::load_file(&dir.join("plan.json"), &Default::default()).expect("fixture plan loads");
    let bytes = std::fs::read(dir.join("usage.yml")).expect("usage file");
    let usage = Usage::from_slice(&bytes, "fixtures/cost/azure/usage.yml").expect("usage parses");
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
    // 4 * (0.0104 * 730 + S4 1.536)
    after(&r, "azurerm_linux_virtual_machine_scale_set.vmss", 36.512);
    // D8s_v3 linux 0.384 * 730 = 280.32 + P10 19.71
    after(&r, "azurerm_virtual_machine.legacy", 300.03);
    // region from the referenced cluster (East US): 2 * 0.146 * 730
    after(&r, "azurerm_kubernetes_cluster_node_pool.extra", 213.16);
    // region from the referenced server; S1 0.04032 * 730 = 29.4336, storage unknown: partial
    let db = res(&r, "azurerm_mssql_database.db");
    assert_eq!(db.status, Status::Partial);
    assert!((db.monthly_after.unwrap_or_default() - 29.4336).abs() < 1e-6);
    // B1ms eastus 0.017 * 730 = 12.41 + 64 GB * 0.12 = 7.68
    after(&r, "azurerm_postgresql_flexible_server.pg", 20.09);
    // D2ads_v5 westus 0.195 * 730 = 142.35 + 20 GB (assumed) * 0.138 = 2.76
    after(&r, "azurerm_mysql_flexible_server.my", 145.11);
    // westeurope 0.045 * 730 = 32.85 + 100 GB * 0.045 = 4.50
    after(&r, "azurerm_nat_gateway.nat", 37.35);
    // Standard 1.25 * 730 = 912.50 + 1000 GB * 0.016 = 16.00
    after(&r, "azurerm_firewall.fw", 928.5);
    // WAF v2 0.36 * 730 = 262.80 + 10 CU * 730 * 0.0144 = 105.12
    after(&r, "azurerm_application_gateway.agw", 367.92);
    // westus StorageV2 Standard LRS Hot 1000 GB * 0.021
    after(&r, "azurerm_storage_account.sa", 21.0);
    assert!(
        r.warnings.iter().all(|w| !w.contains("no usage model")),
        "{:?}",
        r.warnings
    );
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
