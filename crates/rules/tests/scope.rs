//! `Scope::All` judges unchanged resources too; the default judges what the plan changes.
//! The fixture `fixtures/scope/audit/plan.json` is a real AWS-provider plan with unchanged
//! (`no-op`) resources, made offline by `fixtures/scope/gen.sh`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{load_file, LoadOptions, Plan};
use planguard_rules::{evaluate, evaluate_all_values, EvalOptions, RuleSet, Scope, Status};

fn fixture() -> Plan {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/scope/audit/plan.json");
    load_file(&path, &LoadOptions::default()).unwrap().plan
}

fn findings(plan: &Plan, rules: &RuleSet, scope: Scope) -> BTreeSet<(String, String, String)> {
    let graph = Graph::build(plan, &GraphOptions::default()).unwrap().graph;
    let options = EvalOptions {
        scope,
        ..EvalOptions::default()
    };
    let fast = evaluate(plan, Some(&graph), rules, &options).unwrap();
    let full = evaluate_all_values(plan, Some(&graph), rules, &options).unwrap();
    assert_eq!(
        fast.findings, full.findings,
        "parsing only the rules' attributes changes nothing"
    );
    assert!(fast.value_issues.is_empty());
    fast.findings
        .iter()
        .inspect(|f| assert_eq!(f.status, Status::Fail, "{f:?}"))
        .map(|f| (f.rule_id.to_string(), f.resource.clone(), f.action.as_str().to_string()))
        .collect()
}

fn set(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(r, a, k)| (r.to_string(), a.to_string(), k.to_string()))
        .collect()
}

#[test]
fn the_fixture_has_unchanged_resources() {
    let plan = fixture();
    let actions: BTreeSet<&str> = plan.resource_changes.iter().map(|c| c.action().as_str()).collect();
    assert_eq!(actions, ["create", "no-op", "update"].into_iter().collect());
}

#[test]
fn changes_by_default_everything_with_scope_all() {
    let plan = fixture();
    let rules = RuleSet::builtin().unwrap();
    let changed = set(&[
        ("AWS-VPC-002", "aws_security_group.updated_open_ssh", "update"),
        ("AWS-EBS-001", "aws_ebs_volume.created_unencrypted", "create"),
    ]);
    assert_eq!(findings(&plan, &rules, Scope::default()), changed);
    assert_eq!(findings(&plan, &rules, Scope::Changes), changed);

    let mut all = changed.clone();
    all.extend(set(&[
        ("AWS-VPC-002", "aws_security_group.unchanged_open_ssh", "no-op"),
        ("AWS-EBS-001", "aws_ebs_volume.unchanged_unencrypted", "no-op"),
    ]));
    // `unchanged_private_ssh` is unchanged and fine: nothing in either scope.
    assert_eq!(findings(&plan, &rules, Scope::All), all);
}

const RULE: &str = "id: TEST-SCOPE-001
title: t
severity: high
category: general
provider: aws
resource_types: [aws_security_group]
description: d
remediation: r
references: [https://example.invalid]
message: 'seen'
when: {attribute: name, op: exists}
";

#[test]
fn scope_all_adds_unchanged_resources_only_to_rules_judging_what_exists() {
    let plan = fixture();
    let judged = |actions: &str, scope: Scope| -> BTreeSet<String> {
        let text = RULE.replace("when:", &format!("{actions}when:"));
        let rules = RuleSet::parse_rule("TEST-SCOPE-001.yaml", &text).unwrap();
        findings(&plan, &rules, scope).into_iter().map(|(_, a, _)| a).collect()
    };
    let updated: BTreeSet<String> = ["aws_security_group.updated_open_ssh".to_string()].into();
    let every: BTreeSet<String> = [
        "aws_security_group.unchanged_open_ssh",
        "aws_security_group.unchanged_private_ssh",
        "aws_security_group.updated_open_ssh",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(judged("", Scope::Changes), updated);
    assert_eq!(judged("", Scope::All), every);
    // A rule about what goes away never judges what stays.
    assert!(judged("actions: [delete]\n", Scope::All).is_empty());
    // A rule that asks for no-op resources gets them in either scope.
    assert_eq!(judged("actions: [no-op]\n", Scope::Changes).len(), 2);
    assert_eq!(judged("actions: [update]\n", Scope::All), every);
}
