//! Models priced from catalog sections that already existed (VPN, transit gateway attachments,
//! dashboards, Resolver endpoints, API Gateway) on a plan of the real AWS provider 5.100.0
//! (fixtures/cost/aws-network-extras). Each figure derived by hand from the catalog's prices.

use std::path::{Path, PathBuf};

use planguard_cost::{estimate, render_text, Catalog, CostReport, ResourceCost, Status, Usage};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/cost/aws-network-extras")
        .join(rel)
}

fn report() -> CostReport {
    let loaded = planguard_plan::load_file(&fixture("plan.json"), &Default::default()).expect("fixture plan loads");
    let bytes = std::fs::read(fixture("usage.yml")).expect("usage file");
    let usage = Usage::from_slice(&bytes, "fixtures/cost/aws-network-extras/usage.yml").expect("usage parses");
    estimate(&loaded.plan, Catalog::embedded(), Some(&usage)).expect("estimate")
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
fn network_extras() {
    let r = report();
    // VPN connection 0.05 * 730 = 36.50
    after(&r, "aws_vpn_connection.office", Status::Priced, 36.5);
    // TGW attachment 0.05 * 730 = 36.50 + 1000 GB * 0.02 = 20.00
    after(&r, "aws_ec2_transit_gateway_vpc_attachment.app", Status::Priced, 56.5);
    // Dashboard 3.00 per month
    after(&r, "aws_cloudwatch_dashboard.ops", Status::Priced, 3.0);
    // Resolver endpoint: 3 ip_address blocks = 3 ENIs * 0.125 * 730 = 273.75
    after(&r, "aws_route53_resolver_endpoint.inbound", Status::Priced, 273.75);
    // REST API: 10M requests * 3.50 per 1M = 35.00
    after(&r, "aws_api_gateway_rest_api.rest", Status::UsageBased, 35.0);
    // HTTP API: 600 KB requests count twice (512 KB units): 5M * 2 = 10M * 1.00 = 10.00
    after(&r, "aws_apigatewayv2_api.http", Status::UsageBased, 10.0);
    // WebSocket: usage-based messages and connection minutes (aws.services), no usage given: 0
    // (its figures with usage are in tests/services.rs)
    after(&r, "aws_apigatewayv2_api.ws", Status::UsageBased, 0.0);
    // 36.50 + 56.50 + 3.00 + 273.75 + 35.00 + 10.00 = 414.75
    assert!((r.monthly_after - 414.75).abs() < 1e-6, "{}", r.monthly_after);
    assert!(r.unsupported.is_empty(), "{:?}", r.unsupported);
    insta::assert_snapshot!("network_extras_text", render_text(&r, false));
}
