//! Google Cloud cost models, one module per service family (`gcp/<family>.rs`: compute
//! instances, disks, addresses, Cloud NAT, load balancing, DNS, GKE, storage, registries,
//! BigQuery, Pub/Sub, Functions, KMS and Secret Manager, Logging and Monitoring); this module
//! registers them and classifies the `google_*` types without a model (free or unsupported).
//!
//! Prices come from the catalog's `gcp` section: gcp.json's tables (machines, disks, IPs,
//! NAT, VPN, buckets) and `gcp.services` (hand-entered Google list prices of
//! `scripts/pricing/gcp-manual.json`, each citing its Google pricing page).

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
    m.insert("google_compute_global_address", compute_global_address);
    m.insert("google_container_cluster", container_cluster);
    m.insert("google_compute_forwarding_rule", forwarding_rule);
    m.insert("google_compute_global_forwarding_rule", forwarding_rule);
    m.insert("google_dns_managed_zone", dns_managed_zone);
    m.insert("google_dns_record_set", dns_record_set);
    m.insert("google_kms_crypto_key", kms_crypto_key);
    m.insert("google_secret_manager_secret", secret_manager_secret);
    m.insert("google_secret_manager_secret_version", secret_manager_secret_version);
    m.insert("google_pubsub_topic", pubsub_topic);
    m.insert("google_pubsub_subscription", pubsub_subscription);
    for t in [
        "google_logging_billing_account_bucket_config",
        "google_logging_folder_bucket_config",
        "google_logging_organization_bucket_config",
        "google_logging_project_bucket_config",
    ] {
        m.insert(t, logging_bucket_config);
    }
    for t in [
        "google_logging_billing_account_sink",
        "google_logging_folder_sink",
        "google_logging_organization_sink",
        "google_logging_project_sink",
    ] {
        m.insert(t, logging_sink);
    }
    m.insert("google_monitoring_metric_descriptor", monitoring_metric_descriptor);
    m.insert("google_artifact_registry_repository", artifact_registry_repository);
    m.insert("google_container_registry", container_registry);
    m.insert("google_bigquery_table", bigquery_table);
    m.insert("google_cloudfunctions_function", cloudfunctions_function);
}

/// `google_*` types that cost nothing by themselves (beyond the shared free list in
/// `models::FREE_TYPES`): configuration, access control and plumbing whose cost, if any, is on
/// another resource (a load balancer's on its forwarding rules, a VPN's on its tunnels).
pub(crate) const FREE_TYPES: &[&str] = &[
    "google_bigquery_dataset_access",
    "google_bigquery_job",
    "google_bigquery_routine",
    "google_compute_attached_disk",
    "google_compute_autoscaler",
    "google_compute_region_autoscaler",
    "google_compute_backend_bucket",
    "google_compute_backend_bucket_signed_url_key",
    "google_compute_backend_service",
    "google_compute_backend_service_signed_url_key",
    "google_compute_region_backend_service",
    "google_compute_disk_resource_policy_attachment",
    "google_compute_region_disk_resource_policy_attachment",
    "google_compute_resource_policy",
    "google_compute_external_vpn_gateway",
    "google_compute_vpn_gateway",
    "google_compute_global_network_endpoint",
    "google_compute_global_network_endpoint_group",
    "google_compute_network_endpoint",
    "google_compute_network_endpoint_group",
    "google_compute_region_network_endpoint_group",
    "google_compute_health_check",
    "google_compute_http_health_check",
    "google_compute_https_health_check",
    "google_compute_region_health_check",
    "google_compute_instance_group",
    "google_compute_instance_group_named_port",
    "google_compute_per_instance_config",
    "google_compute_region_per_instance_config",
    "google_compute_region_instance_template",
    "google_compute_managed_ssl_certificate",
    "google_compute_ssl_certificate",
    "google_compute_region_ssl_certificate",
    "google_compute_region_ssl_policy",
    "google_compute_network_peering_routes_config",
    "google_compute_organization_security_policy",
    "google_compute_organization_security_policy_association",
    "google_compute_organization_security_policy_rule",
    "google_compute_project_default_network_tier",
    "google_compute_project_metadata",
    "google_compute_project_metadata_item",
    "google_compute_region_url_map",
    "google_compute_router_bgp_peer",
    "google_compute_router_interface",
    "google_compute_router_peer",
    "google_compute_shared_vpc_host_project",
    "google_compute_shared_vpc_service_project",
    "google_compute_target_grpc_proxy",
    "google_compute_target_ssl_proxy",
    "google_compute_target_tcp_proxy",
    "google_compute_region_target_http_proxy",
    "google_compute_region_target_https_proxy",
    "google_compute_region_target_tcp_proxy",
    "google_compute_target_pool",
    "google_compute_target_instance",
    "google_dns_policy",
    "google_dns_response_policy",
    "google_dns_response_policy_rule",
    "google_kms_key_ring_import_job",
    "google_kms_secret_ciphertext",
    "google_logging_billing_account_exclusion",
    "google_logging_folder_exclusion",
    "google_logging_organization_exclusion",
    "google_logging_project_exclusion",
    "google_logging_metric",
    "google_monitoring_alert_policy",
    "google_monitoring_custom_service",
    "google_monitoring_dashboard",
    "google_monitoring_group",
    "google_monitoring_slo",
    "google_monitoring_uptime_check_config",
    "google_os_login_ssh_public_key",
    "google_project_default_service_accounts",
    "google_project_service_identity",
    "google_sql_database",
    "google_sql_ssl_cert",
    "google_sql_user",
    "google_storage_bucket_access_control",
    "google_storage_bucket_acl",
    "google_storage_default_object_access_control",
    "google_storage_default_object_acl",
    "google_storage_hmac_key",
    "google_storage_notification",
    "google_storage_object_access_control",
    "google_storage_object_acl",
    "google_usage_export_bucket",
    "google_cloud_run_domain_mapping",
];

/// Why a `google_*` type without a model is unsupported: the types Infracost prices whose
/// Google list price could not be cited for the catalog say so; every other type gets the
/// generic reason.
pub(crate) fn unsupported_reason(resource_type: &str) -> &'static str {
    match resource_type {
        "google_sql_database_instance" => {
            "Cloud SQL: no Google-published vCPU, memory and storage prices in the catalog (none could be cited offline), so unknown rather than a guess"
        }
        "google_redis_instance" => {
            "Memorystore for Redis: no Google-published per-GB-hour capacity prices in the catalog (none could be cited offline)"
        }
        "google_compute_image" | "google_compute_machine_image" => {
            "image storage: no Google-published image storage price in the catalog (none could be cited offline)"
        }
        "google_bigquery_dataset" => {
            "BigQuery datasets bill queries on demand per TiB scanned: no Google-published query price in the catalog (none could be cited offline); table storage is priced on google_bigquery_table"
        }
        _ => UNSUPPORTED,
    }
}

/// Why an unmodelled `google_*` type is unsupported.
pub(crate) const UNSUPPORTED: &str = "no cost model for this Google type";

macro_rules! region {
    ($ctx:expr) => {
        match $ctx.region() {
            Ok(r) => r,
            Err(o) => return o,
        }
    };
}

// One module per service family.
mod bigquery;
mod compute;
mod dns;
mod functions;
mod gke;
mod groups;
mod lb;
mod messaging;
mod network;
mod observability;
mod registry;
mod security;
mod storage;

use self::{
    bigquery::*, compute::*, dns::*, functions::*, gke::*, groups::*, lb::*, messaging::*, network::*,
    observability::*, registry::*, security::*, storage::*,
};

/// The documentation of every Google model, family by family.
pub(crate) fn docs() -> Vec<&'static ModelDoc> {
    [
        compute::DOCS,
        groups::DOCS,
        network::DOCS,
        lb::DOCS,
        dns::DOCS,
        gke::DOCS,
        storage::DOCS,
        registry::DOCS,
        bigquery::DOCS,
        messaging::DOCS,
        functions::DOCS,
        security::DOCS,
        observability::DOCS,
    ]
    .into_iter()
    .flatten()
    .collect()
}
