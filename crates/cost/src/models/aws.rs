//! AWS cost models, one module per service family (`aws/<family>.rs`); this module
//! registers them and holds what several families share.
//!
//! Defaults used when a price-setting value is unknown until apply (or unset, where AWS
//! decides) are documented in `crates/cost/README.md` and written into each component's
//! `assumed` text.

use std::collections::HashMap;

use planguard_plan::Cursor;

use super::{
    b, block, blocks, n, priced, priced_or, s, tiered, unknown, usage_component, usage_qty, ComponentExt, Ctx, Got,
    Model, ModelDoc, Outcome, Referenced,
};
use crate::catalog::{
    AuroraUsage, CloudWatchPrice, DynamoDbPrice, KmsPrice, LoadBalancerKind, Route53Price, SecretsManagerPrice,
};
use crate::report::Component;

pub(crate) fn register(m: &mut HashMap<&'static str, Model>) {
    m.insert("aws_instance", instance);
    m.insert("aws_ec2_host", ec2_host);
    m.insert("aws_ebs_volume", ebs_volume);
    m.insert("aws_db_instance", db_instance);
    m.insert("aws_rds_cluster_instance", rds_cluster_instance);
    m.insert("aws_rds_cluster", rds_cluster);
    m.insert("aws_nat_gateway", nat_gateway);
    m.insert("aws_eip", eip);
    m.insert("aws_lb", load_balancer);
    m.insert("aws_alb", load_balancer);
    m.insert("aws_elb", classic_load_balancer);
    m.insert("aws_eks_cluster", eks_cluster);
    m.insert("aws_eks_node_group", eks_node_group);
    m.insert("aws_elasticache_cluster", elasticache_cluster);
    m.insert("aws_elasticache_replication_group", elasticache_replication_group);
    m.insert("aws_autoscaling_group", autoscaling_group);
    m.insert("aws_kms_key", kms_key);
    m.insert("aws_secretsmanager_secret", secretsmanager_secret);
    m.insert("aws_route53_zone", route53_zone);
    m.insert("aws_route53_record", route53_record);
    m.insert("aws_cloudwatch_metric_alarm", metric_alarm);
    m.insert("aws_cloudwatch_log_group", log_group);
    m.insert("aws_dynamodb_table", dynamodb_table);
    m.insert("aws_lambda_function", lambda_function);
    m.insert("aws_s3_bucket", s3_bucket);
    m.insert("aws_sqs_queue", sqs_queue);
    m.insert("aws_sns_topic", sns_topic);
    m.insert("aws_ebs_snapshot", ebs_snapshot);
    m.insert("aws_ecr_repository", ecr_repository);
    m.insert("aws_efs_file_system", efs_file_system);
    m.insert("aws_vpc_endpoint", vpc_endpoint);
    m.insert("aws_vpn_connection", vpn_connection);
    m.insert("aws_ec2_transit_gateway_vpc_attachment", transit_gateway_attachment);
    m.insert("aws_cloudwatch_dashboard", dashboard);
    m.insert("aws_route53_resolver_endpoint", resolver_endpoint);
    m.insert("aws_api_gateway_rest_api", rest_api);
    m.insert("aws_apigatewayv2_api", http_api);
    m.insert("aws_ecs_service", ecs_service);
    m.insert("aws_lambda_provisioned_concurrency_config", provisioned_concurrency);
    register_services(m);
}

/// Models priced from the hand-entered list prices of `aws.services` (and a few that reuse
/// older tables).
fn register_services(m: &mut HashMap<&'static str, Model>) {
    m.insert("aws_flow_log", flow_log);
    m.insert("aws_cloudtrail", cloudtrail);
    m.insert("aws_acm_certificate", acm_certificate);
    m.insert("aws_acmpca_certificate_authority", acmpca_certificate_authority);
    m.insert("aws_ssm_parameter", ssm_parameter);
    m.insert("aws_sns_topic_subscription", sns_topic_subscription);
    m.insert("aws_kinesis_stream", kinesis_stream);
    m.insert("aws_sfn_state_machine", sfn_state_machine);
    m.insert("aws_cloudwatch_event_bus", event_bus);
    m.insert("aws_networkfirewall_firewall", networkfirewall_firewall);
    m.insert("aws_transfer_server", transfer_server);
    m.insert("aws_ec2_client_vpn_endpoint", client_vpn_endpoint);
    m.insert("aws_ec2_client_vpn_network_association", client_vpn_network_association);
    m.insert(
        "aws_ec2_transit_gateway_peering_attachment",
        transit_gateway_peering_attachment,
    );
    m.insert("aws_waf_web_acl", waf_web_acl);
    m.insert("aws_wafv2_web_acl", wafv2_web_acl);
    m.insert("aws_config_configuration_recorder", config_recorder);
    m.insert("aws_config_config_rule", config_rule);
    m.insert("aws_config_organization_custom_rule", config_rule);
    m.insert("aws_config_organization_managed_rule", config_rule);
    m.insert("aws_globalaccelerator_accelerator", globalaccelerator_accelerator);
    m.insert("aws_api_gateway_stage", api_gateway_stage);
    m.insert("aws_s3_bucket_analytics_configuration", bucket_analytics);
    m.insert("aws_s3_bucket_inventory", bucket_inventory);
    m.insert("aws_codebuild_project", codebuild_project);
    m.insert("aws_glue_job", glue_job);
    m.insert("aws_kms_external_key", kms_key);
    m.insert("aws_kms_replica_key", kms_key);
    m.insert("aws_kms_replica_external_key", kms_key);
    m.insert("aws_ebs_snapshot_copy", ebs_snapshot);
    m.insert("aws_redshift_cluster", redshift_cluster);
    m.insert("aws_msk_cluster", msk_cluster);
    m.insert("aws_opensearch_domain", opensearch_domain);
    m.insert("aws_elasticsearch_domain", opensearch_domain);
    m.insert("aws_docdb_cluster_instance", docdb_cluster_instance);
    m.insert("aws_docdb_cluster", docdb_cluster);
    m.insert("aws_kinesis_firehose_delivery_stream", firehose_delivery_stream);
    m.insert("aws_dx_connection", dx_connection);
    m.insert("aws_route53_health_check", health_check);
    m.insert("aws_cloudfront_function", cloudfront_function);
    m.insert("aws_neptune_cluster_instance", neptune_cluster_instance);
    m.insert("aws_ec2_traffic_mirror_session", traffic_mirror_session);
    m.insert("aws_kinesisanalyticsv2_application", kinesisanalyticsv2_application);
    m.insert("aws_neptune_cluster", neptune_cluster);
    m.insert("aws_neptune_cluster_snapshot", neptune_cluster_snapshot);
    m.insert("aws_docdb_cluster_snapshot", docdb_cluster_snapshot);
    m.insert("aws_dx_gateway_association", dx_gateway_association);
    m.insert("aws_cloudformation_stack", cloudformation_stack);
    m.insert("aws_cloudformation_stack_set", cloudformation_stack);
    m.insert("aws_mwaa_environment", mwaa_environment);
}

macro_rules! region {
    ($ctx:expr) => {
        match $ctx.region() {
            Ok(r) => r,
            Err(o) => return o,
        }
    };
}

// One module per service family (the models of one AWS service each).
mod acm;
mod apigateway;
mod autoscaling;
mod cloudformation;
mod cloudfront;
mod cloudtrail;
mod cloudwatch;
mod codebuild;
mod config;
mod directconnect;
mod docdb;
mod dynamodb;
mod ebs;
mod ec2;
mod ecr;
mod ecs;
mod efs;
mod eks;
mod elasticache;
mod elb;
mod globalaccelerator;
mod glue;
mod kinesis;
mod lambda;
mod messaging;
mod msk;
mod mwaa;
mod neptune;
mod networkfirewall;
mod opensearch;
mod rds;
mod redshift;
mod route53;
mod s3;
mod security;
mod ssm;
mod stepfunctions;
mod transfer;
mod vpc;
mod waf;

use self::{
    acm::*, apigateway::*, autoscaling::*, cloudformation::*, cloudfront::*, cloudtrail::*, cloudwatch::*,
    codebuild::*, config::*, directconnect::*, docdb::*, dynamodb::*, ebs::*, ec2::*, ecr::*, ecs::*, efs::*, eks::*,
    elasticache::*, elb::*, globalaccelerator::*, glue::*, kinesis::*, lambda::*, messaging::*, msk::*, mwaa::*,
    neptune::*, networkfirewall::*, opensearch::*, rds::*, redshift::*, route53::*, s3::*, security::*, ssm::*,
    stepfunctions::*, transfer::*, vpc::*, waf::*,
};

/// The documentation of every AWS model, family by family (the README's order).
pub(crate) fn docs() -> Vec<&'static ModelDoc> {
    [
        ec2::DOCS,
        ebs::DOCS,
        autoscaling::DOCS,
        eks::DOCS,
        rds::DOCS,
        elasticache::DOCS,
        dynamodb::DOCS,
        vpc::DOCS,
        elb::DOCS,
        route53::DOCS,
        lambda::DOCS,
        s3::DOCS,
        messaging::DOCS,
        security::DOCS,
        cloudwatch::DOCS,
        ecr::DOCS,
        efs::DOCS,
        apigateway::DOCS,
        ecs::DOCS,
        cloudtrail::DOCS,
        acm::DOCS,
        ssm::DOCS,
        kinesis::DOCS,
        stepfunctions::DOCS,
        networkfirewall::DOCS,
        transfer::DOCS,
        waf::DOCS,
        config::DOCS,
        globalaccelerator::DOCS,
        codebuild::DOCS,
        glue::DOCS,
        redshift::DOCS,
        msk::DOCS,
        opensearch::DOCS,
        docdb::DOCS,
        directconnect::DOCS,
        cloudfront::DOCS,
        neptune::DOCS,
        cloudformation::DOCS,
        mwaa::DOCS,
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Seconds in a month of 730 hours.
fn seconds_per_month(ctx: &Ctx<'_>) -> f64 {
    ctx.hours() * 3600.0
}

trait MapOwned {
    fn map_owned(self) -> Got<String>;
}

impl MapOwned for Got<&str> {
    fn map_owned(self) -> Got<String> {
        match self {
            Got::Known(v) => Got::Known(v.to_owned()),
            Got::Unknown => Got::Unknown,
            Got::Unset => Got::Unset,
        }
    }
}

/// True when a date (`YYYY-MM-DD`) is after another: ISO dates compare as text.
fn is_after(date: &str, than: &str) -> bool {
    date > than
}
