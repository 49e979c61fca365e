//! Google models priced from the hand-entered Google list prices of `gcp.services` (and
//! gcp.json), on a hand-written google plan (no google provider offline):
//! fixtures/cost/gcp-services, every figure derived by hand in its expected.md.

use std::path::Path;

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status, Usage};

fn report(with_usage: bool) -> CostReport {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cost/gcp-services");
    let loaded = planguard_plan::load_file(&dir.join("plan.json"), &Default::default()).expect("fixture plan loads");
    let usage = with_usage.then(|| {
        let bytes = std::fs::read(dir.join("usage.yml")).expect("usage file");
        Usage::from_slice(&bytes, "fixtures/cost/gcp-services/usage.yml").expect("usage parses")
    });
    estimate(&loaded.plan, Catalog::embedded(), usage.as_ref()).expect("estimate")
}

fn res<'r>(r: &'r CostReport, address: &str) -> &'r ResourceCost {
    r.resources
        .iter()
        .find(|x| x.address == address)
        .unwrap_or_else(|| panic!("{address} not in the report"))
}

#[track_caller]
fn after(r: &CostReport, address: &str, status: Status, expected: f64) {
    let x = res(r, address);
    assert_eq!(x.status, status, "{address}: {:?}", x.reason);
    let a = x
        .monthly_after
        .unwrap_or_else(|| panic!("{address}: {:?} {:?}", x.status, x.reason));
    assert!((a - expected).abs() < 1e-6, "{address}: expected {expected}, got {a}");
}

#[test]
fn google_services_with_usage() {
    let r = report(true);
    // fee 73 + 2 × e2-standard-4 0.13402284 × 730 + 100 GB pd-standard × 0.04
    after(&r, "google_container_cluster.zonal", Status::Priced, 272.6733464);
    // A zonal cluster's node_locations omit its own zone: 2 zones × e2-standard-2 0.07371546 × 730
    // + 60 GB pd-balanced × 0.10
    after(
        &r,
        "google_container_cluster.multi_zone",
        Status::Priced,
        73.0 + 107.6245716 + 6.0,
    );
    after(&r, "google_container_cluster.regional", Status::Priced, 73.0);
    // node_pool unknown, none in the configuration: no inline pools, the default one removed
    after(&r, "google_container_cluster.separate_pools", Status::Priced, 73.0);
    after(&r, "google_container_cluster.autopilot", Status::Partial, 73.0);
    // fee 73 + 2 zones × n2-standard-2 0.097118 × 730 + 40 GB pd-ssd × 0.17
    after(&r, "google_container_cluster.inline", Status::Priced, 221.59228);
    after(&r, "google_compute_global_address.lb", Status::Priced, 3.65);
    assert_eq!(res(&r, "google_compute_global_address.peering").status, Status::Free);
    // 0.025 × 730 + 500 GB × 0.008
    after(&r, "google_compute_global_forwarding_rule.https", Status::Priced, 22.25);
    let internal = res(&r, "google_compute_forwarding_rule.internal");
    after(&r, "google_compute_forwarding_rule.internal", Status::Priced, 18.25);
    assert!(
        internal.components[0]
            .approximate
            .as_deref()
            .is_some_and(|a| a.contains("europe-west1")),
        "a regional rule at the global rate is flagged approximate: {:?}",
        internal.components[0]
    );
    after(
        &r,
        "google_dns_managed_zone.public",
        Status::Priced,
        0.000273973 * 730.0,
    );
    after(&r, "google_dns_record_set.www", Status::UsageBased, 1.2);
    after(&r, "google_kms_crypto_key.software", Status::Priced, 0.66);
    after(&r, "google_kms_crypto_key.hsm_ec", Status::Priced, 5.0);
    // skip_initial_version_creation: no version until one is imported
    after(&r, "google_kms_crypto_key.imported", Status::Priced, 0.0);
    // 0.15 access + 730 × 3600 / 2592000 rotations × 0.05
    after(
        &r,
        "google_secret_manager_secret.db",
        Status::Priced,
        0.15 + 730.0 * 3600.0 / 2_592_000.0 * 0.05,
    );
    after(&r, "google_secret_manager_secret_version.db", Status::Priced, 0.12);
    after(&r, "google_secret_manager_secret.auto", Status::UsageBased, 0.0);
    after(&r, "google_pubsub_topic.events", Status::UsageBased, 80.0);
    after(&r, "google_pubsub_subscription.to_bq", Status::UsageBased, 52.7);
    // 100 × 0.50 + 100 × 60 / (730 / 24) × 0.01
    after(
        &r,
        "google_logging_project_bucket_config.audit",
        Status::UsageBased,
        50.0 + 100.0 * 60.0 / (730.0 / 24.0) * 0.01,
    );
    after(&r, "google_logging_project_sink.to_bucket", Status::UsageBased, 10.0);
    assert_eq!(res(&r, "google_logging_project_sink.to_gcs").status, Status::Free);
    // 100,000 × 0.258 + 20,000 × 0.151
    after(
        &r,
        "google_monitoring_metric_descriptor.custom",
        Status::UsageBased,
        28_820.0,
    );
    after(
        &r,
        "google_artifact_registry_repository.docker",
        Status::UsageBased,
        5.0,
    );
    assert_eq!(
        res(&r, "google_artifact_registry_repository.virtual").status,
        Status::Free
    );
    after(&r, "google_container_registry.gcr", Status::UsageBased, 2.6);
    // Google's own example: 50 GB × 0.02 + 10,000 / 1,000 × 0.005 + 50,000 / 1,000 × 0.0004
    after(&r, "google_storage_bucket.assets", Status::UsageBased, 1.07);
    // 1000 GB × US multi-region Archive 0.0024; its operations have no price: partial
    after(&r, "google_storage_bucket.archive", Status::Partial, 2.4);
    let archive = res(&r, "google_storage_bucket.archive");
    assert!(archive
        .reason
        .as_deref()
        .is_some_and(|x| x.contains("Class A operations")));
    after(&r, "google_bigquery_table.events", Status::Partial, 20.0);
    after(&r, "google_cloudfunctions_function.fn", Status::Partial, 4.0);
    for a in [
        "google_compute_target_https_proxy.https",
        "google_compute_target_tcp_proxy.tcp",
        "google_compute_network.vpc",
        "google_compute_health_check.hc",
        "google_monitoring_alert_policy.queue",
        "google_compute_vpn_gateway.classic",
    ] {
        assert_eq!(res(&r, a).status, Status::Free, "{a}");
    }
    let unsupported: Vec<&str> = r.unsupported.iter().map(|u| u.resource_type.as_str()).collect();
    assert_eq!(
        unsupported,
        [
            "google_bigquery_dataset",
            "google_redis_instance",
            "google_sql_database_instance"
        ]
    );
    assert!(
        r.unsupported.iter().all(|u| u.reason.contains("cited")),
        "each says why no price: {:?}",
        r.unsupported
    );
    assert!(r.totals_at_least, "partial resources make the totals lower bounds");
    assert!(
        r.warnings.iter().all(|w| !w.contains("usage.yml")),
        "every usage key is read: {:?}",
        r.warnings
    );
    let text = render_text(&r, false);
    assert!(!text.contains("hunter2"), "the sensitive secret_data never appears");
    insta::assert_snapshot!("gcp_services_text", text);
}

#[test]
fn google_services_without_usage_keep_fixed_costs() {
    let r = report(false);
    after(&r, "google_pubsub_topic.events", Status::UsageBased, 0.0);
    after(
        &r,
        "google_monitoring_metric_descriptor.custom",
        Status::UsageBased,
        0.0,
    );
    // The rule hours stay; the data line is 0 with a hint.
    after(&r, "google_compute_global_forwarding_rule.https", Status::Priced, 18.25);
    // No key_versions: 1 version assumed and said so.
    let key = res(&r, "google_kms_crypto_key.hsm_ec");
    after(&r, "google_kms_crypto_key.hsm_ec", Status::Priced, 2.5);
    assert!(key.components[0]
        .assumed
        .as_deref()
        .is_some_and(|a| a.contains("1 active version")));
    // Without request_duration_ms, no unknown compute line: invocations at 0.
    after(&r, "google_cloudfunctions_function.fn", Status::UsageBased, 0.0);
    let dns = res(&r, "google_dns_record_set.www");
    assert!(dns.components[0]
        .note
        .as_deref()
        .is_some_and(|n| n.contains("set monthly_queries")));
}

#[test]
fn every_gcp_services_table_the_models_use_exists() {
    let c = Catalog::embedded();
    for (table, region, key) in [
        ("gke_cluster_management_hour", "us-central1", &[][..]),
        ("lb_forwarding_rule_hour", "global", &["first_5"]),
        ("lb_forwarding_rule_hour", "global", &["additional"]),
        ("lb_data_processed", "us-central1", &["inbound"]),
        ("kms_key_version_month", "global", &["SOFTWARE"]),
        ("kms_key_version_month", "global", &["HSM"]),
        ("kms_key_version_month", "global", &["HSM_LARGE"]),
        ("kms_key_version_month", "global", &["EXTERNAL"]),
        ("kms_key_version_month", "global", &["EXTERNAL_VPC"]),
        ("kms_operations", "global", &["standard"]),
        ("kms_operations", "global", &["hsm_large"]),
        ("secret_manager_version_month", "global", &[]),
        ("secret_manager_access", "global", &[]),
        ("secret_manager_rotation", "global", &[]),
        ("dns_managed_zone_hour", "global", &["first_25"]),
        ("dns_queries", "global", &["regular"]),
        ("dns_queries", "global", &["routing_policy"]),
        ("pubsub_throughput", "global", &["basic"]),
        ("pubsub_throughput", "global", &["bigquery_subscription"]),
        ("pubsub_throughput", "global", &["cloud_storage_subscription"]),
        ("pubsub_storage", "global", &[]),
        ("logging_storage", "global", &["standard"]),
        ("logging_retention", "global", &[]),
        ("monitoring_data", "global", &["first_100000"]),
        ("monitoring_data", "global", &["next_150000"]),
        ("monitoring_data", "global", &["over_250000"]),
        ("artifact_registry_storage", "global", &[]),
        ("bigquery_storage", "eu", &["active"]),
        ("storage_operations", "us-east1", &["A"]),
        ("storage_operations", "us-east1", &["B"]),
        ("functions_invocations", "global", &[]),
    ] {
        let p = c
            .gcp_service(table, region, key)
            .unwrap_or_else(|| panic!("gcp.services.{table} {key:?} missing"));
        assert!(p.unit_price > 0.0, "{table} {key:?}");
        assert!(!p.fallback, "{table} {key:?} in {region} is not a fallback price");
        assert_eq!(p.source, "manual_list_price_gcp_2026", "{table}");
    }
    // A region a regional table lacks falls back, flagged; an unknown key is None.
    let p = c
        .gcp_service("lb_data_processed", "asia-south1", &["inbound"])
        .expect("fallback");
    assert!(p.fallback && p.region_used == "us-central1");
    assert!(c.gcp_service("kms_key_version_month", "global", &["QUANTUM"]).is_none());
    assert!(c.gcp_service("no_such_table", "global", &[]).is_none());
}
