//! ECS on Fargate and Lambda provisioned concurrency on a plan of the real AWS provider 5.100.0
//! (fixtures/cost/aws-serverless). Each figure derived by hand from the catalog's unit prices.

use std::path::Path;

use planguard_cost::{estimate, render_text, Catalog, Status};

#[test]
fn fargate_services_and_provisioned_concurrency() {
    let plan = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/cost/aws-serverless/plan.json");
    let loaded = planguard_plan::load_file(&plan, &Default::default()).expect("fixture plan loads");
    let r = estimate(&loaded.plan, Catalog::embedded(), None).expect("estimate");
    let res = |a: &str| r.resources.iter().find(|x| x.address == a).expect(a);
    let close = |x: Option<f64>, e: f64| {
        let x = x.expect("known");
        assert!((x - e).abs() < 1e-6, "expected {e}, got {x}");
    };
    // 3 tasks of cpu 512 (0.5 vCPU) and memory 1024 (1 GB), ephemeral 50 GB, 730 h:
    // vCPU 0.5 * 3 * 730 = 1095 * 0.04048 = 44.3256; memory 2190 GB-h * 0.004445 = 9.73455;
    // ephemeral (50 - 20) * 2190 = 65700 GB-h * 0.000111 = 7.2927; total 61.35285
    let api = res("aws_ecs_service.api");
    assert_eq!(api.status, Status::Priced);
    close(api.monthly_after, 61.35285);
    // EC2 launch type: the container instances carry the cost
    assert_eq!(res("aws_ecs_service.on_ec2").status, Status::Free);
    // 5 executions * 2048 MB = 10 GB * 2,628,000 s = 26,280,000 GB-s * 0.0000041667 = 109.500876
    let pc = res("aws_lambda_provisioned_concurrency_config.fn");
    assert_eq!(pc.status, Status::Priced);
    close(pc.monthly_after, 109.500876);
    insta::assert_snapshot!("serverless_text", render_text(&r, false));
}
