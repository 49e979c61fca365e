//! Cost models: one function per resource type, turning one side (before or after) of a
//! resource change into priced [`Component`]s.
//!
//! The per-type dispatch table is built once ([`dispatch`]); [`crate::estimate`] resolves
//! each distinct type of a plan once, not once per resource.

use std::collections::HashMap;

use planguard_plan::{ChangeValues, Cursor, Expression, Lookup, Plan, ResourceChange, SENSITIVE};
use serde_json::Value;

use crate::catalog::{Catalog, Price, TieredPrice};
use crate::report::Component;
use crate::usage::UsageEntry;

pub(crate) mod aws;
pub(crate) mod azure;
pub(crate) mod gcp;

/// Everything a model may look at for one resource instance.
pub(crate) struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub plan: &'a Plan,
    pub rc: &'a ResourceChange,
    /// The region, or why it is unknown.
    pub region: &'a Result<String, String>,
    pub usage: Option<&'a UsageEntry>,
    pub refs: &'a RefIndex,
    /// True when pricing the before side (prior state).
    pub before: bool,
}

impl Ctx<'_> {
    pub fn hours(&self) -> f64 {
        self.catalog.hours_per_month()
    }

    /// The region, or an outcome saying why the resource can't be priced.
    pub fn region(&self) -> Result<&str, Outcome> {
        match self.region {
            Ok(r) => Ok(r),
            Err(reason) => Err(Outcome::unknown(format!("region unknown: {reason}"))),
        }
    }

    pub fn usage_num(&self, key: &str) -> Option<f64> {
        self.usage.and_then(|u| u.number(key))
    }
}

/// The priced side of one resource.
#[derive(Debug, Default, Clone)]
pub(crate) struct Outcome {
    pub components: Vec<Component>,
    /// No fixed cost: priced only from usage.
    pub usage_based: bool,
    /// Set when the whole side could not be priced.
    pub unknown: Option<String>,
    /// Set when this instance costs nothing (its cost is on another resource).
    pub free: Option<String>,
}

impl Outcome {
    pub fn new(components: Vec<Component>) -> Self {
        Outcome {
            components,
            ..Outcome::default()
        }
    }

    pub fn usage(components: Vec<Component>) -> Self {
        Outcome {
            components,
            usage_based: true,
            ..Outcome::default()
        }
    }

    pub fn free(reason: impl Into<String>) -> Self {
        Outcome {
            free: Some(reason.into()),
            ..Outcome::default()
        }
    }

    pub fn unknown(reason: impl Into<String>) -> Self {
        Outcome {
            unknown: Some(reason.into()),
            ..Outcome::default()
        }
    }
}

/// A cost model: prices one side of a resource.
pub(crate) type Model = fn(&Ctx<'_>, Cursor<'_>) -> Outcome;

/// The documentation of one cost model, kept beside it in its family module and rendered
/// into `crates/cost/README.md` (a test checks that the README is up to date).
pub(crate) struct ModelDoc {
    /// The resource types the model prices.
    pub types: &'static [&'static str],
    /// The components it prices and where their quantities come from.
    pub priced_from: &'static str,
    /// The defaults used when a price-setting value is unknown or unset (marked `assumed`),
    /// and what stays unknown.
    pub assumptions: &'static str,
}

/// Every model's documentation, in the order of the README: AWS families, then Google, then Azure.
pub(crate) fn model_docs() -> Vec<&'static ModelDoc> {
    aws::docs()
        .into_iter()
        .chain(gcp::docs())
        .chain(azure::docs())
        .collect()
}

/// The README's table of priced types, generated from [`model_docs`]: one row per model (types, components, assumptions), as in `crates/cost/README.md`.
pub fn priced_types_markdown() -> String {
    let mut out =
        String::from("| type | priced from | defaults when unknown/unset (marked `assumed`) |\n| --- | --- | --- |\n");
    for d in model_docs() {
        let types: Vec<String> = d.types.iter().map(|t| format!("`{t}`")).collect();
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            types.join(", "),
            d.priced_from,
            d.assumptions
        ));
    }
    out
}

/// What planguard does with a resource type.
#[derive(Clone, Copy)]
pub(crate) enum Dispatch {
    Model(Model),
    Free,
    Unsupported(&'static str),
}

/// Types that cost nothing by themselves (their cost, if any, is on another resource or is
/// account-level usage planguard does not model).
const FREE_TYPES: &[&str] = &[
    "aws_vpc",
    "aws_subnet",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_main_route_table_association",
    "aws_internet_gateway",
    "aws_egress_only_internet_gateway",
    "aws_network_acl",
    "aws_network_acl_rule",
    "aws_network_interface",
    "aws_network_interface_attachment",
    "aws_vpc_dhcp_options",
    "aws_vpc_dhcp_options_association",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_vpc_endpoint_route_table_association",
    "aws_eip_association",
    "aws_volume_attachment",
    "aws_key_pair",
    "aws_placement_group",
    "aws_launch_template",
    "aws_launch_configuration",
    "aws_autoscaling_policy",
    "aws_autoscaling_attachment",
    "aws_autoscaling_schedule",
    "aws_autoscaling_lifecycle_hook",
    "aws_appautoscaling_target",
    "aws_appautoscaling_policy",
    "aws_lb_listener",
    "aws_lb_listener_rule",
    "aws_lb_listener_certificate",
    "aws_lb_target_group",
    "aws_lb_target_group_attachment",
    "aws_alb_listener",
    "aws_alb_listener_rule",
    "aws_alb_target_group",
    "aws_alb_target_group_attachment",
    "aws_kms_alias",
    "aws_kms_grant",
    "aws_db_subnet_group",
    "aws_db_parameter_group",
    "aws_db_option_group",
    "aws_rds_cluster_parameter_group",
    "aws_elasticache_subnet_group",
    "aws_elasticache_parameter_group",
    "aws_sns_topic_policy",
    "aws_sqs_queue_policy",
    "aws_sqs_queue_redrive_policy",
    "aws_lambda_permission",
    "aws_lambda_event_source_mapping",
    "aws_lambda_alias",
    "aws_lambda_layer_version",
    "aws_cloudwatch_event_rule",
    "aws_cloudwatch_event_target",
    "aws_cloudwatch_log_stream",
    "aws_cloudwatch_log_subscription_filter",
    "aws_cloudwatch_log_metric_filter",
    "aws_cloudwatch_log_resource_policy",
    "aws_secretsmanager_secret_version",
    "aws_secretsmanager_secret_rotation",
    "aws_secretsmanager_secret_policy",
    "aws_eks_addon",
    "aws_eks_access_entry",
    "aws_eks_access_policy_association",
    "aws_eks_identity_provider_config",
    "aws_acm_certificate_validation",
    "aws_route53_zone_association",
    "aws_ecr_lifecycle_policy",
    "aws_ecr_repository_policy",
    "aws_ebs_encryption_by_default",
    "aws_ecs_cluster",
    "aws_ecs_task_definition",
    "aws_dynamodb_table_item",
    "aws_s3_object",
    "aws_s3_bucket_object",
    "aws_db_instance_role_association",
    "aws_rds_cluster_role_association",
    "terraform_data",
    "null_resource",
    "google_compute_network",
    "google_compute_subnetwork",
    "google_compute_firewall",
    "google_compute_router",
    "google_compute_route",
    "google_project_service",
    "google_service_account",
    "google_service_account_key",
    "google_kms_key_ring",
    "google_storage_bucket_object",
    "google_project",
    "google_folder",
    "google_org_policy_policy",
    "google_organization_policy",
    "google_folder_organization_policy",
    "google_project_organization_policy",
    "google_organization_iam_custom_role",
    "google_project_iam_custom_role",
    "google_compute_network_peering",
    "google_compute_ssl_policy",
    "google_compute_target_https_proxy",
    "google_compute_target_http_proxy",
    "google_compute_url_map",
    "google_service_networking_connection",
    "google_monitoring_notification_channel",
    "google_pubsub_schema",
    "google_compute_ha_vpn_gateway",
    "google_compute_instance_template",
    "aws_default_security_group",
    "aws_default_route_table",
    "aws_default_network_acl",
    "aws_default_vpc",
    "aws_default_subnet",
    "aws_elasticsearch_domain_policy",
    "aws_opensearch_domain_policy",
    // Infracost's free AWS types (configuration, access control and plumbing).
    "aws_vpc_peering_connection",
    "aws_vpc_peering_connection_accepter",
    "aws_vpc_peering_connection_options",
    "aws_vpn_gateway",
    "aws_vpn_gateway_attachment",
    "aws_vpn_gateway_route_propagation",
    "aws_vpn_connection_route",
    "aws_customer_gateway",
    "aws_ec2_transit_gateway",
    "aws_ec2_transit_gateway_route",
    "aws_ec2_transit_gateway_route_table",
    "aws_ec2_transit_gateway_route_table_association",
    "aws_ec2_transit_gateway_route_table_propagation",
    "aws_ec2_transit_gateway_peering_attachment_accepter",
    "aws_ec2_transit_gateway_vpc_attachment_accepter",
    "aws_ec2_client_vpn_authorization_rule",
    "aws_ec2_client_vpn_route",
    "aws_ec2_managed_prefix_list",
    "aws_ec2_managed_prefix_list_entry",
    "aws_ec2_tag",
    "aws_vpc_ipv6_cidr_block_association",
    "aws_vpc_endpoint_service",
    "aws_vpc_endpoint_service_allowed_principal",
    "aws_vpc_endpoint_subnet_association",
    "aws_vpc_endpoint_policy",
    "aws_vpc_endpoint_connection_notification",
    "aws_vpc_endpoint_security_group_association",
    "aws_default_vpc_dhcp_options",
    "aws_network_interface_sg_attachment",
    "aws_ami_launch_permission",
    "aws_autoscaling_notification",
    "aws_autoscaling_group_tag",
    "aws_autoscaling_traffic_source_attachment",
    "aws_lb_cookie_stickiness_policy",
    "aws_lb_ssl_negotiation_policy",
    "aws_load_balancer_policy",
    "aws_load_balancer_backend_server_policy",
    "aws_load_balancer_listener_policy",
    "aws_app_cookie_stickiness_policy",
    "aws_proxy_protocol_policy",
    "aws_elb_attachment",
    "aws_api_gateway_account",
    "aws_api_gateway_api_key",
    "aws_api_gateway_authorizer",
    "aws_api_gateway_base_path_mapping",
    "aws_api_gateway_client_certificate",
    "aws_api_gateway_deployment",
    "aws_api_gateway_documentation_part",
    "aws_api_gateway_documentation_version",
    "aws_api_gateway_domain_name",
    "aws_api_gateway_gateway_response",
    "aws_api_gateway_integration",
    "aws_api_gateway_integration_response",
    "aws_api_gateway_method",
    "aws_api_gateway_method_response",
    "aws_api_gateway_method_settings",
    "aws_api_gateway_model",
    "aws_api_gateway_request_validator",
    "aws_api_gateway_resource",
    "aws_api_gateway_rest_api_policy",
    "aws_api_gateway_usage_plan",
    "aws_api_gateway_usage_plan_key",
    "aws_api_gateway_vpc_link",
    "aws_apigatewayv2_api_mapping",
    "aws_apigatewayv2_authorizer",
    "aws_apigatewayv2_deployment",
    "aws_apigatewayv2_domain_name",
    "aws_apigatewayv2_integration",
    "aws_apigatewayv2_integration_response",
    "aws_apigatewayv2_model",
    "aws_apigatewayv2_route",
    "aws_apigatewayv2_route_response",
    "aws_apigatewayv2_stage",
    "aws_apigatewayv2_vpc_link",
    "aws_cloudfront_origin_access_identity",
    "aws_cloudfront_origin_access_control",
    "aws_cloudfront_cache_policy",
    "aws_cloudfront_origin_request_policy",
    "aws_cloudfront_response_headers_policy",
    "aws_cloudfront_key_group",
    "aws_cloudfront_public_key",
    "aws_cloudwatch_event_permission",
    "aws_cloudwatch_event_bus_policy",
    "aws_cloudwatch_log_destination",
    "aws_cloudwatch_log_destination_policy",
    "aws_cloudwatch_log_data_protection_policy",
    "aws_cloudwatch_query_definition",
    "aws_config_configuration_recorder_status",
    "aws_config_delivery_channel",
    "aws_config_aggregate_authorization",
    "aws_ecs_capacity_provider",
    "aws_ecs_cluster_capacity_providers",
    "aws_ecs_account_setting_default",
    "aws_ecr_replication_configuration",
    "aws_ecr_registry_policy",
    "aws_ecr_registry_scanning_configuration",
    "aws_ecr_pull_through_cache_rule",
    "aws_efs_mount_target",
    "aws_efs_access_point",
    "aws_efs_backup_policy",
    "aws_efs_file_system_policy",
    "aws_eks_pod_identity_association",
    "aws_elasticache_user",
    "aws_elasticache_user_group",
    "aws_elasticache_user_group_association",
    "aws_db_event_subscription",
    "aws_db_proxy_default_target_group",
    "aws_db_proxy_target",
    "aws_rds_global_cluster",
    "aws_lambda_function_event_invoke_config",
    "aws_lambda_code_signing_config",
    "aws_lambda_layer_version_permission",
    "aws_route53_delegation_set",
    "aws_route53_query_log",
    "aws_route53_vpc_association_authorization",
    "aws_route53_hosted_zone_dnssec",
    "aws_route53_key_signing_key",
    "aws_route53_resolver_rule_association",
    "aws_sfn_activity",
    "aws_sns_platform_application",
    "aws_sns_sms_preferences",
    "aws_sns_topic_data_protection_policy",
    "aws_sqs_queue_redrive_allow_policy",
    "aws_ssm_document",
    "aws_ssm_association",
    "aws_ssm_maintenance_window",
    "aws_ssm_maintenance_window_target",
    "aws_ssm_maintenance_window_task",
    "aws_ssm_patch_baseline",
    "aws_ssm_patch_group",
    "aws_ssm_resource_data_sync",
    "aws_kms_ciphertext",
    "aws_ebs_default_kms_key",
    "aws_acmpca_certificate_authority_certificate",
    "aws_acmpca_permission",
    "aws_acmpca_policy",
    "aws_wafv2_ip_set",
    "aws_wafv2_regex_pattern_set",
    "aws_wafv2_web_acl_association",
    "aws_wafv2_web_acl_logging_configuration",
    "aws_waf_ipset",
    "aws_waf_byte_match_set",
    "aws_waf_size_constraint_set",
    "aws_waf_sql_injection_match_set",
    "aws_waf_xss_match_set",
    "aws_networkfirewall_firewall_policy",
    "aws_networkfirewall_rule_group",
    "aws_networkfirewall_logging_configuration",
    "aws_transfer_user",
    "aws_transfer_ssh_key",
    "aws_globalaccelerator_listener",
    "aws_kinesis_stream_consumer",
    "aws_glue_catalog_database",
    "aws_glue_catalog_table",
    "aws_glue_security_configuration",
    "aws_resourcegroups_group",
    "aws_servicequotas_service_quota",
    "aws_organizations_account",
    "aws_organizations_organization",
    "aws_organizations_organizational_unit",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
    "aws_ssoadmin_account_assignment",
    "aws_ssoadmin_managed_policy_attachment",
    "aws_ssoadmin_permission_set",
    "aws_ssoadmin_permission_set_inline_policy",
    "aws_identitystore_group",
    "aws_identitystore_group_membership",
    "aws_identitystore_user",
    "aws_account_alternate_contact",
    "aws_cloudformation_stack_set_instance",
    "aws_codebuild_source_credential",
    "aws_codebuild_webhook",
];

/// Type prefixes that cost nothing by themselves.
const FREE_PREFIXES: &[&str] = &[
    "aws_iam_",
    "aws_s3_bucket_",
    "random_",
    "time_",
    "tls_",
    "local_",
    "null_",
    "google_project_iam_",
    "google_storage_bucket_iam_",
    "google_service_account_iam_",
    // VPC Service Controls (access policies, levels, perimeters) have no charge of their own.
    "google_access_context_manager_",
];

/// The model table, built once.
fn models() -> &'static HashMap<&'static str, Model> {
    static TABLE: std::sync::OnceLock<HashMap<&'static str, Model>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m: HashMap<&'static str, Model> = HashMap::new();
        aws::register(&mut m);
        gcp::register(&mut m);
        azure::register(&mut m);
        m
    })
}

/// What to do with a resource type.
pub(crate) fn dispatch(resource_type: &str) -> Dispatch {
    if let Some(model) = models().get(resource_type) {
        return Dispatch::Model(*model);
    }
    if resource_type.starts_with("azurerm_") || resource_type.starts_with("azuread_") {
        let free = azure::FREE_TYPES.contains(&resource_type)
            || azure::FREE_PREFIXES.iter().any(|p| resource_type.starts_with(p));
        return if free {
            Dispatch::Free
        } else {
            Dispatch::Unsupported(azure::UNSUPPORTED)
        };
    }
    // IAM bindings of any Google resource (`google_*_iam_member`, `_binding`, `_policy`).
    let google_iam = resource_type.starts_with("google_") && resource_type.contains("_iam_");
    if google_iam
        || FREE_TYPES.contains(&resource_type)
        || gcp::FREE_TYPES.contains(&resource_type)
        || FREE_PREFIXES.iter().any(|p| resource_type.starts_with(p))
    {
        return Dispatch::Free;
    }
    if resource_type.starts_with("google_") {
        return Dispatch::Unsupported(gcp::unsupported_reason(resource_type));
    }
    Dispatch::Unsupported("no cost model for this resource type")
}

/// Every type planguard prices with a model, sorted (for documentation and tests).
pub fn modelled_types() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = models().keys().copied().collect();
    v.sort_unstable();
    v
}

/// Every type planguard lists as free, sorted, and the free prefixes.
pub fn free_types() -> (Vec<&'static str>, &'static [&'static str]) {
    let mut v: Vec<&'static str> = FREE_TYPES.iter().chain(gcp::FREE_TYPES).copied().collect();
    v.sort_unstable();
    (v, FREE_PREFIXES)
}

/// Resource changes reachable by configuration address, id or name, for models that follow
/// references (an autoscaling group to its launch template). Only the types such models need
/// are kept, with their values parsed once.
#[derive(Default)]
pub(crate) struct RefIndex {
    /// Configuration address -> the instance with the smallest address (what a reference
    /// without an index most likely means; computed once, not per lookup).
    by_config_address: HashMap<String, usize>,
    /// `(type, id or name)` -> position; from after- and before-values.
    by_id: HashMap<(String, String), usize>,
    values: HashMap<usize, ChangeValues>,
}

/// Types a model may reach through a reference, with the types whose models follow them: a
/// referenced type is indexed (its values parsed) only when the plan has one of its consumers.
const REFERENCED_TYPES: &[(&str, &[&str])] = &[
    (
        "aws_launch_template",
        &["aws_instance", "aws_autoscaling_group", "aws_eks_node_group"],
    ),
    ("aws_launch_configuration", &["aws_autoscaling_group"]),
    ("aws_rds_cluster", &["aws_rds_cluster_instance"]),
    ("aws_ecs_task_definition", &["aws_ecs_service"]),
    ("aws_lambda_function", &["aws_lambda_provisioned_concurrency_config"]),
    ("azurerm_kubernetes_cluster", &["azurerm_kubernetes_cluster_node_pool"]),
    ("azurerm_mssql_server", &["azurerm_mssql_database"]),
    (
        "google_secret_manager_secret",
        &["google_secret_manager_secret_version"],
    ),
    ("google_bigquery_dataset", &["google_bigquery_table"]),
    (
        "google_compute_instance_template",
        &[
            "google_compute_instance_group_manager",
            "google_compute_region_instance_group_manager",
        ],
    ),
];

/// A referenced resource: its change and its parsed values.
pub(crate) struct Referenced<'p> {
    pub rc: &'p ResourceChange,
    pub values: &'p ChangeValues,
}

impl RefIndex {
    pub fn build(plan: &Plan) -> Self {
        use rayon::prelude::*;
        let present: std::collections::HashSet<&str> = plan
            .resource_changes
            .iter()
            .map(|rc| rc.resource_type.as_str())
            .collect();
        let wanted: Vec<&str> = REFERENCED_TYPES
            .iter()
            .filter(|(_, consumers)| consumers.iter().any(|c| present.contains(c)))
            .map(|(t, _)| *t)
            .collect();
        let parsed: Vec<(usize, ChangeValues)> = plan
            .resource_changes
            .par_iter()
            .enumerate()
            .filter(|(_, rc)| rc.deposed.is_none() && wanted.contains(&rc.resource_type.as_str()))
            .filter_map(|(i, rc)| rc.values().ok().map(|v| (i, v)))
            .collect();
        let mut index = RefIndex::default();
        for (i, values) in parsed {
            let Some(rc) = plan.resource_changes.get(i) else {
                continue;
            };
            index
                .by_config_address
                .entry(rc.addr.config_address())
                .and_modify(|first| {
                    if plan
                        .resource_changes
                        .get(*first)
                        .is_some_and(|f| rc.address < f.address)
                    {
                        *first = i;
                    }
                })
                .or_insert(i);
            for side in [values.after(), values.before()] {
                for key in ["id", "name", "arn", "cluster_identifier", "function_name", "family"] {
                    if let Some(v) = side.get(key).as_str() {
                        index.by_id.entry((rc.resource_type.clone(), v.to_owned())).or_insert(i);
                    }
                }
            }
            index.values.insert(i, values);
        }
        index
    }

    fn get<'p>(&'p self, plan: &'p Plan, i: usize) -> Option<Referenced<'p>> {
        Some(Referenced {
            rc: plan.resource_changes.get(i)?,
            values: self.values.get(&i)?,
        })
    }

    /// The first resource (by address) at a configuration address.
    pub fn at<'p>(&'p self, plan: &'p Plan, config_address: &str) -> Option<Referenced<'p>> {
        let first = *self.by_config_address.get(config_address)?;
        self.get(plan, first)
    }

    /// The resource of a type whose id, name or ARN is `id`.
    pub fn by_id<'p>(&'p self, plan: &'p Plan, resource_type: &str, id: &str) -> Option<Referenced<'p>> {
        let i = *self.by_id.get(&(resource_type.to_owned(), id.to_owned()))?;
        self.get(plan, i)
    }

    /// Follows the references of a configuration expression (the attribute at `path` of the
    /// resource's configuration block: `["launch_template", "id"]` reads the first
    /// `launch_template` block's `id`) to a resource of `target_type` in the same module.
    pub fn follow<'p>(
        &'p self,
        plan: &'p Plan,
        rc: &ResourceChange,
        path: &[&str],
        target_type: &str,
    ) -> Option<Referenced<'p>> {
        let config = plan.config_resource(&rc.addr)?;
        let (last, blocks) = path.split_last()?;
        let mut exprs = &config.resource.expressions;
        for name in blocks {
            match exprs.get(*name)? {
                Expression::Blocks(list) => exprs = list.first()?,
                Expression::Value { .. } => return None,
            }
        }
        let prefix = {
            let m = rc.addr.module.config_address();
            if m.is_empty() {
                m
            } else {
                m + "."
            }
        };
        for reference in exprs.get(*last)?.references() {
            let mut parts = reference.split('.');
            if parts.next() != Some(target_type) {
                continue;
            }
            let Some(name) = parts.next() else { continue };
            let name = name.split('[').next().unwrap_or(name);
            if let Some(found) = self.at(plan, &format!("{prefix}{target_type}.{name}")) {
                return Some(found);
            }
        }
        None
    }
}

// ---------------------------------------------------------------------------
// Value helpers
// ---------------------------------------------------------------------------

/// A value read from a plan side.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Got<T> {
    Known(T),
    /// Unknown until apply.
    Unknown,
    /// Absent or null: not set.
    Unset,
}

impl<T> Got<T> {
    pub fn known(self) -> Option<T> {
        match self {
            Got::Known(v) => Some(v),
            _ => None,
        }
    }
}

fn got<'a, T>(c: Cursor<'a>, f: impl FnOnce(&'a Value) -> Option<T>) -> Got<T> {
    match c.lookup() {
        Lookup::Unknown => Got::Unknown,
        Lookup::Absent | Lookup::Known(Value::Null) => Got::Unset,
        Lookup::Known(v) => f(v).map_or(Got::Unset, Got::Known),
    }
}

/// A string attribute (empty strings count as unset). A sensitive value reads as
/// `(sensitive)`: it is never written into a component name or note, and no price matches it.
pub(crate) fn s<'a>(c: Cursor<'a>, key: &str) -> Got<&'a str> {
    let at = c.get(key);
    if at.is_sensitive() && at.known().is_some() {
        return Got::Known(SENSITIVE);
    }
    got(at, |v| v.as_str().filter(|s| !s.is_empty()))
}

/// A number attribute (numbers written as strings, as some providers do, are accepted).
/// A sensitive number reads as unknown, so that it is never printed as a quantity.
pub(crate) fn n(c: Cursor<'_>, key: &str) -> Got<f64> {
    let at = c.get(key);
    if at.is_sensitive() {
        return Got::Unknown;
    }
    got(at, |v| match v {
        Value::Number(x) => x.as_f64(),
        Value::String(t) => t.trim().parse().ok(),
        _ => None,
    })
}

/// A boolean attribute (`"true"`/`"false"` strings accepted).
pub(crate) fn b(c: Cursor<'_>, key: &str) -> Got<bool> {
    got(c.get(key), |v| match v {
        Value::Bool(x) => Some(*x),
        Value::String(t) => t.parse().ok(),
        _ => None,
    })
}

/// The first element of a nested block list (`root_block_device[0]`), or unknown/unset.
pub(crate) fn block<'a>(c: Cursor<'a>, key: &str) -> Got<Cursor<'a>> {
    let list = c.get(key);
    match list.lookup() {
        Lookup::Unknown => Got::Unknown,
        Lookup::Known(Value::Array(items)) if !items.is_empty() => Got::Known(list.at(0)),
        Lookup::Known(Value::Object(_)) => Got::Known(list),
        _ if list.at(0).is_unknown() => Got::Unknown,
        _ => Got::Unset,
    }
}

/// Every element of a nested block list; `None` when the list is unknown until apply.
pub(crate) fn blocks<'a>(c: Cursor<'a>, key: &str) -> Option<Vec<Cursor<'a>>> {
    let list = c.get(key);
    if list.is_unknown() {
        return None;
    }
    Some(list.children().into_iter().map(|(_, c)| c).collect())
}

// ---------------------------------------------------------------------------
// Component builders
// ---------------------------------------------------------------------------

fn approximate(price_region: &str, fallback: bool, requested: &str) -> Option<String> {
    fallback.then(|| format!("{price_region} price used: the catalog has no {requested} price"))
}

/// `quantity` units at a flat price.
pub(crate) fn priced(name: impl Into<String>, quantity: f64, price: &Price<'_>, region: &str) -> Component {
    Component {
        name: name.into(),
        unit: price.unit.to_owned(),
        quantity: Some(quantity),
        unit_price: Some(price.unit_price),
        monthly: Some(price.cost(quantity)),
        assumed: None,
        approximate: approximate(&price.region_used, price.fallback, region),
        note: None,
    }
}

/// `quantity` units at a marginally tiered price; `unit_price` is the average.
pub(crate) fn tiered(name: impl Into<String>, quantity: f64, price: &TieredPrice<'_>, region: &str) -> Component {
    let monthly = price.cost(quantity);
    let unit_price = if quantity > 0.0 {
        monthly / quantity
    } else {
        price.tiers.first().map_or(0.0, |t| t.price)
    };
    Component {
        name: name.into(),
        unit: price.unit.to_owned(),
        quantity: Some(quantity),
        unit_price: Some(unit_price),
        monthly: Some(monthly),
        assumed: None,
        approximate: approximate(&price.region_used, price.fallback, region),
        note: None,
    }
}

/// A component that could not be priced.
pub(crate) fn unknown(name: impl Into<String>, unit: &str, reason: impl Into<String>) -> Component {
    Component {
        name: name.into(),
        unit: unit.to_owned(),
        quantity: None,
        unit_price: None,
        monthly: None,
        assumed: None,
        approximate: None,
        note: Some(reason.into()),
    }
}

/// A flat-priced component, or an unknown one when the catalog has no price.
pub(crate) fn priced_or(
    name: impl Into<String>,
    quantity: f64,
    price: Option<Price<'_>>,
    region: &str,
    what: impl FnOnce() -> String,
) -> Component {
    let name = name.into();
    match price {
        Some(p) => priced(name, quantity, &p, region),
        None => unknown(name, "", format!("no price in the catalog for {} in {region}", what())),
    }
}

/// Builder-style setters.
pub(crate) trait ComponentExt {
    fn assumed(self, text: Option<String>) -> Self;
    fn note(self, text: impl Into<String>) -> Self;
}

impl ComponentExt for Component {
    fn assumed(mut self, text: Option<String>) -> Self {
        if let Some(t) = text {
            self.assumed = Some(match self.assumed.take() {
                Some(prev) => format!("{prev}; {t}"),
                None => t,
            });
        }
        self
    }

    fn note(mut self, text: impl Into<String>) -> Self {
        let text = text.into();
        self.note = Some(match self.note.take() {
            Some(prev) => format!("{prev}; {text}"),
            None => text,
        });
        self
    }
}

/// A usage quantity, or 0 with a hint to set it in the usage file.
pub(crate) fn usage_qty(ctx: &Ctx<'_>, key: &str) -> (f64, Option<String>) {
    match ctx.usage_num(key) {
        Some(q) => (q, None),
        None => (0.0, Some(format!("usage-based: set {key} in the usage file"))),
    }
}

/// Appends a usage-priced component: quantity from the usage file (0 when not given, with a
/// hint), `scale` converting the usage quantity into the price's unit.
pub(crate) fn usage_component(
    out: &mut Vec<Component>,
    ctx: &Ctx<'_>,
    name: &str,
    key: &str,
    scale: f64,
    price: Option<Price<'_>>,
    region: &str,
) {
    let (q, hint) = usage_qty(ctx, key);
    match price {
        Some(p) => {
            let mut c = priced(name, q * scale, &p, region);
            if let Some(h) = hint {
                c = c.note(h);
            }
            out.push(c);
        }
        None if q > 0.0 => out.push(unknown(
            name,
            "",
            format!("no price in the catalog for {name} in {region}"),
        )),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEGIN: &str =
        "<!-- models table: generated from the models' DOCS (cargo test -p planguard-cost readme); do not edit -->\n";
    const END: &str = "<!-- end of the generated models table -->";

    #[test]
    fn every_model_is_documented_once() {
        let mut documented: Vec<&str> = model_docs().iter().flat_map(|d| d.types.iter().copied()).collect();
        documented.sort_unstable();
        let before = documented.len();
        documented.dedup();
        assert_eq!(before, documented.len(), "a type is documented twice");
        assert_eq!(documented, modelled_types(), "documented types != modelled types");
    }

    #[test]
    fn every_azurerm_type_is_classified() {
        assert!(matches!(dispatch("azurerm_resource_group"), Dispatch::Free));
        assert!(matches!(dispatch("azurerm_role_assignment"), Dispatch::Free));
        assert!(matches!(dispatch("azuread_group"), Dispatch::Free));
        assert!(matches!(dispatch("azurerm_linux_virtual_machine"), Dispatch::Model(_)));
        assert!(matches!(dispatch("azurerm_key_vault"), Dispatch::Unsupported(r) if r == azure::UNSUPPORTED));
        for t in azure::FREE_TYPES {
            assert!(!modelled_types().contains(t), "{t} is both free and modelled");
        }
    }

    /// The Google types Infracost lists as priced (its docs' "Google" supported-resources page,
    /// infracost/docs `docs/supported_resources/google.md`): 52 names.
    const INFRACOST_GOOGLE: &[&str] = &[
        "google_artifact_registry_repository",
        "google_bigquery_dataset",
        "google_bigquery_table",
        "google_dns_managed_zone",
        "google_dns_record_set",
        "google_cloudfunctions_function",
        "google_compute_forwarding_rule",
        "google_compute_global_forwarding_rule",
        "google_compute_target_grpc_proxy",
        "google_compute_target_http_proxy",
        "google_compute_target_https_proxy",
        "google_compute_target_ssl_proxy",
        "google_compute_target_tcp_proxy",
        "google_compute_region_target_http_proxy",
        "google_compute_region_target_https_proxy",
        "google_logging_billing_account_bucket_config",
        "google_logging_billing_account_sink",
        "google_logging_folder_bucket_config",
        "google_logging_folder_sink",
        "google_logging_organization_bucket_config",
        "google_logging_organization_sink",
        "google_logging_project_bucket_config",
        "google_logging_project_sink",
        "google_monitoring_metric_descriptor",
        "google_compute_router_nat",
        "google_pubsub_topic",
        "google_pubsub_subscription",
        "google_sql_database_instance",
        "google_storage_bucket",
        "google_compute_vpn_tunnel",
        "google_compute_vpn_gateway",
        "google_compute_ha_vpn_gateway",
        "google_compute_external_vpn_gateway",
        "google_compute_per_instance_config",
        "google_compute_region_per_instance_config",
        "google_compute_disk",
        "google_compute_image",
        "google_compute_machine_image",
        "google_compute_instance",
        "google_compute_instance_group_manager",
        "google_compute_region_instance_group_manager",
        "google_compute_address",
        "google_compute_global_address",
        "google_compute_snapshot",
        "google_container_registry",
        "google_kms_crypto_key",
        "google_container_cluster",
        "google_container_node_pool",
        "google_redis_instance",
        "google_secret_manager_secret",
        "google_secret_manager_secret_version",
        "google_service_networking_connection",
    ];

    #[test]
    fn google_coverage_of_infracosts_list() {
        let mut seen = INFRACOST_GOOGLE.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), 52, "52 distinct names");
        let modelled = INFRACOST_GOOGLE
            .iter()
            .filter(|t| matches!(dispatch(t), Dispatch::Model(_)))
            .count();
        assert!(modelled >= 30, "{modelled} of Infracost's 52 Google types have a model");
        for t in INFRACOST_GOOGLE {
            match dispatch(t) {
                Dispatch::Model(_) | Dispatch::Free => {}
                // The rest say why no price could be given, never the generic reason.
                Dispatch::Unsupported(reason) => assert!(reason.contains("cited"), "{t}: {reason}"),
            }
        }
    }

    #[test]
    fn every_google_type_is_classified() {
        for free in [
            "google_compute_network",
            "google_compute_subnetwork",
            "google_compute_firewall",
            "google_project_iam_member",
            "google_service_account",
            "google_project_service",
            "google_compute_health_check",
            "google_compute_backend_service",
            "google_sql_user",
            "google_logging_project_exclusion",
            "google_kms_key_ring",
        ] {
            assert!(matches!(dispatch(free), Dispatch::Free), "{free}");
        }
        assert!(matches!(
            dispatch("google_cloud_run_v2_service"),
            Dispatch::Unsupported(r) if r == gcp::UNSUPPORTED
        ));
        for t in gcp::FREE_TYPES {
            assert!(!modelled_types().contains(t), "{t} is both free and modelled");
            assert!(!FREE_TYPES.contains(t), "{t} is listed twice");
        }
    }

    /// The README's table is the generated one. `PLANGUARD_UPDATE_README=1` rewrites it.
    #[test]
    fn readme_models_table_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
        let readme = std::fs::read_to_string(&path).expect("README.md");
        let start = readme.find(BEGIN).expect("README.md has the models table begin marker") + BEGIN.len();
        let end = readme[start..].find(END).expect("README.md has the end marker") + start;
        let table = priced_types_markdown();
        if std::env::var_os("PLANGUARD_UPDATE_README").is_some() {
            let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(&path, updated).expect("write README.md");
            return;
        }
        assert!(
            readme[start..end] == table,
            "crates/cost/README.md's models table is out of date: run PLANGUARD_UPDATE_README=1 cargo test -p planguard-cost readme"
        );
    }
}
