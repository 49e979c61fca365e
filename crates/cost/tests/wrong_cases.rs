//! Regression tests for the answers issue 14 called "confidently wrong", on a plan of the real
//! AWS provider 5.100.0 (fixtures/cost/aws-wrong-cases, scripts/gen-plan.sh). Every expected
//! figure is computed by hand from the catalog's unit prices, with the arithmetic beside it.

use std::path::{Path, PathBuf};

use planguard_cost::{
    estimate, render_markdown_table, render_text, Catalog, Component, CostReport, ResourceCost, Status, Usage,
};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cost/aws-wrong-cases")
        .join(rel)
}

fn report() -> CostReport {
    let loaded = planguard_plan::load_file(&fixture("plan.json"), &Default::default()).expect("fixture plan loads");
    let bytes = std::fs::read(fixture("usage.yml")).expect("usage file");
    let usage = Usage::from_slice(&bytes, "fixtures/cost/aws-wrong-cases/usage.yml").expect("usage parses");
    estimate(&loaded.plan, Catalog::embedded(), Some(&usage)).expect("estimate")
}

fn res<'r>(report: &'r CostReport, address: &str) -> &'r ResourceCost {
    report
        .resources
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("{address} not in the report"))
}

fn comp<'r>(r: &'r ResourceCost, name_part: &str) -> &'r Component {
    r.components
        .iter()
        .find(|c| c.name.contains(name_part))
        .unwrap_or_else(|| {
            panic!(
                "{}: no component containing {name_part:?}: {:#?}",
                r.address, r.components
            )
        })
}

#[track_caller]
fn close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("a known figure");
    assert!((a - expected).abs() < 1e-6, "expected {expected}, got {a}");
}

#[test]
fn regions_without_prices_or_outside_the_commercial_partition() {
    let r = report();
    // eu-south-1 is a real region the catalog has no prices for: us-east-1's NAT price
    // 0.045 * 730 = 32.85 + 100 GB (the bare `aws_nat_gateway.*` usage address) * 0.045 = 4.50,
    // approximate at the component and the resource level, and in the warnings.
    let milan = res(&r, "aws_nat_gateway.milan");
    assert_eq!(milan.status, Status::Priced);
    close(milan.monthly_after, 37.35);
    let why = milan.approximate.as_deref().expect("resource-level approximate");
    assert!(why.contains("eu-south-1") && why.contains("us-east-1"), "{why}");
    assert!(comp(milan, "NAT gateway").approximate.is_some());
    // EKS's price is region-independent in the catalog ("*"), yet the region has no prices:
    // flagged too. 1.34 is in standard support on 2026-11-25: 0.10 * 730 = 73.00
    let eks = res(&r, "aws_eks_cluster.milan");
    close(eks.monthly_after, 73.0);
    assert!(eks.approximate.as_deref().unwrap_or("").contains("eu-south-1"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("2 resource(s) in eu-south-1") && w.contains("us-east-1")),
        "{:#?}",
        r.warnings
    );
    // China, GovCloud and a name that is no region: unknown, never us-east-1's 32.85.
    for (address, what) in [
        ("aws_nat_gateway.beijing", "China"),
        ("aws_nat_gateway.govcloud", "GovCloud"),
        ("aws_nat_gateway.fake", "not an AWS region"),
    ] {
        let x = res(&r, address);
        assert_eq!(x.status, Status::Unknown, "{address}");
        assert_eq!(x.monthly_after, None, "{address}");
        assert!(
            x.reason.as_deref().unwrap_or("").contains(what),
            "{address}: {:?}",
            x.reason
        );
    }
    // Text and Markdown say it loudly.
    let text = render_text(&r, false);
    assert!(
        text.contains("approximate: the catalog has no eu-south-1 prices: us-east-1 prices used"),
        "{text}"
    );
    let md = render_markdown_table(&r, 50);
    assert!(md.contains("`aws_nat_gateway.milan` ~"), "{md}");
    assert!(md.contains("priced approximately"), "{md}");
}

#[test]
fn load_balancer_capacity_units_are_monthly() {
    let r = report();
    // processed_bytes_gb: 1000 per month = 1000 LCU-hours (1 GB per LCU-hour) * 0.008 = 8.00,
    // not 1000 LCU every hour (5,840); + ALB hours 0.0225 * 730 = 16.425; total 24.425
    let alb = res(&r, "aws_lb.alb");
    let lcu = comp(alb, "Capacity units");
    close(lcu.quantity, 1000.0);
    close(lcu.monthly, 8.0);
    close(alb.monthly_after, 24.425);
}

#[test]
fn spot_capacity_is_unknown_with_an_upper_bound() {
    let r = report();
    // Launch template with instance_market_options spot: the instance hours are unknown (at
    // most 2 * 0.096 * 730 = 140.16 on-demand), the 2 * 20 GB gp3 volumes (* 0.08 = 3.20) kept.
    let spot = res(&r, "aws_autoscaling_group.spot");
    assert_eq!(spot.status, Status::Partial);
    close(spot.monthly_after, 3.2);
    let hours = comp(spot, "spot, m5.large");
    assert!(hours.is_unknown());
    assert!(
        hours.note.as_deref().unwrap_or("").contains("at most 140.16"),
        "{hours:?}"
    );
    assert!(
        spot.reason.as_deref().unwrap_or("").contains("spot"),
        "{:?}",
        spot.reason
    );

    // Mixed: 6 units, base 2 + 50% of 4 = 4 on-demand units of override[0] m5.xlarge (weight 2):
    // 2 instances * 0.192 * 730 = 280.32; 2 spot units unknown (at most 0.096 per unit-hour
    // * 2 * 730 = 140.16); volumes: 2 + 2/2 = 3 instances * 10 GB gp2 * 0.10 = 3.00
    let mixed = res(&r, "aws_autoscaling_group.mixed");
    assert_eq!(mixed.status, Status::Partial);
    close(comp(mixed, "on-demand, m5.xlarge").monthly, 280.32);
    close(comp(mixed, "on-demand, m5.xlarge").quantity, 1460.0);
    assert!(comp(mixed, "spot")
        .note
        .as_deref()
        .unwrap_or("")
        .contains("at most 140.16"));
    close(mixed.monthly_after, 283.32);

    // 0% on-demand: no on-demand component at all, 3 spot units (at most c5.large 0.085 * 3 *
    // 730 = 186.15, the dearer of c5.large and c5a.large 0.077); volumes 3 * 10 GB * 0.10 = 3.00
    let all_spot = res(&r, "aws_autoscaling_group.all_spot");
    assert!(all_spot.components.iter().all(|c| !c.name.contains("on-demand")));
    assert!(comp(all_spot, "spot")
        .note
        .as_deref()
        .unwrap_or("")
        .contains("at most 186.15"));
    close(all_spot.monthly_after, 3.0);

    // aws_instance spot: t3.large hours unknown (at most 0.0832 * 730 = 60.736), root 0.80 kept
    let instance = res(&r, "aws_instance.spot");
    assert_eq!(instance.status, Status::Partial);
    close(instance.monthly_after, 0.8);
    // EKS SPOT node group: 2 * m5.large unknown, disks 2 * 20 GB gp2 * 0.10 = 4.00 kept
    let ng = res(&r, "aws_eks_node_group.spot");
    assert_eq!(ng.status, Status::Partial);
    close(ng.monthly_after, 4.0);
}

#[test]
fn partial_resources_keep_their_known_parts() {
    let r = report();
    // Replica: allocated_storage is the source's (unknown): the instance hours are kept,
    // postgres db.m5.large single-AZ 0.178 * 730 = 129.94; storage named as unknown.
    let replica = res(&r, "aws_db_instance.replica");
    assert_eq!(replica.status, Status::Partial);
    close(replica.monthly_after, 129.94);
    assert!(
        replica.reason.as_deref().unwrap_or("").contains("Storage"),
        "{:?}",
        replica.reason
    );
    assert!(r.totals_at_least);
    let text = render_text(&r, false);
    assert!(text.contains("(at least)"), "{text}");
    assert!(render_markdown_table(&r, 50).contains("at least $129.94"));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["totals_at_least"], true);
    assert_eq!(
        json["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["address"] == "aws_db_instance.replica")
            .unwrap()["status"],
        "partial"
    );
}

#[test]
fn rds_defaults_minimums_extended_support_and_performance_insights() {
    let r = report();
    // pg11: allocated_storage unset, gp2 postgres: RDS's 20 GB default, assumed:
    // 20 * 0.115 = 2.30. PostgreSQL 11 left standard support on 2024-02-29; on 2026-11-25 it
    // is in year 3: 2 vCPU (db.m5.large) * 0.20 * 730 = 292.00. Instance 129.94.
    // Total 129.94 + 292.00 + 2.30 = 424.24
    let pg = res(&r, "aws_db_instance.pg11");
    assert_eq!(pg.status, Status::Priced);
    let storage = comp(pg, "Storage (gp2");
    close(storage.monthly, 2.3);
    assert!(storage.assumed.as_deref().unwrap_or("").contains("20 GB"));
    close(comp(pg, "Extended support").monthly, 292.0);
    close(pg.monthly_after, 424.24);
    // piops (eu-west-1): io1 50 GB / 500 IOPS are below AWS's minimums: 100 GB * 0.138 = 13.80,
    // 1000 IOPS * 0.11 = 110.00; mysql db.m5.large 0.189 * 730 = 137.97; Performance Insights
    // 731 days = 24 months: 2 vCPU * (1.6463 + 23 * 0.0692 = 3.2379) = 6.4758.
    // MySQL 8.4 is in standard support. Total 268.2458
    let piops = res(&r, "aws_db_instance.piops");
    close(comp(piops, "Storage (io1").quantity, 100.0);
    close(comp(piops, "Provisioned IOPS").monthly, 110.0);
    close(comp(piops, "Performance Insights").monthly, 6.4758);
    assert!(piops.components.iter().all(|c| !c.name.contains("Extended")));
    close(piops.monthly_after, 268.2458);
}

#[test]
fn ec2_extras_and_eks_extended_support() {
    let r = report();
    // m3.xlarge eu-west-1 0.293 * 730 = 213.89; EBS-optimized fee 0.025 * 730 = 18.25;
    // root 8 GB gp2 * 0.11 = 0.88; total 233.02. Linux assumed (the AMI decides).
    let old = res(&r, "aws_instance.old_gen");
    close(comp(old, "EBS-optimized fee").monthly, 18.25);
    close(old.monthly_after, 233.02);
    assert!(comp(old, "m3.xlarge")
        .assumed
        .as_deref()
        .unwrap_or("")
        .contains("Linux assumed"));
    // gp3 100 GB * 0.08 = 8.00; iops/throughput unknown: the baseline, said as assumed
    let gp3 = res(&r, "aws_ebs_volume.gp3");
    close(gp3.monthly_after, 8.0);
    let a = comp(gp3, "Storage (gp3)").assumed.as_deref().unwrap_or("");
    assert!(a.contains("3000 IOPS") && a.contains("125 MiB/s"), "{a}");
    // EKS 1.29 left standard support on 2025-03-23: extended, 0.60 * 730 = 438.00
    close(res(&r, "aws_eks_cluster.old").monthly_after, 438.0);
}

#[test]
fn s3_select_is_modelled() {
    let r = report();
    // Storage 10 GB * 0.023 = 0.23; S3 Select scanned/returned GB read from the usage file but
    // without a catalog price: unknown components, the bucket partial (at least 0.23).
    let b = res(&r, "aws_s3_bucket.select");
    assert_eq!(b.status, Status::Partial);
    close(b.monthly_after, 0.23);
    close(comp(b, "S3 Select data scanned").quantity, 500.0);
    assert!(
        !r.warnings.iter().any(|w| w.contains("monthly_select_data")),
        "{:#?}",
        r.warnings
    );
}

#[test]
fn report_snapshot() {
    let r = report();
    insta::assert_snapshot!("wrong_cases_text", render_text(&r, false));
}

fn inline(after: &str, usage: Option<&str>) -> CostReport {
    let json = format!(
        r#"{{"format_version": "1.2",
          "configuration": {{"provider_config": {{"aws": {{"name": "aws",
              "expressions": {{"region": {{"constant_value": "us-east-1"}}}}}}}},
            "root_module": {{"resources": [{{"address": "aws_db_instance.t", "mode": "managed",
              "type": "aws_db_instance", "name": "t", "provider_config_key": "aws"}},
              {{"address": "aws_instance.w", "mode": "managed",
              "type": "aws_instance", "name": "w", "provider_config_key": "aws"}}]}}}},
          "resource_changes": [{after}]}}"#
    );
    let plan = planguard_plan::parse_bytes(json.as_bytes(), Path::new("inline.json"))
        .unwrap()
        .plan;
    let usage = usage.map(|u| Usage::from_slice(u.as_bytes(), "usage.yml").unwrap());
    estimate(&plan, Catalog::embedded(), usage.as_ref()).unwrap()
}

#[test]
fn rds_cpu_credits_and_operating_system_usage_keys() {
    let r = inline(
        r#"{"address": "aws_db_instance.t", "mode": "managed", "type": "aws_db_instance", "name": "t",
            "change": {"actions": ["create"], "before": null,
              "after": {"engine": "mysql", "engine_version": "8.4.3", "instance_class": "db.t3.micro",
                        "allocated_storage": 20, "storage_type": "gp2", "multi_az": false}, "after_unknown": {}}},
           {"address": "aws_instance.w", "mode": "managed", "type": "aws_instance", "name": "w",
            "change": {"actions": ["create"], "before": null,
              "after": {"instance_type": "t3.micro", "root_block_device": [{"volume_size": 30, "volume_type": "gp2"}]},
              "after_unknown": {}}}"#,
        Some(
            "version: 0.1\nresource_usage:\n  aws_db_instance.t:\n    monthly_cpu_credit_hrs: 100\n    vcpu_count: 2\n  aws_instance.w:\n    operating_system: windows\n",
        ),
    );
    // The keys are read (no "not priced" warning); RDS credits have no catalog price: the
    // component is unknown and the database partial (db.t3.micro 0.017 * 730 = 12.41 +
    // 20 GB * 0.115 = 2.30 kept).
    assert!(
        !r.warnings
            .iter()
            .any(|w| w.contains("monthly_cpu_credit_hrs") || w.contains("vcpu_count")),
        "{:#?}",
        r.warnings
    );
    let db = res(&r, "aws_db_instance.t");
    assert_eq!(db.status, Status::Partial);
    close(db.monthly_after, 14.71);
    assert!(comp(db, "CPU credits").is_unknown());
    // operating_system windows from the usage file: the Windows price and no Linux assumption:
    // t3.micro Windows 0.02 * 730 = 14.60 + the 30 GB gp2 root 3.00 = 17.60
    let w = res(&r, "aws_instance.w");
    assert_eq!(w.status, Status::Priced);
    close(w.monthly_after, 17.6);
    assert!(w
        .components
        .iter()
        .all(|c| !c.assumed.as_deref().unwrap_or("").contains("Linux assumed")));
    close(comp(w, "Windows").monthly, 14.6);
}

#[test]
fn instance_from_a_spot_launch_template_is_spot() {
    let json = br#"{"format_version": "1.2",
      "configuration": {"provider_config": {"aws": {"name": "aws",
          "expressions": {"region": {"constant_value": "us-east-1"}}}},
        "root_module": {"resources": [
          {"address": "aws_instance.i", "mode": "managed", "type": "aws_instance", "name": "i", "provider_config_key": "aws"},
          {"address": "aws_launch_template.lt", "mode": "managed", "type": "aws_launch_template", "name": "lt", "provider_config_key": "aws"}]}},
      "resource_changes": [
        {"address": "aws_launch_template.lt", "mode": "managed", "type": "aws_launch_template", "name": "lt",
         "change": {"actions": ["no-op"], "before": null,
           "after": {"id": "lt-0123", "instance_type": "m5.large", "instance_market_options": [{"market_type": "spot"}]},
           "after_unknown": {}}},
        {"address": "aws_instance.i", "mode": "managed", "type": "aws_instance", "name": "i",
         "change": {"actions": ["create"], "before": null,
           "after": {"launch_template": [{"id": "lt-0123"}], "root_block_device": [{"volume_size": 8, "volume_type": "gp2"}]},
           "after_unknown": {"instance_type": true}}}]}"#;
    let plan = planguard_plan::parse_bytes(json, Path::new("inline.json"))
        .unwrap()
        .plan;
    let r = estimate(&plan, Catalog::embedded(), None).unwrap();
    // m5.large spot hours unknown (at most 0.096 * 730 = 70.08), root 8 GB gp2 0.80 kept
    let i = res(&r, "aws_instance.i");
    assert_eq!(i.status, Status::Partial, "{:#?}", i.components);
    assert!(comp(i, "spot, m5.large")
        .note
        .as_deref()
        .unwrap_or("")
        .contains("at most 70.08"));
    close(i.monthly_after, 0.8);
}
