//! Rule fixes found comparing planguard with Checkov on real plans (rules/PEERS.md), on
//! plan shapes the generated fixtures can't reproduce (older provider versions).

use std::path::Path;

use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{parse_bytes, Plan};
use planguard_rules::{evaluate, EvalOptions, RuleSet};

fn builtin_rule(id: &str) -> RuleSet {
    let (file, text) = RuleSet::builtin_files()
        .iter()
        .find(|(file, _)| file.ends_with(&format!("{id}.yaml")))
        .expect("the rule is embedded");
    RuleSet::parse_rule(file, text).unwrap()
}

fn lifecycle_plan(rules: &[(&str, &str)]) -> Plan {
    let changes: Vec<String> = rules
        .iter()
        .map(|(name, prefix)| {
            // AWS provider 4 writes unset filter sizes as "" (provider 5 writes null).
            format!(
                r#"{{"address":"aws_s3_bucket_lifecycle_configuration.{name}","mode":"managed",
                "type":"aws_s3_bucket_lifecycle_configuration","name":"{name}",
                "change":{{"actions":["create"],"before":null,"after":{{"bucket":"b","rule":[{{
                  "abort_incomplete_multipart_upload":[{{"days_after_initiation":7}}],
                  "expiration":[],"filter":[{{"and":[],"object_size_greater_than":"",
                  "object_size_less_than":"","prefix":"{prefix}","tag":[]}}],"id":"failed-uploads",
                  "noncurrent_version_expiration":[],"noncurrent_version_transition":[],
                  "prefix":"","status":"Enabled","transition":[]}}]}},
                "after_unknown":{{}},"after_sensitive":{{}}}}}}"#
            )
        })
        .collect();
    let json = format!(
        r#"{{"format_version":"1.2","resource_changes":[{}]}}"#,
        changes.join(",")
    );
    parse_bytes(json.as_bytes(), Path::new("plan.json")).unwrap().plan
}

/// `address: status` of each finding, in order.
fn judge(rules: &RuleSet, plan: &Plan) -> Vec<String> {
    let graph = Graph::build(plan, &GraphOptions::default()).unwrap().graph;
    let result = evaluate(plan, Some(&graph), rules, &EvalOptions::default()).unwrap();
    let mut out: Vec<String> = result
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.resource, f.status.as_str()))
        .collect();
    out.sort();
    out
}

#[test]
fn s3_020_empty_string_sizes_are_no_size_filter() {
    // Found on Checkov's `tf_plan_filtered_rule_success` plan: a whole-bucket abort rule
    // was failed because the unset sizes were "" rather than null.
    let plan = lifecycle_plan(&[("whole_bucket", ""), ("prefix_only", "uploads/")]);
    assert_eq!(
        judge(&builtin_rule("AWS-S3-020"), &plan),
        ["aws_s3_bucket_lifecycle_configuration.prefix_only: fail"]
    );
}
