//! The usage file: monthly quantities for usage-priced resources, in Infracost's format.
//!
//! ```yaml
//! version: 0.1
//! resource_type_default_usage:        # applies to every resource of the type
//!   aws_lambda_function:
//!     monthly_requests: 1000000
//!     request_duration_ms: 250
//! resource_usage:                     # per address; overrides the type default key by key
//!   aws_lambda_function.api:
//!     monthly_requests: 50000000
//!   aws_lambda_function.workers[*]:   # `[*]` matches any instance key
//!     monthly_requests: 2000000
//!   module.logs.aws_s3_bucket.archive:
//!     standard:                       # S3 storage classes are nested objects
//!       storage_gb: 500
//!       monthly_tier_1_requests: 10000
//! ```
//!
//! Key precedence for one resource instance: its exact address, then the longest matching
//! wildcard address, then `resource_type_default_usage`. Keys planguard does not know for the
//! resource type are reported in [`Usage::warnings`] (and in the report's `warnings`), never
//! silently ignored; keys Infracost knows but planguard does not price (reserved-instance
//! terms, SNS subscriptions, ...) are reported too. A value of the wrong type, a negative
//! quantity, or a document that is not a mapping is a [`CostError::Usage`] naming
//! `file:line:column`.
//!
//! The keys each type understands are listed in `crates/cost/README.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::CostError;

/// A usage file, parsed and checked.
#[derive(Debug, Clone, Default)]
pub struct Usage {
    origin: String,
    /// Exact addresses.
    exact: BTreeMap<String, UsageEntry>,
    /// Wildcard addresses (`[*]`), longest pattern first.
    wildcards: Vec<(String, UsageEntry)>,
    /// Per resource type.
    type_defaults: BTreeMap<String, UsageEntry>,
    warnings: Vec<String>,
}

/// The usage values given for one address or type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UsageEntry {
    values: BTreeMap<String, UsageValue>,
}

/// One usage value.
#[derive(Debug, Clone, PartialEq)]
pub enum UsageValue {
    /// A non-negative quantity.
    Number(f64),
    /// A text value (e.g. `operating_system: linux`).
    Text(String),
    /// A nested object (S3 storage classes).
    Object(UsageEntry),
}

impl UsageEntry {
    /// The number under `key`, if given.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.values.get(key) {
            Some(UsageValue::Number(n)) => Some(*n),
            _ => None,
        }
    }

    /// The text under `key`, if given.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some(UsageValue::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The nested object under `key`, if given.
    pub fn object(&self, key: &str) -> Option<&UsageEntry> {
        match self.values.get(key) {
            Some(UsageValue::Object(o)) => Some(o),
            _ => None,
        }
    }

    /// True when nothing is given.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `self` with the keys of `over` replacing its own (nested objects merged too).
    fn merged(&self, over: &UsageEntry) -> UsageEntry {
        let mut out = self.clone();
        for (k, v) in &over.values {
            let merged = match (out.values.get(k), v) {
                (Some(UsageValue::Object(a)), UsageValue::Object(b)) => UsageValue::Object(a.merged(b)),
                _ => v.clone(),
            };
            out.values.insert(k.clone(), merged);
        }
        out
    }
}

/// What kind of value a usage key holds.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// A quantity that planguard prices.
    Num,
    /// A text value planguard reads.
    Text,
    /// A key Infracost knows that planguard accepts but does not price.
    Ignored,
    /// Nested keys (S3 storage classes).
    Object(&'static [(&'static str, Kind)]),
}

use Kind::{Ignored, Num, Object, Text};

const INSTANCE_KEYS: &[(&str, Kind)] = &[
    ("operating_system", Text),
    ("monthly_cpu_credit_hrs", Num),
    ("vcpu_count", Num),
    ("reserved_instance_type", Ignored),
    ("reserved_instance_term", Ignored),
    ("reserved_instance_payment_option", Ignored),
    ("monthly_hrs", Num),
];

const GROUP_KEYS: &[(&str, Kind)] = &[
    ("instances", Num),
    ("operating_system", Text),
    ("monthly_cpu_credit_hrs", Num),
    ("vcpu_count", Num),
    ("reserved_instance_type", Ignored),
    ("reserved_instance_term", Ignored),
    ("reserved_instance_payment_option", Ignored),
];

const S3_CLASS_KEYS: &[(&str, Kind)] = &[
    ("storage_gb", Num),
    ("monthly_tier_1_requests", Num),
    ("monthly_tier_2_requests", Num),
    ("monthly_lifecycle_transition_requests", Ignored),
    ("monthly_data_retrieval_gb", Num),
    ("monthly_select_data_scanned_gb", Num),
    ("monthly_select_data_returned_gb", Num),
    ("monthly_standard_data_retrieval_requests", Ignored),
    ("monthly_expedited_data_retrieval_requests", Ignored),
    ("monthly_bulk_data_retrieval_requests", Ignored),
    ("monthly_standard_data_retrieval_gb", Ignored),
    ("monthly_expedited_data_retrieval_gb", Ignored),
    ("monthly_bulk_data_retrieval_gb", Ignored),
    ("monthly_standard_select_data_scanned_gb", Ignored),
    ("monthly_standard_select_data_returned_gb", Ignored),
    ("early_delete_gb", Ignored),
];

const S3_INTELLIGENT_KEYS: &[(&str, Kind)] = &[
    ("frequent_access_storage_gb", Num),
    ("infrequent_access_storage_gb", Num),
    ("archive_access_storage_gb", Ignored),
    ("deep_archive_access_storage_gb", Ignored),
    ("monthly_monitored_objects", Num),
    ("monthly_tier_1_requests", Num),
    ("monthly_tier_2_requests", Num),
    ("monthly_lifecycle_transition_requests", Ignored),
    ("monthly_select_data_scanned_gb", Ignored),
    ("monthly_select_data_returned_gb", Ignored),
    ("early_delete_gb", Ignored),
];

/// The usage keys of each resource type planguard models (Infracost's names).
fn schema(resource_type: &str) -> Option<&'static [(&'static str, Kind)]> {
    Some(match resource_type {
        "aws_instance" => INSTANCE_KEYS,
        "aws_autoscaling_group" | "aws_eks_node_group" => GROUP_KEYS,
        "aws_ebs_volume" => &[("monthly_standard_io_requests", Num)],
        "aws_db_instance" => &[
            ("additional_backup_storage_gb", Num),
            ("monthly_standard_io_requests", Num),
            ("monthly_cpu_credit_hrs", Num),
            ("vcpu_count", Num),
            ("monthly_additional_performance_insights_requests", Ignored),
            ("reserved_instance_term", Ignored),
            ("reserved_instance_payment_option", Ignored),
        ],
        "aws_rds_cluster_instance" => &[
            ("monthly_cpu_credit_hrs", Num),
            ("vcpu_count", Num),
            ("monthly_additional_performance_insights_requests", Ignored),
            ("reserved_instance_term", Ignored),
            ("reserved_instance_payment_option", Ignored),
        ],
        "aws_nat_gateway" => &[("monthly_data_processed_gb", Num)],
        "aws_ec2_transit_gateway_vpc_attachment" => &[("monthly_data_processed_gb", Num)],
        "aws_api_gateway_rest_api" => &[("monthly_requests", Num)],
        "aws_apigatewayv2_api" => &[
            ("monthly_requests", Num),
            ("request_size_kb", Num),
            ("monthly_messages", Num),
            ("message_size_kb", Num),
            ("monthly_connection_minutes", Num),
        ],
        "aws_lb" | "aws_alb" => &[
            ("new_connections", Num),
            ("active_connections", Num),
            ("processed_bytes_gb", Num),
            ("rule_evaluations", Num),
            ("capacity_units", Num),
        ],
        "aws_elb" => &[("monthly_data_processed_gb", Num)],
        "aws_elasticache_cluster" | "aws_elasticache_replication_group" => &[
            ("snapshot_storage_size_gb", Num),
            ("reserved_instance_term", Ignored),
            ("reserved_instance_payment_option", Ignored),
        ],
        "aws_cloudwatch_log_group" => &[
            ("storage_gb", Num),
            ("monthly_data_ingested_gb", Num),
            ("monthly_data_scanned_gb", Num),
        ],
        "aws_dynamodb_table" => &[
            ("monthly_write_request_units", Num),
            ("monthly_read_request_units", Num),
            ("storage_gb", Num),
            ("pitr_backup_storage_gb", Num),
            ("on_demand_backup_storage_gb", Num),
            ("monthly_data_restored_gb", Num),
            ("monthly_streams_read_request_units", Num),
        ],
        "aws_lambda_function" => &[("monthly_requests", Num), ("request_duration_ms", Num)],
        "aws_s3_bucket" => &[
            ("object_tags", Ignored),
            ("standard", Object(S3_CLASS_KEYS)),
            ("intelligent_tiering", Object(S3_INTELLIGENT_KEYS)),
            ("standard_infrequent_access", Object(S3_CLASS_KEYS)),
            ("one_zone_infrequent_access", Object(S3_CLASS_KEYS)),
            ("glacier_flexible_retrieval", Object(S3_CLASS_KEYS)),
            ("glacier_instant_retrieval", Object(S3_CLASS_KEYS)),
            ("glacier_deep_archive", Object(S3_CLASS_KEYS)),
        ],
        "aws_sqs_queue" => &[("monthly_requests", Num), ("request_size_kb", Num)],
        "aws_sns_topic" => &[
            ("monthly_requests", Num),
            ("request_size_kb", Num),
            ("http_subscriptions", Ignored),
            ("email_subscriptions", Ignored),
            ("kinesis_subscriptions", Ignored),
            ("mobile_push_subscriptions", Ignored),
            ("macos_subscriptions", Ignored),
            ("sms_subscriptions", Ignored),
            ("sms_notification_price", Ignored),
        ],
        "aws_secretsmanager_secret" => &[("monthly_requests", Num)],
        "aws_route53_record" => &[
            ("monthly_standard_queries", Num),
            ("monthly_latency_based_queries", Num),
            ("monthly_geo_queries", Num),
        ],
        "google_storage_bucket" => &[
            ("storage_gb", Num),
            ("monthly_class_a_operations", Num),
            ("monthly_class_b_operations", Num),
            ("monthly_data_retrieval_gb", Ignored),
            ("monthly_egress_data_transfer_gb", Ignored),
        ],
        "google_compute_router_nat" => &[("assigned_vms", Num), ("monthly_data_processed_gb", Num)],
        "google_compute_instance" => &[("monthly_hrs", Num)],
        "google_compute_snapshot" => &[("storage_gb", Num)],
        "azurerm_lb" | "azurerm_nat_gateway" | "azurerm_firewall" => &[("monthly_data_processed_gb", Num)],
        "azurerm_application_gateway" => &[("capacity_units", Num)],
        "azurerm_storage_account" => &[("storage_gb", Num)],
        "aws_rds_cluster" => &[
            ("storage_gb", Num),
            ("write_requests_per_sec", Num),
            ("read_requests_per_sec", Num),
            ("backup_snapshot_size_gb", Ignored),
            ("average_statements_per_hr", Ignored),
            ("change_records_per_statement", Ignored),
            ("backtrack_window_hrs", Ignored),
            ("snapshot_export_size_gb", Ignored),
            ("capacity_units_per_hr", Ignored),
        ],
        "aws_ecr_repository" => &[("storage_gb", Num)],
        "aws_efs_file_system" => &[
            ("storage_gb", Num),
            ("infrequent_access_storage_gb", Ignored),
            ("monthly_infrequent_access_read_gb", Ignored),
            ("monthly_infrequent_access_write_gb", Ignored),
        ],
        "aws_vpc_endpoint" => &[("monthly_data_processed_gb", Num)],
        other => return aws_services_schema(other),
    })
}

/// Usage keys of the AWS models priced from hand-entered list prices (`aws.services`).
fn aws_services_schema(resource_type: &str) -> Option<&'static [(&'static str, Kind)]> {
    Some(match resource_type {
        "aws_flow_log" => &[("monthly_data_ingested_gb", Num)],
        "aws_cloudtrail" => &[
            ("monthly_additional_management_events", Num),
            ("monthly_data_events", Num),
            ("monthly_insight_events", Num),
        ],
        "aws_acmpca_certificate_authority" => &[("monthly_requests", Num)],
        "aws_ssm_parameter" => &[
            ("parameter_storage_hrs", Num),
            ("monthly_api_interactions", Num),
            ("api_throughput_limit", Ignored),
        ],
        "aws_sns_topic_subscription" => &[("monthly_requests", Num), ("request_size_kb", Num)],
        "aws_kinesis_stream" => &[
            ("monthly_put_payload_units", Num),
            ("monthly_on_demand_data_in_gb", Num),
            ("monthly_on_demand_data_out_gb", Num),
        ],
        "aws_sfn_state_machine" => &[
            ("monthly_transitions", Num),
            ("monthly_requests", Num),
            ("workflow_duration_ms", Num),
            ("memory_mb", Num),
        ],
        "aws_cloudwatch_event_bus" => &[
            ("monthly_custom_events", Num),
            ("monthly_third_party_events", Num),
            ("monthly_archive_processing_gb", Ignored),
            ("archive_storage_gb", Ignored),
            ("monthly_schema_discovery_events", Ignored),
        ],
        "aws_networkfirewall_firewall" => &[("monthly_data_processed_gb", Num)],
        "aws_transfer_server" => &[("monthly_data_uploaded_gb", Num), ("monthly_data_downloaded_gb", Num)],
        "aws_ec2_client_vpn_endpoint" => &[("monthly_connection_hours", Num)],
        "aws_waf_web_acl" | "aws_wafv2_web_acl" => &[("monthly_requests", Num)],
        "aws_config_configuration_recorder" => &[("monthly_config_items", Num), ("monthly_custom_config_items", Num)],
        "aws_config_config_rule" | "aws_config_organization_custom_rule" | "aws_config_organization_managed_rule" => {
            &[("monthly_rule_evaluations", Num)]
        }
        "aws_s3_bucket_analytics_configuration" => &[("monthly_monitored_objects", Num)],
        "aws_s3_bucket_inventory" => &[("monthly_listed_objects", Num)],
        "aws_codebuild_project" => &[("monthly_build_mins", Num)],
        "aws_glue_job" => &[("monthly_hours", Num)],
        "aws_redshift_cluster" => &[
            ("managed_storage_gb", Num),
            ("excess_concurrency_scaling_secondary_cluster_seconds", Ignored),
            ("spectrum_data_scanned_tb", Ignored),
            ("backup_storage_gb", Ignored),
        ],
        "aws_docdb_cluster" => &[
            ("storage_gb", Num),
            ("monthly_io_requests", Num),
            ("backup_storage_gb", Ignored),
        ],
        "aws_kinesis_firehose_delivery_stream" => &[("monthly_data_ingested_gb", Num)],
        "aws_route53_health_check" => &[("endpoint_type", Text)],
        "aws_cloudfront_function" => &[("monthly_requests", Num)],
        "aws_kinesisanalyticsv2_application" => &[("kinesis_processing_units", Num)],
        "aws_neptune_cluster" => &[
            ("storage_gb", Num),
            ("monthly_io_requests", Num),
            ("backup_storage_gb", Ignored),
        ],
        "aws_neptune_cluster_snapshot" | "aws_docdb_cluster_snapshot" => &[("backup_storage_gb", Num)],
        "aws_dx_gateway_association" => &[("monthly_data_processed_gb", Num)],
        "aws_cloudformation_stack" | "aws_cloudformation_stack_set" => {
            &[("monthly_handler_operations", Num), ("monthly_duration_secs", Num)]
        }
        other => return gcp_services_schema(other),
    })
}

/// Usage keys of the Google models priced from hand-entered list prices (`gcp.services`).
fn gcp_services_schema(resource_type: &str) -> Option<&'static [(&'static str, Kind)]> {
    Some(match resource_type {
        "google_compute_forwarding_rule" | "google_compute_global_forwarding_rule" => {
            &[("monthly_ingress_data_gb", Num)]
        }
        "google_dns_record_set" => &[("monthly_queries", Num)],
        "google_kms_crypto_key" => &[("key_versions", Num), ("monthly_key_operations", Num)],
        "google_secret_manager_secret" => &[
            ("monthly_access_operations", Num),
            ("active_secret_versions", Ignored),
            ("monthly_rotation_notifications", Ignored),
        ],
        "google_pubsub_topic" | "google_pubsub_subscription" => &[
            ("monthly_message_data_tb", Num),
            ("storage_gb", Num),
            ("snapshot_storage_gb", Ignored),
        ],
        "google_logging_billing_account_bucket_config"
        | "google_logging_folder_bucket_config"
        | "google_logging_organization_bucket_config"
        | "google_logging_project_bucket_config"
        | "google_logging_billing_account_sink"
        | "google_logging_folder_sink"
        | "google_logging_organization_sink"
        | "google_logging_project_sink" => &[("monthly_logging_data_gb", Num)],
        "google_monitoring_metric_descriptor" => &[("monthly_monitoring_data_mb", Num)],
        "google_artifact_registry_repository" => &[("storage_gb", Num), ("monthly_egress_data_transfer_gb", Ignored)],
        "google_container_registry" => &[
            ("storage_gb", Num),
            ("monthly_class_a_operations", Ignored),
            ("monthly_class_b_operations", Ignored),
            ("monthly_egress_data_transfer_gb", Ignored),
        ],
        "google_bigquery_table" => &[
            ("storage_gb", Num),
            ("monthly_long_term_storage_gb", Num),
            ("monthly_streaming_inserts_mb", Ignored),
            ("monthly_storage_write_api_gb", Ignored),
            ("monthly_storage_read_api_tb", Ignored),
        ],
        "google_cloudfunctions_function" => &[
            ("monthly_function_invocations", Num),
            ("request_duration_ms", Num),
            ("monthly_outbound_data_gb", Ignored),
        ],
        _ => return None,
    })
}

/// A YAML node with its position, as read by serde-saphyr.
#[derive(Debug)]
enum Node {
    Null,
    Bool,
    Number(f64),
    Text(String),
    Seq,
    Map(Vec<Entry>),
}

/// A mapping entry: key and value, each with its position.
type Entry = (Spanned<String>, Spanned<Node>);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_bool<E>(self, _v: bool) -> Result<Node, E> {
                Ok(Node::Bool)
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Number(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
                Ok(Node::Number(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Number(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Text(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Text(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Node::Seq)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    let v = map.next_value::<Spanned<Node>>()?;
                    out.push((k, v));
                }
                Ok(Node::Map(out))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Node {
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool => "a boolean",
            Node::Number(_) => "a number",
            Node::Text(_) => "a string",
            Node::Seq => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

struct Loader<'a> {
    origin: &'a str,
    warnings: Vec<String>,
}

impl Loader<'_> {
    fn error<T>(&self, at: &serde_saphyr::Location, message: impl Into<String>) -> Result<T, CostError> {
        Err(CostError::Usage {
            origin: self.origin.to_owned(),
            line: at.line(),
            column: at.column(),
            message: message.into(),
        })
    }

    fn warn(&mut self, at: &serde_saphyr::Location, message: String) {
        self.warnings.push(format!(
            "usage file {}:{}:{}: {message}",
            self.origin,
            at.line(),
            at.column()
        ));
    }

    fn mapping<'n>(&self, node: &'n Spanned<Node>, what: &str) -> Result<&'n [Entry], CostError> {
        match &node.value {
            Node::Map(entries) => Ok(entries),
            Node::Null => Ok(&[]),
            other => self.error(
                &node.referenced,
                format!("{what} must be a mapping, found {}", other.kind()),
            ),
        }
    }

    /// Reads the keys given for one address or type, checking them against `schema`.
    fn entry(
        &mut self,
        node: &Spanned<Node>,
        owner: &str,
        schema: Option<&'static [(&'static str, Kind)]>,
    ) -> Result<UsageEntry, CostError> {
        let mut entry = UsageEntry::default();
        for (key, value) in self.mapping(node, owner)? {
            let name = key.value.as_str();
            let kind = match schema {
                None => None,
                Some(keys) => match keys.iter().find(|(k, _)| *k == name) {
                    Some((_, kind)) => Some(*kind),
                    None => {
                        self.warn(
                            &key.referenced,
                            format!("unknown key {name:?} for {owner}: ignored (not a usage key planguard knows)"),
                        );
                        continue;
                    }
                },
            };
            let parsed = match (kind, &value.value) {
                (_, Node::Null) => continue,
                (Some(Kind::Object(sub)), _) => {
                    let nested = self.entry(value, &format!("{owner}.{name}"), Some(sub))?;
                    UsageValue::Object(nested)
                }
                (_, Node::Number(n)) if !n.is_finite() || *n < 0.0 => {
                    return self.error(
                        &value.referenced,
                        format!("{owner}.{name} must be a non-negative number, found {n}"),
                    );
                }
                (Some(Kind::Num), Node::Number(n)) => UsageValue::Number(*n),
                (Some(Kind::Num), other) => {
                    return self.error(
                        &value.referenced,
                        format!("{owner}.{name} must be a non-negative number, found {}", other.kind()),
                    );
                }
                (Some(Kind::Text), Node::Text(t)) => UsageValue::Text(t.clone()),
                (Some(Kind::Text), other) => {
                    return self.error(
                        &value.referenced,
                        format!("{owner}.{name} must be a string, found {}", other.kind()),
                    );
                }
                (Some(Kind::Ignored), _) => {
                    self.warn(
                        &key.referenced,
                        format!("{owner}.{name} is an Infracost usage key planguard does not price: ignored"),
                    );
                    continue;
                }
                (None, Node::Number(n)) => UsageValue::Number(*n),
                (None, Node::Text(t)) => UsageValue::Text(t.clone()),
                (None, Node::Map(_)) => UsageValue::Object(self.entry(value, &format!("{owner}.{name}"), None)?),
                (None, other) => {
                    return self.error(
                        &value.referenced,
                        format!(
                            "{owner}.{name} must be a number, a string or a mapping, found {}",
                            other.kind()
                        ),
                    );
                }
            };
            entry.values.insert(name.to_owned(), parsed);
        }
        Ok(entry)
    }
}

/// The resource type named by a usage address such as `module.a[*].aws_lambda_function.f[*]`.
fn type_of_address(address: &str) -> Option<&str> {
    let mut rest = address;
    while let Some(r) = rest.strip_prefix("module.") {
        // Skip the module name and any instance key.
        let end = r.find(['.', '['])?;
        let mut after = &r[end..];
        if after.starts_with('[') {
            after = &after[skip_key(after)?..];
        }
        rest = after.strip_prefix('.')?;
    }
    let rest = rest.strip_prefix("data.").unwrap_or(rest);
    rest.split('.').next()
}

/// Length of a leading `[...]` instance key, honouring quoted strings.
fn skip_key(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut i = 1;
    let mut quoted = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b']' if !quoted => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// True when `address` matches a usage address where `[*]` stands for any one instance key
/// and a bare `*` for any run of characters within one address segment (a name with or
/// without its instance key: `aws_nat_gateway.*`, `module.*.aws_s3_bucket.b`), as Infracost
/// reads them. Written by hand rather than with a glob crate: `.` separates segments but may
/// also appear inside a quoted instance key, which glob syntax cannot express.
fn wildcard_matches(pattern: &str, address: &str) -> bool {
    let Some(i) = pattern.find('*') else {
        return pattern == address;
    };
    let (lit, rest) = pattern.split_at(i);
    let Some(after_lit) = address.strip_prefix(lit) else {
        return false;
    };
    if lit.ends_with('[') && rest.starts_with("*]") {
        // `[*]`: exactly one instance key.
        let key = format!("[{after_lit}");
        let Some(n) = skip_key(&key) else {
            return false;
        };
        return wildcard_matches(&rest[2..], &after_lit[n - 1..]);
    }
    // A bare `*`: try every end of the run, which stops at a `.` outside an instance key.
    let rest = &rest[1..];
    let bytes = after_lit.as_bytes();
    let mut i = 0;
    loop {
        if wildcard_matches(rest, &after_lit[i..]) {
            return true;
        }
        match bytes.get(i) {
            None | Some(b'.') => return false,
            Some(b'[') => match skip_key(&after_lit[i..]) {
                Some(n) => i += n,
                None => return false,
            },
            Some(_) => i += after_lit[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
}

impl Usage {
    /// Reads a usage file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Usage, CostError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| CostError::UsageIo {
            path: path.to_path_buf(),
            source,
        })?;
        Usage::from_slice(&bytes, &path.display().to_string())
    }

    /// Parses a usage file's bytes; `origin` names it in errors and warnings.
    pub fn from_slice(bytes: &[u8], origin: &str) -> Result<Usage, CostError> {
        let text = planguard_plan::text::decode_text(bytes).map_err(|e| CostError::Usage {
            origin: origin.to_owned(),
            line: e.line as u64,
            column: e.column as u64,
            message: e.reason,
        })?;
        let root: Spanned<Node> = serde_saphyr::from_str(&text).map_err(|e| {
            let (line, column, message) = planguard_plan::text::yaml_error(&e);
            CostError::Usage {
                origin: origin.to_owned(),
                line: line as u64,
                column: column as u64,
                message,
            }
        })?;
        let mut loader = Loader {
            origin,
            warnings: Vec::new(),
        };
        let mut usage = Usage {
            origin: origin.to_owned(),
            ..Usage::default()
        };
        let top = match &root.value {
            Node::Map(entries) => entries,
            other => {
                return loader.error(
                    &root.referenced,
                    format!(
                        "a usage file must be a mapping (version, resource_usage, ...), found {}",
                        other.kind()
                    ),
                )
            }
        };
        for (key, value) in top {
            match key.value.as_str() {
                "version" => match &value.value {
                    Node::Number(v) if (*v - 0.1).abs() < 1e-9 => {}
                    Node::Text(v) if v == "0.1" => {}
                    Node::Number(_) | Node::Text(_) => {
                        loader.warn(
                            &value.referenced,
                            "the version is not 0.1, the version planguard reads; reading it as 0.1".into(),
                        );
                    }
                    other => {
                        return loader.error(
                            &value.referenced,
                            format!("the version is {}: expected 0.1", other.kind()),
                        )
                    }
                },
                "resource_usage" => {
                    for (addr, entry) in loader.mapping(value, "resource_usage")? {
                        let address = addr.value.trim().to_owned();
                        let rtype = type_of_address(&address).unwrap_or("");
                        let schema = schema(rtype);
                        if schema.is_none() {
                            loader.warn(
                                &addr.referenced,
                                format!("no usage model for resource type {rtype:?} ({address}): its keys are ignored"),
                            );
                            continue;
                        }
                        let parsed = loader.entry(entry, &address, schema)?;
                        if address.contains('*') {
                            usage.wildcards.push((address, parsed));
                        } else {
                            usage.exact.insert(address, parsed);
                        }
                    }
                }
                "resource_type_default_usage" => {
                    for (rtype, entry) in loader.mapping(value, "resource_type_default_usage")? {
                        let schema = schema(&rtype.value);
                        if schema.is_none() {
                            loader.warn(
                                &rtype.referenced,
                                format!(
                                    "no usage model for resource type {:?}: its keys are ignored",
                                    rtype.value
                                ),
                            );
                            continue;
                        }
                        let parsed = loader.entry(entry, &rtype.value, schema)?;
                        usage.type_defaults.insert(rtype.value.clone(), parsed);
                    }
                }
                // The top level is the usage file's fixed frame: a stray key there means a
                // different or broken file, not a usage quantity planguard doesn't price.
                _ => {
                    return loader.error(
                        &key.referenced,
                        "an unknown top-level key: expected version, resource_usage or resource_type_default_usage",
                    )
                }
            }
        }
        // Most specific wildcard first; ties in file order are broken by text for determinism.
        usage
            .wildcards
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        usage.warnings = loader.warnings;
        Ok(usage)
    }

    /// Where the file came from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Problems found while reading: unknown keys, keys planguard does not price, types
    /// without a usage model.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The usage of one resource instance: type default, overridden by the matching
    /// wildcard address, overridden by the exact address. `None` when nothing applies.
    pub fn for_resource(&self, address: &str, resource_type: &str) -> Option<UsageEntry> {
        let exact = self.exact.get(address);
        let wildcard = self
            .wildcards
            .iter()
            .find(|(p, _)| wildcard_matches(p, address))
            .map(|(_, e)| e);
        let default = self.type_defaults.get(resource_type);
        let mut layers = [default, wildcard, exact].into_iter().flatten();
        let first = layers.next()?.clone();
        Some(layers.fold(first, |acc, layer| acc.merged(layer)))
    }

    /// Usage addresses (exact and wildcard) that match none of `addresses`: stale entries.
    pub fn unmatched<'a>(&'a self, addresses: &std::collections::HashSet<&str>) -> Vec<&'a str> {
        let mut out: Vec<&str> = self
            .exact
            .keys()
            .filter(|a| !addresses.contains(a.as_str()))
            .map(String::as_str)
            .collect();
        for (p, _) in &self.wildcards {
            if !addresses.iter().any(|a| wildcard_matches(p, a)) {
                out.push(p);
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_star_matches_any_name() {
        assert!(wildcard_matches("aws_nat_gateway.*", "aws_nat_gateway.nat"));
        assert!(wildcard_matches("aws_nat_gateway.*", "aws_nat_gateway.nat[0]"));
        assert!(wildcard_matches("aws_nat_gateway.*", r#"aws_nat_gateway.nat["a.b"]"#));
        assert!(!wildcard_matches("aws_nat_gateway.*", "aws_nat_gateway_x.nat"));
        assert!(!wildcard_matches("aws_nat_gateway.*", "module.m.aws_nat_gateway.nat"));
        assert!(wildcard_matches(
            "module.*.aws_s3_bucket.b",
            "module.m[1].aws_s3_bucket.b"
        ));
        assert!(!wildcard_matches(
            "module.*.aws_s3_bucket.b",
            "module.m.module.n.aws_s3_bucket.b"
        ));
        assert!(wildcard_matches("aws_lambda_function.f*", "aws_lambda_function.fn"));
        assert!(wildcard_matches(
            "aws_lambda_function.f[*]",
            r#"aws_lambda_function.f["k"]"#
        ));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_matches("aws_lambda_function.f[*]", "aws_lambda_function.f[0]"));
        assert!(wildcard_matches(
            "aws_lambda_function.f[*]",
            "aws_lambda_function.f[\"a]b\"]"
        ));
        assert!(!wildcard_matches("aws_lambda_function.f[*]", "aws_lambda_function.f"));
        assert!(wildcard_matches(
            "module.m[*].aws_s3_bucket.b",
            "module.m[\"x\"].aws_s3_bucket.b"
        ));
        assert!(!wildcard_matches(
            "module.m[*].aws_s3_bucket.b",
            "module.m[1].aws_s3_bucket.c"
        ));
    }

    #[test]
    fn address_types() {
        assert_eq!(type_of_address("aws_s3_bucket.b"), Some("aws_s3_bucket"));
        assert_eq!(
            type_of_address("module.a[*].module.b.aws_sqs_queue.q[0]"),
            Some("aws_sqs_queue")
        );
        assert_eq!(
            type_of_address("module.a[\"x.y\"].aws_sqs_queue.q"),
            Some("aws_sqs_queue")
        );
    }
}
