//! Models priced from the hand-entered AWS list prices of `aws.services`
//! (scripts/pricing/aws-manual.json) on a plan of the real AWS provider 5.100.0
//! (fixtures/cost/aws-services, usage in its usage.yml). Each figure derived by hand from the
//! catalog's unit prices (us-east-1), with the arithmetic beside it.

use std::path::{Path, PathBuf};

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status, Usage};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cost/aws-services")
        .join(rel)
}

fn report(with_usage: bool) -> CostReport {
    let loaded = planguard_plan::load_file(&fixture("plan.json"), &Default::default()).expect("fixture plan loads");
    let usage = with_usage.then(|| {
        let bytes = std::fs::read(fixture("usage.yml")).expect("usage file");
        Usage::from_slice(&bytes, "fixtures/cost/aws-services/usage.yml").expect("usage parses")
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
    let a = x.monthly_after.expect("known");
    assert!((a - expected).abs() < 1e-6, "{address}: expected {expected}, got {a}");
}

#[test]
fn services_with_usage() {
    let r = report(true);
    let u = Status::UsageBased;
    let p = Status::Priced;
    // Flow logs, 100 GB vended logs: CloudWatch Logs 100 * 0.50 = 50.00; S3 100 * 0.25 = 25.00
    after(&r, "aws_flow_log.vpc", u, 50.0);
    after(&r, "aws_flow_log.to_s3", u, 25.0);
    // CloudTrail per 100K events: 1M additional management = 10 * 2.00 = 20.00; 5M data
    // events = 50 * 0.10 = 5.00; 200K Insights = 2 * 0.35 = 0.70; total 25.70
    after(&r, "aws_cloudtrail.org", u, 25.7);
    // Private certificate: one issuance at 0.75
    after(&r, "aws_acm_certificate.private", p, 0.75);
    // Private CA: 400.00 (general purpose, assumed) + 1,000 * 0.75 + 500 * 0.35 = 400 + 750 + 175 = 1325.00
    after(&r, "aws_acmpca_certificate_authority.ca", p, 1325.0);
    // Advanced parameter 0.05 + 200,000 API interactions = 20 * 0.05 per 10K = 1.00; total 1.05
    after(&r, "aws_ssm_parameter.advanced", p, 1.05);
    // HTTPS deliveries: 2M of 100 KB = 2 chunks of 64 KB each = 4M * 0.60 per 1M = 2.40
    after(&r, "aws_sns_topic_subscription.hook", u, 2.4);
    // Provisioned stream: 4 shards * 730 h * 0.015 = 43.80; retention 48 h > 24 h:
    // 4 * 730 * 0.02 = 58.40; 10M PUT payload units * 0.014 per 1M = 0.14; total 102.34
    after(&r, "aws_kinesis_stream.provisioned", p, 102.34);
    // On-demand stream: 730 * 0.04 = 29.20 + 500 GB in * 0.08 = 40.00 + 1000 GB out * 0.04 = 40.00; 109.20
    after(&r, "aws_kinesis_stream.on_demand", p, 109.2);
    // Standard: 2M transitions = 2000 * 0.025 per 1K = 50.00
    after(&r, "aws_sfn_state_machine.standard", u, 50.0);
    // Express: 10M requests * 1.00 per 1M = 10.00; duration 250 ms -> 300 ms billed, 100 MB ->
    // 128 MB billed: 10M * 0.3 s * 0.125 GB = 375,000 GB-s * 0.00001667 = 6.25125; total 16.25125
    after(&r, "aws_sfn_state_machine.express", u, 16.25125);
    // Event bus: 3M custom events * 1.00 per 1M = 3.00
    after(&r, "aws_cloudwatch_event_bus.app", u, 3.0);
    // Network Firewall: 2 subnet mappings = 2 endpoints * 730 * 0.395 = 576.70 + 1000 GB * 0.065 = 65.00; 641.70
    after(&r, "aws_networkfirewall_firewall.edge", p, 641.7);
    // Transfer Family: SFTP + FTPS = 2 * 730 * 0.30 = 438.00 + (50 + 150) GB * 0.04 = 8.00; 446.00
    after(&r, "aws_transfer_server.sftp", p, 446.0);
    // Client VPN: 2000 connection hours * 0.05 = 100.00; one association 730 * 0.10 = 73.00
    after(&r, "aws_ec2_client_vpn_endpoint.vpn", u, 100.0);
    after(&r, "aws_ec2_client_vpn_network_association.a", p, 73.0);
    // Transit gateway peering attachment: 730 * 0.05 = 36.50
    after(&r, "aws_ec2_transit_gateway_peering_attachment.peer", p, 36.5);
    // WAFv2: web ACL 5.00 + 2 rules * 1.00 + 10M requests * 0.60 per 1M = 6.00; 13.00
    after(&r, "aws_wafv2_web_acl.edge", p, 13.0);
    // Config: 10,000 items * 0.003 = 30.00; 5,000 evaluations * 0.001 = 5.00
    after(&r, "aws_config_configuration_recorder.main", u, 30.0);
    after(&r, "aws_config_config_rule.s3", u, 5.0);
    // Global Accelerator: 730 * 0.025 = 18.25
    after(&r, "aws_globalaccelerator_accelerator.ga", p, 18.25);
    // API Gateway cache 6.1 GB: 730 * 0.20 = 146.00; a stage without cache is free
    after(&r, "aws_api_gateway_stage.cached", p, 146.0);
    assert_eq!(res(&r, "aws_api_gateway_stage.plain").status, Status::Free);
    // S3 Storage Class Analysis: 20M objects * 0.10 per 1M = 2.00; Inventory 40M * 0.0025 = 0.10
    after(&r, "aws_s3_bucket_analytics_configuration.a", u, 2.0);
    after(&r, "aws_s3_bucket_inventory.i", u, 0.1);
    // CodeBuild general1.medium Linux: 3000 min * 0.01 = 30.00
    after(&r, "aws_codebuild_project.build", u, 30.0);
    // Glue: 5 G.2X workers = 10 DPU * 10 h = 100 DPU-hours * 0.44 = 44.00
    after(&r, "aws_glue_job.etl", u, 44.0);
    // Redshift: 2 ra3.xlplus nodes * 730 * 1.086 = 1585.56 + 1000 GB managed storage * 0.024 = 24.00; 1609.56
    after(&r, "aws_redshift_cluster.dw", p, 1609.56);
    // MSK: 3 kafka.m5.large brokers * 730 * 0.21 = 459.90 + 3 * 500 GB * 0.10 = 150.00; 609.90
    after(&r, "aws_msk_cluster.kafka", p, 609.9);
    // OpenSearch: 3 m5.large.search * 730 * 0.142 = 310.98; 3 t3.medium.search masters
    // * 730 * 0.073 = 159.87; gp3 100 GB * 3 instances * 0.122 = 36.60; total 507.45
    after(&r, "aws_opensearch_domain.search", p, 507.45);
    // DocumentDB: db.r5.large 730 * 0.277 = 202.21; cluster 200 GB * 0.10 = 20.00 + 50M I/O * 0.20 per 1M = 10.00
    after(&r, "aws_docdb_cluster_instance.docs", p, 202.21);
    after(&r, "aws_docdb_cluster.docs", u, 30.0);
    // Firehose: 1000 GB * 0.029 = 29.00
    after(&r, "aws_kinesis_firehose_delivery_stream.logs", u, 29.0);
    // Direct Connect 10 Gbps port: 730 * 2.25 = 1642.50
    after(&r, "aws_dx_connection.dc", p, 1642.5);
    // Route 53 health check, HTTPS with latency measurement: non-AWS endpoint (assumed) 0.75 +
    // 2 optional features * 2.00 = 4.00; total 4.75
    after(&r, "aws_route53_health_check.site", p, 4.75);
    // WebSocket API: 5M messages of 40 KB = 2 units of 32 KB each = 10M * 1.00 per 1M = 10.00;
    // 20M connection minutes * 0.25 per 1M = 5.00; total 15.00
    after(&r, "aws_apigatewayv2_api.ws", u, 15.0);
    // CloudFront function: 30M invocations * 0.10 per 1M = 3.00
    after(&r, "aws_cloudfront_function.rewrite", u, 3.0);
    // Neptune db.r5.large: 730 * 0.348 = 254.04
    after(&r, "aws_neptune_cluster_instance.graph", p, 254.04);
    // Traffic mirror session: 730 * 0.015 = 10.95
    after(&r, "aws_ec2_traffic_mirror_session.m", p, 10.95);
    // Managed Flink: parallelism 4 / 2 per KPU = 2 KPUs + 1 orchestration = 3 * 730 * 0.11 = 240.90;
    // running storage 2 KPUs * 50 GB * 0.10 = 10.00; total 250.90
    after(&r, "aws_kinesisanalyticsv2_application.flink", p, 250.9);
    // Neptune cluster: 300 GB * 0.10 = 30.00 + 20M I/O * 0.20 per 1M = 4.00; 34.00
    after(&r, "aws_neptune_cluster.graph", u, 34.0);
    // Cluster snapshots: Neptune 400 GB * 0.021 = 8.40; DocumentDB 100 GB * 0.021 = 2.10
    after(&r, "aws_neptune_cluster_snapshot.graph", u, 8.4);
    after(&r, "aws_docdb_cluster_snapshot.docs", u, 2.1);
    // Direct Connect gateway association with a transit gateway: 730 * 0.05 = 36.50 + 500 GB * 0.02 = 10.00; 46.50
    after(&r, "aws_dx_gateway_association.tgw", p, 46.5);
    // CloudFormation third-party handlers: 10,000 operations * 0.0009 = 9.00 + 5,000 s * 0.00008 = 0.40; 9.40
    after(&r, "aws_cloudformation_stack.third_party", u, 9.4);
    // MWAA mw1.medium: 730 * 0.74 = 540.20
    after(&r, "aws_mwaa_environment.airflow", p, 540.2);
    // KMS replica key: billed as a key, 1.00
    after(&r, "aws_kms_replica_key.replica", p, 1.0);
    // Free: public certificate, SQS subscription, standard parameter (tier left to the account
    // default), IAM, route tables, security groups, API methods, VPN gateways.
    for a in [
        "aws_acm_certificate.public",
        "aws_sns_topic_subscription.queue",
        "aws_ssm_parameter.standard",
        "aws_iam_role.r",
        "aws_route_table.rt",
        "aws_security_group.sg",
        "aws_api_gateway_method.m",
        "aws_vpn_gateway.vgw",
    ] {
        assert_eq!(res(&r, a).status, Status::Free, "{a}");
    }
    assert!(r.unsupported.is_empty(), "{:?}", r.unsupported);
    assert!(r.warnings.iter().all(|w| !w.contains("usage.yml")), "{:?}", r.warnings);
    insta::assert_snapshot!("aws_services_text", render_text(&r, false));
}

#[test]
fn services_without_usage_show_unit_prices_at_zero() {
    let r = report(false);
    // Usage-based lines are 0 without usage; fixed parts stay.
    after(&r, "aws_cloudtrail.org", Status::UsageBased, 0.0);
    after(&r, "aws_sfn_state_machine.express", Status::UsageBased, 0.0);
    // Kinesis provisioned keeps its shard and retention hours: 43.80 + 58.40 = 102.20
    after(&r, "aws_kinesis_stream.provisioned", Status::Priced, 102.2);
    // Private CA without certificates: 400.00
    after(&r, "aws_acmpca_certificate_authority.ca", Status::Priced, 400.0);
    let trail = res(&r, "aws_cloudtrail.org");
    assert!(trail
        .components
        .iter()
        .all(|c| c.note.as_deref().is_some_and(|n| n.contains("set monthly_"))));
}

#[test]
fn every_services_table_the_models_use_exists() {
    let c = Catalog::embedded();
    for (table, key) in [
        ("vpc_flow_logs_ingested", &["s3"][..]),
        ("cloudtrail_events", &["data"]),
        ("acm_private_certificate", &[]),
        ("acmpca_authority_month", &["GENERAL_PURPOSE"]),
        ("acmpca_certificates", &["over_10000"]),
        ("ssm_parameter", &["Advanced"]),
        ("ssm_api_interactions", &[]),
        ("sns_deliveries", &["email"]),
        ("kinesis_provisioned", &["shard_hour"]),
        ("kinesis_put_payload_units", &[]),
        ("kinesis_on_demand_stream_hour", &[]),
        ("kinesis_on_demand_data", &["in"]),
        ("sfn_standard_transitions", &[]),
        ("sfn_express_requests", &[]),
        ("sfn_express_duration", &[]),
        ("eventbridge_events", &["partner"]),
        ("network_firewall", &[]),
        ("network_firewall_data", &[]),
        ("transfer_protocol_hour", &[]),
        ("transfer_data", &[]),
        ("client_vpn", &["association"]),
        ("waf_month", &["rule"]),
        ("waf_requests", &[]),
        ("config_items", &[]),
        ("config_rule_evaluations", &[]),
        ("global_accelerator_hour", &[]),
        ("api_gateway_cache_hour", &["237"]),
        ("s3_storage_management", &["inventory"]),
        ("codebuild_build_minute", &["BUILD_GENERAL1_LARGE"]),
        ("glue_dpu_hour", &[]),
        ("redshift_node_hour", &["ra3.4xlarge"]),
        ("redshift_managed_storage", &[]),
        ("msk_broker_hour", &["kafka.t3.small"]),
        ("msk_storage", &[]),
        ("opensearch_instance_hour", &["r6g.large.search"]),
        ("opensearch_ebs_storage", &["gp2"]),
        ("docdb_instance_hour", &["db.t3.medium"]),
        ("docdb_storage", &[]),
        ("docdb_io_requests", &[]),
        ("firehose_ingested", &[]),
        ("dx_port_hour", &["1Gbps"]),
        ("apigw_websocket", &["messages"]),
        ("route53_health_check_feature", &["aws"]),
        ("cloudfront_function_invocations", &[]),
        ("kinesis_analytics_kpu_hour", &[]),
        ("kinesis_analytics_storage", &[]),
        ("traffic_mirror_session_hour", &[]),
        ("neptune_instance_hour", &["db.r5.large"]),
        ("neptune_storage", &[]),
        ("neptune_io_requests", &[]),
        ("cluster_snapshot_storage", &["docdb"]),
        ("cloudformation_handler_operations", &[]),
        ("cloudformation_handler_duration", &[]),
        ("mwaa_environment_hour", &["mw1.large"]),
    ] {
        let p = c
            .aws_service(table, "us-east-1", key)
            .unwrap_or_else(|| panic!("{table} {key:?}"));
        assert_eq!(p.source, "manual_list_price_aws_2025", "{table}");
        assert!(!p.fallback, "{table}");
    }
    // Another region: the us-east-1 price, flagged as a fallback (approximate).
    let p = c.aws_service("network_firewall", "eu-west-1", &[]).expect("fallback");
    assert!(p.fallback);
    assert!(c.aws_service("no_such_table", "us-east-1", &[]).is_none());
}
