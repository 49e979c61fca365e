//! Loading choices: state values kept or not, and plans that only have planned values.

use std::path::Path;

use planguard_plan::{parse_bytes, parse_bytes_with, Action, LoadOptions};

const PLANNED_ONLY: &str = r#"{"planned_values":{"root_module":{"resources":[
  {"address":"aws_s3_bucket.b","mode":"managed","type":"aws_s3_bucket","name":"b",
   "values":{"bucket":"logs","acl":"public-read"},"sensitive_values":{}}]}}}"#;

#[test]
fn planned_only_plans_become_creations_with_their_values() {
    let loaded = parse_bytes(PLANNED_ONLY.as_bytes(), Path::new("p.json")).unwrap();
    let rc = &loaded.plan.resource_changes[0];
    assert_eq!(rc.action(), Action::Create);
    assert_eq!(rc.values().unwrap().after().get("acl").as_str(), Some("public-read"));
    assert!(loaded.warnings.iter().any(|w| w.code == "no-resource-changes"));
}

#[test]
fn state_values_are_kept_only_on_request() {
    let json = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/terraform/changes/plan.json"))
        .unwrap();
    let lean = parse_bytes(&json, Path::new("p.json")).unwrap().plan;
    let planned = lean.planned_values.as_ref().unwrap().resources();
    assert!(!planned.is_empty() && planned.iter().all(|r| r.values.is_none()));
    let full = parse_bytes_with(
        &json,
        Path::new("p.json"),
        &LoadOptions {
            keep_state_values: true,
            ..LoadOptions::default()
        },
    )
    .unwrap()
    .plan;
    let prior = full.prior_state.as_ref().unwrap().values.as_ref().unwrap().resources();
    assert!(prior.iter().all(|r| r.values.is_some()));
    // The choice doesn't leak into the next parse on the same thread.
    let again = parse_bytes(&json, Path::new("p.json")).unwrap().plan;
    assert!(again
        .planned_values
        .as_ref()
        .unwrap()
        .resources()
        .iter()
        .all(|r| r.values.is_none()));
}
