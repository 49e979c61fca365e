//! Tests of the embedded price catalog and of user catalog loading.

use std::path::PathBuf;

use planguard_cost::catalog::{ALL_REGIONS, GLOBAL_REGION, SCHEMA_VERSION};
use planguard_cost::{
    AuroraUsage, Catalog, CloudWatchPrice, Confidence, CostError, DynamoDbPrice, KmsPrice, LoadBalancerKind,
    Route53Price, SecretsManagerPrice,
};

fn catalog() -> &'static Catalog {
    Catalog::embedded()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn embedded_catalog_loads_with_metadata() {
    let c = Catalog::try_embedded().expect("embedded catalog is valid");
    assert_eq!(c.schema_version(), SCHEMA_VERSION);
    assert_eq!(c.currency(), "USD");
    assert!(close(c.hours_per_month(), 730.0));
    assert_eq!(c.catalog_date(), "2026-11-25");
    assert_eq!(c.origin(), "<embedded catalog>");
    for id in [
        "vantage_opszero_2024_04",
        "karpenter_2026_07",
        "coroot_2024_08",
        "vantage_rds_2021_08",
        "manual_list_price",
        "cyclenerd_2026_07",
    ] {
        assert!(c.source(id).is_some(), "source {id} missing");
    }
    let karpenter = c.source("karpenter_2026_07").unwrap();
    assert_eq!(karpenter.repository.as_deref(), Some("aws/karpenter-provider-aws"));
    assert_eq!(
        karpenter.commit.as_deref(),
        Some("6fc13b5236fd04fd16ff3f9dc7490d0813994099")
    );
    assert_eq!(karpenter.licence.as_deref(), Some("Apache-2.0"));
    assert_eq!(c.aws_regions().len(), 15);
    assert_eq!(c.gcp_regions().len(), 15);
}

#[test]
fn every_price_names_a_known_source_and_tables_are_listed() {
    let c = catalog();
    let infos = c.table_infos();
    assert!(infos.len() > 60, "only {} tables", infos.len());
    for info in &infos {
        assert!(c.source(info.source).is_some(), "{}", info.name);
        assert!(!info.unit.is_empty(), "{}", info.name);
        assert!(!info.regions.is_empty(), "{}", info.name);
    }
    let ec2 = infos.iter().find(|i| i.name == "aws.ec2.instance_hour").unwrap();
    assert_eq!(ec2.key, ["instance_type", "os", "tenancy"]);
    assert_eq!(ec2.fallback_region, Some("us-east-1"));
    assert!(!ec2.tiered);
    assert_eq!(ec2.regions.len(), 15);
}

#[test]
fn ec2_spot_checks() {
    let c = catalog();
    let m5 = c.ec2_instance_hour("us-east-1", "m5.large").unwrap();
    assert_eq!(m5.unit_price, 0.096);
    assert_eq!(m5.unit, "hour");
    assert_eq!(m5.source, "vantage_opszero_2024_04");
    assert_eq!(m5.region_used, "us-east-1");
    assert!(!m5.fallback);
    assert_eq!(m5.confidence, None);
    assert!(close(m5.cost(730.0), 70.08));

    let t3 = c.ec2_instance_hour("us-east-1", "t3.micro").unwrap();
    assert_eq!(t3.unit_price, 0.0104);

    let eu = c.ec2_instance_hour("eu-west-1", "m5.large").unwrap();
    assert_eq!(eu.unit_price, 0.107);
    assert!(!eu.fallback);
}

#[test]
fn ec2_newer_types_come_from_karpenter_and_fall_back_outside_us_east_1() {
    let c = catalog();
    let us = c.ec2_instance_hour("us-east-1", "c8g.large").unwrap();
    assert_eq!(us.source, "karpenter_2026_07");
    assert!(!us.fallback);

    let eu = c.ec2_instance_hour("eu-west-1", "c8g.large").unwrap();
    assert!(eu.fallback);
    assert_eq!(eu.region_used, "us-east-1");
    assert_eq!(eu.unit_price, us.unit_price);

    // A region the catalog does not know at all also falls back.
    let unknown_region = c.ec2_instance_hour("mars-north-1", "m5.large").unwrap();
    assert!(unknown_region.fallback);
    assert_eq!(unknown_region.unit_price, 0.096);
}

#[test]
fn unknown_prices_are_none() {
    let c = catalog();
    assert!(c.ec2_instance_hour("us-east-1", "m99.gigantic").is_none());
    assert!(c
        .rds_instance_hour("us-east-1", "oracle-ee", "db.m5.large", false)
        .is_none());
    assert!(c
        .elasticache_node_hour("us-east-1", "valkey", "cache.t9.micro")
        .is_none());
    // Oracle EE is bring-your-own-licence only: the catalog's engine is `oracle-ee-byol`.
    assert!(c
        .rds_instance_hour("us-east-1", "oracle-ee-byol", "db.m5.large", false)
        .is_some());
    assert!(c.gcp_machine_hour("us-central1", "n99-standard-2").is_none());
    assert!(c.ebs("us-east-1", "gp9").is_none());
    assert!(c.lookup("aws.nope.table", "us-east-1", &[]).is_none());
    // Wrong number of key parts.
    assert!(c.lookup("aws.ec2.instance_hour", "us-east-1", &["m5.large"]).is_none());
}

#[test]
fn ebs_prices() {
    let c = catalog();
    let gp3 = c.ebs("us-east-1", "gp3").unwrap();
    assert_eq!(gp3.storage.unit_price, 0.08);
    assert_eq!(gp3.storage.unit, "GB-month");
    assert_eq!(gp3.storage.source, "manual_list_price");
    assert_eq!(gp3.storage.confidence, Some(Confidence::High));
    let iops = gp3.iops.unwrap();
    assert_eq!(iops.unit, "IOPS-month");
    assert_eq!(iops.tier_unit, "IOPS");
    assert!(close(iops.cost(3000.0), 0.0));
    assert!(close(iops.cost(5000.0), 10.0));
    let tp = gp3.throughput.unwrap();
    assert!(close(tp.cost(250.0), 5.0));
    assert!(gp3.io_requests.is_none());

    let io2 = c.ebs("us-east-1", "io2").unwrap().iops.unwrap();
    // 32000 * 0.065 + 32000 * 0.0455 + 6000 * 0.03185
    assert!(close(io2.cost(70_000.0), 2080.0 + 1456.0 + 191.1));

    let eu = c.ebs("eu-west-1", "gp2").unwrap();
    assert_eq!(eu.storage.unit_price, 0.11);
    assert_eq!(eu.storage.confidence, Some(Confidence::Medium));
    assert!(!eu.storage.fallback);

    // io2 tiers are missing in eu-central-1: storage is regional, IOPS fall back.
    let fra = c.ebs("eu-central-1", "io2").unwrap();
    assert!(!fra.storage.fallback);
    assert_eq!(fra.storage.confidence, Some(Confidence::MediumLow));
    let fra_iops = fra.iops.unwrap();
    assert!(fra_iops.fallback);
    assert_eq!(fra_iops.region_used, "us-east-1");

    // No EBS section for ap-northeast-1: everything falls back.
    let tokyo = c.ebs("ap-northeast-1", "gp3").unwrap();
    assert!(tokyo.storage.fallback);
    assert_eq!(tokyo.storage.region_used, "us-east-1");
    assert_eq!(tokyo.storage.unit_price, 0.08);

    assert_eq!(
        c.ebs("us-east-1", "standard").unwrap().io_requests.unwrap().unit_price,
        0.05
    );
    assert_eq!(c.ebs_snapshot("us-east-1", false).unwrap().unit_price, 0.05);
    assert_eq!(c.ebs_snapshot("us-east-1", true).unwrap().unit_price, 0.0125);
}

#[test]
fn rds_and_aurora() {
    let c = catalog();
    let single = c
        .rds_instance_hour("us-east-1", "postgres", "db.m5.large", false)
        .unwrap();
    let multi = c
        .rds_instance_hour("us-east-1", "postgres", "db.m5.large", true)
        .unwrap();
    assert_eq!(single.unit_price, 0.178);
    assert_eq!(multi.unit_price, 0.356);
    assert_eq!(single.source, "coroot_2024_08");
    assert_eq!(
        c.rds_instance_hour("us-east-1", "postgres", "db.t3.micro", false)
            .unwrap()
            .unit_price,
        0.018
    );
    // Engine aliases are resolved by the catalog.
    let mariadb = c
        .rds_instance_hour("us-east-1", "mariadb", "db.m5.large", false)
        .unwrap();
    let mysql = c.rds_instance_hour("us-east-1", "mysql", "db.m5.large", false).unwrap();
    assert_eq!(mariadb, mysql);
    assert_eq!(mysql.unit_price, 0.171);
    let postgresql = c
        .rds_instance_hour("us-east-1", "postgresql", "db.m5.large", false)
        .unwrap();
    assert_eq!(postgresql, single);

    let gp3 = c.rds_storage("us-east-1", "gp3", false).unwrap();
    assert_eq!(gp3.storage.unit_price, 0.115);
    assert_eq!(gp3.provisioned_iops.unwrap().unit_price, 0.02);
    let gp3_multi = c.rds_storage("us-east-1", "gp3", true).unwrap();
    assert_eq!(gp3_multi.storage.unit_price, 0.23);
    let magnetic = c.rds_storage("us-east-1", "magnetic", false).unwrap();
    assert_eq!(magnetic.storage.unit_price, 0.1);
    assert_eq!(magnetic.io_requests.unwrap().unit_price, 0.1);
    let eu_gp2 = c.rds_storage("eu-west-1", "gp2", false).unwrap();
    assert_eq!(eu_gp2.storage.unit_price, 0.127);
    assert!(!eu_gp2.storage.fallback);
    assert_eq!(c.rds_backup_storage("us-east-1").unwrap().unit_price, 0.095);

    let aurora = c
        .aurora_instance_hour("us-east-1", "aurora-postgresql", "db.r5.large", false)
        .unwrap();
    assert_eq!(aurora.unit_price, 0.29);
    assert_eq!(aurora.source, "vantage_rds_2021_08");
    let iopt = c
        .aurora_instance_hour("us-east-1", "aurora-postgresql", "db.r5.large", true)
        .unwrap();
    assert!(close(iopt.unit_price, 0.377));
    let legacy = c
        .aurora_instance_hour("us-east-1", "aurora", "db.r5.large", false)
        .unwrap();
    assert_eq!(legacy.unit_price, 0.29);
    let storage = c.aurora_usage("eu-west-1", AuroraUsage::StorageStandard).unwrap();
    assert_eq!(storage.unit_price, 0.1);
    assert!(storage.fallback);
    assert_eq!(storage.confidence, Some(Confidence::High));
}

#[test]
fn network_and_platform_prices() {
    let c = catalog();
    let nat = c.nat_gateway("us-east-1").unwrap();
    assert_eq!(nat.hour.unit_price, 0.045);
    assert_eq!(nat.hour.unit, "hour");
    assert_eq!(nat.data_processed.unwrap().unit_price, 0.045);
    let nat_mumbai = c.nat_gateway("ap-south-1").unwrap();
    assert!(nat_mumbai.hour.fallback);
    assert_eq!(c.nat_gateway("ap-northeast-1").unwrap().hour.unit_price, 0.062);

    let eks = c.eks_cluster_hour("eu-west-1", false).unwrap();
    assert_eq!(eks.unit_price, 0.10);
    assert!(!eks.fallback);
    assert_eq!(eks.region_used, "eu-west-1");
    assert_eq!(c.eks_cluster_hour("us-east-1", true).unwrap().unit_price, 0.6);

    let ip = c.public_ipv4_hour("sa-east-1").unwrap();
    assert_eq!(ip.unit_price, 0.005);
    assert!(!ip.fallback);

    let alb = c.load_balancer("us-east-1", LoadBalancerKind::Application).unwrap();
    assert_eq!(alb.hour.unit_price, 0.0225);
    assert_eq!(alb.capacity_unit_hour.unwrap().unit_price, 0.008);
    assert!(alb.data_processed.is_none());
    let clb = c.load_balancer("us-east-1", LoadBalancerKind::Classic).unwrap();
    assert_eq!(clb.data_processed.unwrap().unit_price, 0.008);
    let nlb_fra = c.load_balancer("eu-central-1", LoadBalancerKind::Network).unwrap();
    assert_eq!(nlb_fra.hour.confidence, Some(Confidence::Low));
    assert_eq!(LoadBalancerKind::from_name("alb"), Some(LoadBalancerKind::Application));

    let egress = c.internet_egress("us-east-1").unwrap();
    assert!(close(egress.cost(100.0), 9.0));
    assert_eq!(c.inter_region_transfer("eu-west-1").unwrap().unit_price, 0.01);
}

#[test]
fn serverless_and_managed_services() {
    let c = catalog();
    let lambda = c.lambda("us-east-1", "x86_64").unwrap();
    assert_eq!(lambda.requests.unit_price, 0.2);
    assert_eq!(lambda.requests.unit, "1M requests");
    assert!(!lambda.requests.fallback);
    assert_eq!(lambda.duration.tiers[0].price, 1.66667e-05);
    let arm_eu = c.lambda("eu-west-1", "arm64").unwrap();
    assert!(arm_eu.duration.fallback);
    assert_eq!(arm_eu.duration.tiers[0].price, 1.33334e-05);

    let s3 = c.s3("us-east-1", "STANDARD").unwrap();
    assert_eq!(s3.storage.unit, "GB-month");
    // 51200 GB at 0.023, 8800 at 0.022
    assert!(close(s3.storage.cost(60_000.0), 51_200.0 * 0.023 + 8_800.0 * 0.022));
    assert_eq!(s3.tier1_requests.unwrap().unit_price, 0.005);
    assert!(s3.monitoring.is_none());
    let s3_fra = c.s3("eu-central-1", "STANDARD").unwrap();
    assert_eq!(s3_fra.storage.first_tier().unit_price, 0.0245);
    assert!(!s3_fra.storage.fallback);
    let glacier_fra = c.s3("eu-central-1", "GLACIER").unwrap();
    assert!(glacier_fra.storage.fallback);
    assert!(c.s3("us-east-1", "INTELLIGENT_TIERING").unwrap().monitoring.is_some());

    let d = c.dynamodb("us-east-1", DynamoDbPrice::ProvisionedWcuHour).unwrap();
    assert_eq!(d.unit_price, 0.00065);
    assert_eq!(d.unit, "WCU-hour");
    assert!(!c.dynamodb("us-west-2", DynamoDbPrice::Storage).unwrap().fallback);
    assert!(c.dynamodb("eu-west-1", DynamoDbPrice::Storage).unwrap().fallback);

    assert_eq!(
        c.cloudwatch("us-east-1", CloudWatchPrice::StandardAlarm)
            .unwrap()
            .unit_price,
        0.1
    );
    let metrics = c.cloudwatch_custom_metrics("us-east-1").unwrap();
    assert!(close(metrics.cost(7.0), 2.1));
    assert_eq!(c.kms("eu-west-1", KmsPrice::KeyMonth).unwrap().unit_price, 1.0);
    assert_eq!(
        c.secrets_manager("eu-west-1", SecretsManagerPrice::SecretMonth)
            .unwrap()
            .unit_price,
        0.4
    );
    let q = c.route53(Route53Price::StandardQueries).unwrap();
    assert_eq!(q.unit_price, 0.4);
    assert_eq!(q.region_used, GLOBAL_REGION);
    let zones = c.route53_hosted_zones().unwrap();
    assert!(close(zones.cost(30.0), 25.0 * 0.5 + 5.0 * 0.1));
    assert_eq!(c.sqs("us-east-1", false).unwrap().unit_price, 0.4);
    assert_eq!(c.sqs("us-east-1", true).unwrap().unit_price, 0.5);
    assert_eq!(c.sns("us-east-1").unwrap().unit_price, 0.5);
    assert_eq!(c.efs("us-east-1").unwrap().unit_price, 0.3);
    assert!(c.efs("eu-west-1").unwrap().fallback);
    assert_eq!(
        c.elasticache_node_hour("us-east-1", "redis", "cache.t3.micro")
            .unwrap()
            .unit_price,
        0.017
    );
}

#[test]
fn gcp_prices() {
    let c = catalog();
    let e2 = c.gcp_machine_hour("us-central1", "e2-medium").unwrap();
    assert_eq!(e2.unit_price, 0.03350571);
    assert_eq!(e2.source, "cyclenerd_2026_07");
    assert_eq!(
        c.gcp_machine_hour("us-central1", "n2-standard-2").unwrap().unit_price,
        0.097118
    );
    let spec = c.gcp_machine_spec("e2-medium").unwrap();
    assert_eq!((spec.vcpus, spec.memory_gb), (1.0, 4.0));
    assert!(c.gcp_machine_hour("mars-central1", "e2-medium").unwrap().fallback);

    assert_eq!(c.gcp_disk("us-central1", "pd-ssd", false).unwrap().unit_price, 0.17);
    assert_eq!(c.gcp_disk("us-central1", "pd-ssd", true).unwrap().unit_price, 0.34);
    assert_eq!(c.gcp_disk("us-east4", "pd-balanced", false).unwrap().unit_price, 0.11);
    assert_eq!(c.gcp_external_ip("us-central1", true).unwrap().unit_price, 0.005);
    assert_eq!(c.gcp_external_ip("us-east4", false).unwrap().unit_price, 0.011);
    assert_eq!(c.gcp_cloud_nat("europe-west1").unwrap().gateway_hour.unit_price, 0.0448);
    assert_eq!(c.gcp_bucket("US", "STANDARD").unwrap().unit_price, 0.026);
    assert_eq!(c.gcp_bucket("US-CENTRAL1", "nearline").unwrap().unit_price, 0.01);
    assert_eq!(c.gcp_bucket("eur4", "REGIONAL").unwrap().unit_price, 0.044);
}

#[test]
fn generic_lookup_matches_typed_lookup() {
    let c = catalog();
    let typed = c.rds_instance_hour("eu-west-1", "postgres", "db.m5.large", true);
    let generic = c.lookup(
        "aws.rds.instance_hour",
        "eu-west-1",
        &["postgres", "db.m5.large", "multi-az"],
    );
    assert_eq!(typed, generic);
    assert!(typed.is_some());
    let vpn = c.lookup("aws.vpn.connection_hour", "us-east-1", &[]).unwrap();
    assert_eq!(vpn.unit_price, 0.05);
    let egress = c
        .lookup_tiered("aws.data_transfer.internet_egress", "sa-east-1", &[])
        .unwrap();
    assert_eq!(egress.tiers[0].price, 0.15);
    // Tiered tables are not returned by the flat lookup, and vice versa.
    assert!(c
        .lookup("aws.data_transfer.internet_egress", "sa-east-1", &[])
        .is_none());
    assert!(c.lookup_tiered("aws.vpn.connection_hour", "us-east-1", &[]).is_none());
}

/// Every EC2, RDS and GCP machine price of the shared input files is in the
/// catalog, unchanged (skipped when the inputs are not next to the repo).
#[test]
fn catalog_matches_input_files() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/pricing");
    let (Ok(aws), Ok(gcp)) = (std::fs::read(dir.join("aws.json")), std::fs::read(dir.join("gcp.json"))) else {
        eprintln!("shared pricing inputs not found; skipping");
        return;
    };
    let aws: serde_json::Value = serde_json::from_slice(&aws).unwrap();
    let gcp: serde_json::Value = serde_json::from_slice(&gcp).unwrap();
    let c = catalog();
    let mut checked = 0;
    for (region, types) in aws["ec2"]["prices"].as_object().unwrap() {
        for (ty, price) in types.as_object().unwrap() {
            let p = c.ec2_instance_hour(region, ty).unwrap();
            assert_eq!(p.unit_price, price.as_f64().unwrap(), "{region} {ty}");
            assert!(!p.fallback);
            checked += 1;
        }
    }
    for (region, engines) in aws["rds"]["instance"]["prices"].as_object().unwrap() {
        for (engine, classes) in engines.as_object().unwrap() {
            for (class, p) in classes.as_object().unwrap() {
                for (multi, field) in [(false, "single_az"), (true, "multi_az")] {
                    let found = c.rds_instance_hour(region, engine, class, multi);
                    match p[field].as_f64() {
                        Some(v) => assert_eq!(found.unwrap().unit_price, v),
                        None => assert!(found.is_none_or(|f| f.fallback)),
                    }
                    checked += 1;
                }
            }
        }
    }
    for (region, engines) in aws["elasticache"]["prices"].as_object().unwrap() {
        for (engine, types) in engines.as_object().unwrap() {
            for (ty, price) in types.as_object().unwrap() {
                let p = c.elasticache_node_hour(region, engine, ty).unwrap();
                assert_eq!(p.unit_price, price.as_f64().unwrap());
                checked += 1;
            }
        }
    }
    for (region, types) in gcp["compute_instance"]["prices"].as_object().unwrap() {
        for (ty, price) in types.as_object().unwrap() {
            let p = c.gcp_machine_hour(region, ty).unwrap();
            assert_eq!(p.unit_price, price.as_f64().unwrap(), "{region} {ty}");
            checked += 1;
        }
    }
    assert!(checked > 25_000, "checked {checked}");
}

// ---------------------------------------------------------------------------
// User catalogs
// ---------------------------------------------------------------------------

const USER_CATALOG: &str = r#"{
  "schema_version": 1,
  "currency": "USD",
  "catalog_date": "2026-01-01",
  "hours_per_month": 730,
  "sources": {
    "negotiated": { "what": "our negotiated prices", "data_date": "2026-01-01" }
  },
  "aws": {
    "ec2": {
      "instance_hour": {
        "unit": "hour",
        "source": "negotiated",
        "key": ["instance_type", "os", "tenancy"],
        "regions": {
          "us-east-1": { "prices": { "m5.large|linux|shared": 0.05 }, "confidence": "high" }
        }
      }
    },
    "public_ipv4": {
      "hour": { "unit": "hour", "source": "negotiated", "key": [], "regions": { "*": { "price": 0.004 } } }
    }
  }
}"#;

fn temp_file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard-cost-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn user_catalog_loads_and_answers() {
    let path = temp_file("prices.json", USER_CATALOG);
    let c = Catalog::from_path(&path).unwrap();
    assert_eq!(c.origin(), path.display().to_string());
    let p = c.ec2_instance_hour("us-east-1", "m5.large").unwrap();
    assert_eq!(p.unit_price, 0.05);
    assert_eq!(p.source, "negotiated");
    assert_eq!(p.confidence, Some(Confidence::High));
    // No fallback region in this table: other regions are unknown.
    assert!(c.ec2_instance_hour("eu-west-1", "m5.large").is_none());
    let ip = c.public_ipv4_hour("eu-west-1").unwrap();
    assert_eq!(ip.unit_price, 0.004);
    assert_eq!(ip.region_used, "eu-west-1");
    assert!(!ip.fallback);
    // Sections absent from the file have no prices.
    assert!(c.nat_gateway("us-east-1").is_none());
    assert!(c.gcp_machine_hour("us-central1", "e2-medium").is_none());
    assert_eq!(ALL_REGIONS, "*");
}

#[test]
fn malformed_user_catalog_reports_file_line_and_column() {
    // Missing comma after `"currency": "USD"` on line 3.
    let bad = "{\n  \"schema_version\": 1,\n  \"currency\": \"USD\"\n  \"catalog_date\": \"x\"\n}";
    let path = temp_file("broken.json", bad);
    let err = Catalog::from_path(&path).unwrap_err();
    match &err {
        CostError::Parse {
            origin,
            line,
            column,
            message,
        } => {
            assert_eq!(origin, &path.display().to_string());
            assert_eq!(*line, 4);
            assert_eq!(*column, 3);
            assert!(message.contains("expected `,` or `}`"), "{message}");
        }
        other => panic!("unexpected error {other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("broken.json"), "{text}");
    assert!(text.contains("broken.json:4:3: "), "{text}");
}

#[test]
fn provider_tables_of_the_wrong_shape_are_rejected_not_priced_at_zero() {
    let start = USER_CATALOG.find("\"aws\": {").unwrap();
    let rest = &USER_CATALOG[start..];
    // The aws object ends at the first line that closes it at two spaces of indentation.
    let end = start + rest.find("\n  }").unwrap() + "\n  }".len();
    let bad = format!("{}\"aws\": []{}", &USER_CATALOG[..start], &USER_CATALOG[end..]);
    assert!(bad.contains("\"aws\": []"), "{bad}");
    let err = Catalog::from_slice(bad.as_bytes(), "shape.json").unwrap_err();
    assert!(matches!(err, CostError::Parse { .. }), "{err}");
}

#[test]
fn wrong_type_is_a_parse_error() {
    let bad = USER_CATALOG.replace("\"hours_per_month\": 730", "\"hours_per_month\": \"730\"");
    let err = Catalog::from_slice(bad.as_bytes(), "typed.json").unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, CostError::Parse { line: 5, .. }), "{text}");
    assert!(text.contains("invalid type: a string, expected f64"), "{text}");
    assert!(!text.contains("730"), "no input value is quoted: {text}");
}

#[test]
fn unknown_keys_are_rejected() {
    // At the top level.
    let top = USER_CATALOG.replacen("\"currency\"", "\"discount\": 0.1,\n  \"currency\"", 1);
    let err = Catalog::from_slice(top.as_bytes(), "top.json").unwrap_err();
    assert!(err.to_string().contains("an unknown key"), "{err}");
    assert!(!err.to_string().contains("discount"), "no input text is quoted: {err}");

    // An unknown service.
    let svc = USER_CATALOG.replacen("\"ec2\":", "\"azure_vm\": {},\n    \"ec2\":", 1);
    let err = Catalog::from_slice(svc.as_bytes(), "svc.json").unwrap_err();
    assert!(err.to_string().contains("an unknown key"), "{err}");

    // Inside a region block.
    let inner = USER_CATALOG.replacen("\"confidence\": \"high\"", "\"confidance\": \"high\"", 1);
    let err = Catalog::from_slice(inner.as_bytes(), "inner.json").unwrap_err();
    match err {
        CostError::Parse { line, message, .. } => {
            assert_eq!(line, 16);
            assert!(message.contains("an unknown key, expected one of"), "{message}");
        }
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn inconsistent_user_catalogs_are_rejected() {
    let cases = [
        (
            USER_CATALOG.replacen("\"source\": \"negotiated\"", "\"source\": \"nobody\"", 1),
            "an unknown source id",
        ),
        (
            USER_CATALOG.replace("m5.large|linux|shared", "m5.large|linux"),
            "key has 2 part(s), expected 3",
        ),
        (
            USER_CATALOG.replace("0.05", "-0.05"),
            "not a finite, non-negative number",
        ),
        (
            USER_CATALOG.replace("\"schema_version\": 1", "\"schema_version\": 7"),
            "unsupported schema_version 7",
        ),
        (
            USER_CATALOG.replace("\"currency\": \"USD\"", "\"currency\": \"EUR\""),
            "only USD",
        ),
        (
            USER_CATALOG.replace("\"key\": [],", "\"key\": [], \"fallback_region\": \"us-east-1\","),
            "the fallback region has no prices",
        ),
        (
            USER_CATALOG.replace("{ \"price\": 0.004 }", "{ \"prices\": {} }"),
            "needs `price`",
        ),
    ];
    for (text, expected) in cases {
        let err = Catalog::from_slice(text.as_bytes(), "user.json").unwrap_err();
        assert!(matches!(err, CostError::Invalid { .. }), "{err}");
        let msg = err.to_string();
        assert!(msg.contains(expected), "{msg} does not contain {expected}");
        // At the item's position in the file, not a JSON path.
        let position = msg.strip_prefix("user.json:").and_then(|rest| rest.split(':').next());
        assert!(
            position.is_some_and(|line| line.parse::<usize>().is_ok_and(|l| l >= 1)),
            "{msg}"
        );
    }
}

#[test]
fn missing_file_is_an_io_error() {
    let err = Catalog::from_path("/nonexistent/prices.json").unwrap_err();
    assert!(matches!(err, CostError::Io { .. }));
    assert!(err.to_string().contains("/nonexistent/prices.json"));
}

/// The committed catalog is what `scripts/build-catalog.py` produces from the
/// shared inputs (skipped when python3 or the inputs are unavailable).
#[test]
fn committed_catalog_is_up_to_date() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let repo = manifest.join("../..");
    let input = repo.join("../shared/pricing");
    if !input.join("aws.json").exists() {
        eprintln!("shared pricing inputs not found; skipping");
        return;
    }
    let out = std::env::temp_dir().join(format!("planguard-cost-catalog-{}.json", std::process::id()));
    let status = std::process::Command::new("python3")
        .arg(repo.join("scripts/build-catalog.py"))
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .status();
    let Ok(status) = status else {
        eprintln!("python3 not available; skipping");
        return;
    };
    assert!(status.success(), "build-catalog.py failed");
    let built = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let committed = std::fs::read(manifest.join("catalog/catalog.json")).unwrap();
    assert!(
        built == committed,
        "crates/cost/catalog/catalog.json is stale: run python3 scripts/build-catalog.py"
    );
}

#[test]
fn compiled_sections_of_the_shared_pricing() {
    let c = catalog();
    // Valkey = Redis x 0.8 (elasticache_extra.rules.valkey): cache.t3.micro 0.017 -> 0.0136
    let redis = c.elasticache_node_hour("us-east-1", "redis", "cache.t3.micro").unwrap();
    let valkey = c
        .elasticache_node_hour("us-east-1", "valkey", "cache.t3.micro")
        .unwrap();
    assert!((valkey.unit_price - redis.unit_price * 0.8).abs() < 1e-9);
    assert_eq!(valkey.source, "manual_list_price");
    // Windows t3.medium us-east-1 0.06 (vantage 2022-07 pages)
    let win = c
        .lookup(
            "aws.ec2.instance_hour",
            "us-east-1",
            &["t3.medium", "windows", "shared"],
        )
        .unwrap();
    assert_eq!(win.unit_price, 0.06);
    assert_eq!(win.source, "vantage_ec2_pages_2022_07");
    // SQL Server SE m5.xlarge us-east-1 1.224 (vantage RDS 2021-08); eu-west-1 from terracost
    let se = c
        .rds_instance_hour("us-east-1", "sqlserver-se", "db.m5.xlarge", false)
        .unwrap();
    assert_eq!(se.unit_price, 1.224);
    assert_eq!(
        c.rds_instance_hour("eu-west-1", "sqlserver-se", "db.m5.xlarge", true)
            .unwrap()
            .source,
        "terracost_2023_02"
    );
    // No Multi-AZ licensed price outside eu-west-1: unknown, not a fallback.
    assert!(c
        .rds_instance_hour("us-east-2", "sqlserver-se", "db.m5.xlarge", true)
        .is_none());
    // Dedicated host c5 eu-west-1 3.802; no other region.
    assert_eq!(
        c.lookup("aws.ec2.dedicated_host_hour", "eu-west-1", &["c5"])
            .unwrap()
            .unit_price,
        3.802
    );
    assert!(c.lookup("aws.ec2.dedicated_host_hour", "us-east-1", &["c5"]).is_none());
}
