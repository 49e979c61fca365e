//! The models priced from the shared pricing's added sections (Windows, RDS SQL Server and
//! Oracle, Valkey, Dedicated Hosts) on a plan of the real AWS provider 5.100.0
//! (fixtures/cost/aws-licensed). Each figure derived by hand from the catalog's unit prices.

use std::path::{Path, PathBuf};

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status, Usage};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cost/aws-licensed")
        .join(rel)
}

fn report() -> CostReport {
    let loaded = planguard_plan::load_file(&fixture("plan.json"), &Default::default()).expect("fixture plan loads");
    let bytes = std::fs::read(fixture("usage.yml")).expect("usage file");
    let usage = Usage::from_slice(&bytes, "fixtures/cost/aws-licensed/usage.yml").expect("usage parses");
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
    assert_eq!(x.status, Status::Priced, "{address}: {:?}", x.reason);
    let a = x.monthly_after.expect("known");
    assert!((a - expected).abs() < 1e-6, "{address}: expected {expected}, got {a}");
}

#[test]
fn licensed_engines_windows_valkey_and_hosts() {
    let r = report();
    // Windows m5.xlarge us-east-1 0.376 * 730 = 274.48; gp3 root 50 GB * 0.08 = 4.00
    after(&r, "aws_instance.windows", 278.48);
    // SQL Server SE licence included db.m5.xlarge 1.224 * 730 = 893.52; gp2 200 GB * 0.115 = 23.00
    after(&r, "aws_db_instance.sqlserver_se", 916.52);
    // eu-west-1 Multi-AZ: 2.52 * 730 = 1839.60; gp2 Multi-AZ 200 GB * (0.127 * 2) = 50.80
    after(&r, "aws_db_instance.sqlserver_se_eu", 1890.4);
    // Oracle SE2 licence included db.m5.large 0.438 * 730 = 319.74; gp3 100 GB * 0.115 = 11.50
    after(&r, "aws_db_instance.oracle_se2", 331.24);
    // Oracle EE BYOL db.m5.large 0.171 * 730 = 124.83; gp2 100 GB * 0.115 = 11.50
    after(&r, "aws_db_instance.oracle_ee", 136.33);
    // Valkey = Redis x 0.8: cache.r6g.large 0.206 * 0.8 = 0.1648 * 730 * 2 nodes = 240.608
    after(&r, "aws_elasticache_replication_group.valkey", 240.608);
    // Dedicated Host c5 eu-west-1 3.802 * 730 = 2775.46
    after(&r, "aws_ec2_host.c5", 2775.46);
    // Total 278.48 + 916.52 + 1890.40 + 331.24 + 136.33 + 240.608 + 2775.46 = 6569.038
    assert!((r.monthly_after - 6569.038).abs() < 1e-6, "{}", r.monthly_after);
    insta::assert_snapshot!("licensed_text", render_text(&r, false));
}

#[test]
fn licensed_prices_that_do_not_exist_are_unknown() {
    let plan = |engine: &str, license: &str, multi_az: bool, region: &str| {
        let json = format!(
            r#"{{"format_version": "1.2",
              "configuration": {{"provider_config": {{"aws": {{"name": "aws",
                  "expressions": {{"region": {{"constant_value": "{region}"}}}}}}}},
                "root_module": {{"resources": [{{"address": "aws_db_instance.d", "mode": "managed",
                  "type": "aws_db_instance", "name": "d", "provider_config_key": "aws"}}]}}}},
              "resource_changes": [{{"address": "aws_db_instance.d", "mode": "managed", "type": "aws_db_instance", "name": "d",
                "change": {{"actions": ["create"], "before": null,
                  "after": {{"engine": "{engine}", "instance_class": "db.m5.large", "allocated_storage": 100,
                             "storage_type": "gp2", "multi_az": {multi_az}{license}}},
                  "after_unknown": {{"license_model": {unknown}}}}}}}]}}"#,
            unknown = license.is_empty(),
        );
        let plan = planguard_plan::parse_bytes(json.as_bytes(), Path::new("inline.json"))
            .unwrap()
            .plan;
        estimate(&plan, Catalog::embedded(), None).unwrap()
    };
    // Oracle SE2 with license_model unknown: LI and BYOL prices differ, so the instance hours
    // are unknown; the storage (100 GB * 0.115 = 11.50) is kept.
    let r = plan("oracle-se2", "", false, "us-east-1");
    let d = res(&r, "aws_db_instance.d");
    assert_eq!(d.status, Status::Partial);
    assert!(
        d.reason.as_deref().unwrap_or("").contains("license_model"),
        "{:?}",
        d.reason
    );
    assert!((d.monthly_after.unwrap() - 11.5).abs() < 1e-9);
    // SQL Server Multi-AZ outside eu-west-1: no price (never single-AZ x 2): unknown hours.
    let r = plan(
        "sqlserver-se",
        r#", "license_model": "license-included""#,
        true,
        "us-east-2",
    );
    let d = res(&r, "aws_db_instance.d");
    assert_eq!(d.status, Status::Partial);
    assert!(d.components[0].is_unknown());
}
