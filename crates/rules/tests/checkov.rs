//! Checkov custom policies translated into rules: Checkov's semantics where values are
//! known, `unknown` where they are known only after apply, and errors with positions for
//! what is not translated.

use std::path::Path;

use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{parse_bytes, Plan};
use planguard_rules::{evaluate, EvalOptions, RuleSet, Severity, Status};

fn plan(changes: &[(&str, &str, &str)]) -> Plan {
    let list: Vec<String> = changes
        .iter()
        .map(|(address, after, unknown)| {
            let (ty, name) = address.split_once('.').unwrap();
            format!(
                r#"{{"address":"{address}","mode":"managed","type":"{ty}","name":"{name}",
                "change":{{"actions":["create"],"before":null,"after":{after},"after_unknown":{unknown},"after_sensitive":{{}}}}}}"#
            )
        })
        .collect();
    let json = format!(r#"{{"format_version":"1.2","resource_changes":[{}]}}"#, list.join(","));
    parse_bytes(json.as_bytes(), Path::new("plan.json")).unwrap().plan
}

const HEAD: &str = "metadata:\n  id: CKV2_T_1\n  name: test policy\n  category: NETWORKING\n";

fn policy(definition: &str) -> RuleSet {
    RuleSet::parse_checkov_policy("policy.yaml", &format!("{HEAD}definition:\n{definition}")).unwrap()
}

/// `address: status` of each finding, in order.
fn judge(definition: &str, p: &Plan) -> Vec<String> {
    let rules = policy(definition);
    let graph = Graph::build(p, &GraphOptions::default()).unwrap().graph;
    let result = evaluate(p, Some(&graph), &rules, &EvalOptions::default()).unwrap();
    let mut out: Vec<String> = result
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.resource, f.status.as_str()))
        .collect();
    out.sort();
    out
}

fn attr(types: &str, attribute: &str, operator: &str, value: Option<&str>) -> String {
    let value = value.map(|v| format!("  value: {v}\n")).unwrap_or_default();
    format!("  cond_type: attribute\n  resource_types: [{types}]\n  attribute: {attribute}\n  operator: {operator}\n{value}")
}

#[test]
fn metadata_becomes_the_rule_metadata() {
    let rules = RuleSet::parse_checkov_policy(
        "dir/p.yaml",
        "metadata:\n  id: CKV2_T_1\n  name: Buckets are tagged\n  category: ENCRYPTION\n  severity: low\n  guideline: https://example.invalid/g\ndefinition:\n  cond_type: attribute\n  resource_types: aws_s3_bucket\n  attribute: tags\n  operator: exists\n",
    )
    .unwrap();
    let meta = rules.rules().next().unwrap();
    assert_eq!(&*meta.id, "CKV2_T_1");
    assert_eq!(meta.title, "Buckets are tagged");
    assert_eq!(meta.severity, Severity::Low);
    assert_eq!(meta.category.as_str(), "encryption");
    assert_eq!(meta.provider, "aws");
    assert_eq!(meta.resource_types, vec!["aws_s3_bucket"]);
    assert_eq!(meta.references, vec!["https://example.invalid/g"]);
    assert_eq!(meta.source.to_string(), "dir/p.yaml");
    assert_eq!(meta.source.position(), (2, 7));
    // No severity: high, so the default guardrail fails on it as Checkov fails any check.
    let rules = policy(&attr("aws_s3_bucket", "tags", "exists", None));
    assert_eq!(rules.rules().next().unwrap().severity, Severity::High);
    assert_eq!(rules.rules().next().unwrap().category.as_str(), "network-exposure");
}

#[test]
fn operators_follow_checkov_where_values_are_known() {
    let p = plan(&[
        ("aws_x.absent", "{}", "{}"),
        (
            "aws_x.off",
            r#"{"flag": false, "tags": {}, "name": "db-01", "size": 20}"#,
            "{}",
        ),
        (
            "aws_x.on",
            r#"{"flag": true, "tags": {"a": "1", "b": "2"}, "name": "web", "size": "200"}"#,
            "{}",
        ),
        (
            "aws_x.later",
            "{}",
            r#"{"flag": true, "tags": true, "name": true, "size": true}"#,
        ),
    ]);
    // is_false is "not true": the absent attribute passes, as in Checkov.
    assert_eq!(
        judge(&attr("aws_x", "flag", "is_false", None), &p),
        ["aws_x.later: unknown", "aws_x.on: fail"]
    );
    // is_empty is false on an absent attribute.
    assert_eq!(
        judge(&attr("aws_x", "tags", "is_empty", None), &p),
        ["aws_x.absent: fail", "aws_x.later: unknown", "aws_x.on: fail"]
    );
    // Checkov counts a map's length as 1.
    assert_eq!(
        judge(&attr("aws_x", "tags", "length_equals", Some("1")), &p),
        ["aws_x.absent: fail", "aws_x.later: unknown"]
    );
    // re.match anchors at the start.
    assert_eq!(
        judge(&attr("aws_x", "name", "regex_match", Some("'[a-z]+'")), &p),
        ["aws_x.absent: fail", "aws_x.later: unknown"]
    );
    assert_eq!(
        judge(&attr("aws_x", "name", "regex_match", Some("'\\d'")), &p),
        [
            "aws_x.absent: fail",
            "aws_x.later: unknown",
            "aws_x.off: fail",
            "aws_x.on: fail"
        ]
    );
    // Numbers from numeric strings; absent is not greater than anything.
    assert_eq!(
        judge(&attr("aws_x", "size", "greater_than", Some("100")), &p),
        ["aws_x.absent: fail", "aws_x.later: unknown", "aws_x.off: fail"]
    );
    assert_eq!(
        judge(&attr("aws_x", "name", "equals_ignore_case", Some("WEB")), &p),
        ["aws_x.absent: fail", "aws_x.later: unknown", "aws_x.off: fail"]
    );
    assert_eq!(
        judge(&attr("aws_x", "name", "not_within", Some("[web, api]")), &p),
        ["aws_x.later: unknown", "aws_x.on: fail"]
    );
}

#[test]
fn wildcards_are_some_match_except_not_contains_and_jsonpath() {
    let p = plan(&[
        (
            "aws_sg.mixed",
            r#"{"ingress": [{"cidr_blocks": ["10.0.0.0/8"], "from_port": 22}, {"cidr_blocks": ["0.0.0.0/0"], "from_port": 443}]}"#,
            "{}",
        ),
        (
            "aws_sg.closed",
            r#"{"ingress": [{"cidr_blocks": ["10.0.0.0/8"], "from_port": 443}]}"#,
            "{}",
        ),
        ("aws_sg.none", r#"{"ingress": []}"#, "{}"),
        (
            "aws_sg.later",
            r#"{"ingress": [{"cidr_blocks": null, "from_port": 443}]}"#,
            r#"{"ingress": [{"cidr_blocks": true}]}"#,
        ),
    ]);
    // Some ingress on port 443 passes.
    assert_eq!(
        judge(&attr("aws_sg", "ingress.*.from_port", "equals", Some("443")), &p),
        ["aws_sg.none: fail"]
    );
    // not_contains holds for every match; none at all passes.
    assert_eq!(
        judge(
            &attr("aws_sg", "ingress.*.cidr_blocks", "not_contains", Some("0.0.0.0/0")),
            &p
        ),
        ["aws_sg.later: unknown", "aws_sg.mixed: fail"]
    );
    // JSONPath operators hold for every match; with none, the operator on the absent value.
    assert_eq!(
        judge(
            &attr("aws_sg", "ingress[*].from_port", "jsonpath_equals", Some("443")),
            &p
        ),
        ["aws_sg.mixed: fail", "aws_sg.none: fail"]
    );
    assert_eq!(
        judge(
            &attr("aws_sg", "ingress[*].from_port", "jsonpath_not_equals", Some("22")),
            &p
        ),
        ["aws_sg.mixed: fail"]
    );
}

#[test]
fn names_step_through_blocks_written_once() {
    let p = plan(&[
        ("aws_i.one", r#"{"root_block_device": [{"encrypted": true}]}"#, "{}"),
        ("aws_i.off", r#"{"root_block_device": [{"encrypted": false}]}"#, "{}"),
        // Two blocks: Checkov's `root_block_device.encrypted` names neither.
        (
            "aws_i.two",
            r#"{"root_block_device": [{"encrypted": true}, {"encrypted": true}]}"#,
            "{}",
        ),
    ]);
    assert_eq!(
        judge(&attr("aws_i", "root_block_device.encrypted", "is_true", None), &p),
        ["aws_i.off: fail", "aws_i.two: fail"]
    );
}

const CONFIG_PLAN: &str = r#"{"format_version":"1.2",
 "resource_changes":[
  {"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"vpc_security_group_ids":true},"after_sensitive":{}}},
  {"address":"aws_instance.b","mode":"managed","type":"aws_instance","name":"b","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{},"after_sensitive":{}}},
  {"address":"aws_instance.c","mode":"managed","type":"aws_instance","name":"c","change":{"actions":["create"],"before":null,"after":{},"after_unknown":{"vpc_security_group_ids":true},"after_sensitive":{}}},
  {"address":"aws_security_group.open","mode":"managed","type":"aws_security_group","name":"open","change":{"actions":["create"],"before":null,"after":{"open":true},"after_unknown":{"id":true},"after_sensitive":{}}},
  {"address":"aws_security_group.closed","mode":"managed","type":"aws_security_group","name":"closed","change":{"actions":["create"],"before":null,"after":{"open":false},"after_unknown":{"id":true},"after_sensitive":{}}},
  {"address":"aws_security_group.spare","mode":"managed","type":"aws_security_group","name":"spare","change":{"actions":["create"],"before":null,"after":{"open":false},"after_unknown":{"id":true},"after_sensitive":{}}}],
 "configuration":{"root_module":{"resources":[
  {"address":"aws_instance.a","mode":"managed","type":"aws_instance","name":"a","expressions":{"vpc_security_group_ids":{"references":["aws_security_group.open.id","aws_security_group.open","aws_security_group.closed.id","aws_security_group.closed"]}}},
  {"address":"aws_instance.b","mode":"managed","type":"aws_instance","name":"b","expressions":{}},
  {"address":"aws_instance.c","mode":"managed","type":"aws_instance","name":"c","expressions":{"vpc_security_group_ids":{"references":["aws_security_group.closed.id","aws_security_group.closed"]}}},
  {"address":"aws_security_group.open","mode":"managed","type":"aws_security_group","name":"open","expressions":{}},
  {"address":"aws_security_group.closed","mode":"managed","type":"aws_security_group","name":"closed","expressions":{}},
  {"address":"aws_security_group.spare","mode":"managed","type":"aws_security_group","name":"spare","expressions":{}}]}}}"#;

const CONNECTION: &str = "    - cond_type: connection\n      resource_types: [aws_instance]\n      connected_resource_types: [aws_security_group]\n      operator: exists\n";

#[test]
fn connections_judge_both_sides_and_carry_attribute_failures() {
    let p = parse_bytes(CONFIG_PLAN.as_bytes(), Path::new("plan.json"))
        .unwrap()
        .plan;
    let alone = "  cond_type: connection\n  resource_types: [aws_instance]\n  connected_resource_types: [aws_security_group]\n  operator: exists\n";
    assert_eq!(
        judge(alone, &p),
        ["aws_instance.b: fail", "aws_security_group.spare: fail"]
    );
    let none = alone.replace("operator: exists", "operator: not_exists");
    assert_eq!(
        judge(&none, &p),
        [
            "aws_instance.a: fail",
            "aws_instance.c: fail",
            "aws_security_group.closed: fail",
            "aws_security_group.open: fail"
        ]
    );
    // And: a security group failing its attribute check fails the instances linked to it.
    let and = format!(
        "  and:\n    - cond_type: attribute\n      resource_types: [aws_security_group]\n      attribute: open\n      operator: is_false\n{CONNECTION}"
    );
    assert_eq!(
        judge(&and, &p),
        [
            "aws_instance.a: fail",
            "aws_instance.b: fail",
            "aws_security_group.open: fail",
            "aws_security_group.spare: fail"
        ]
    );
    // Or: passing either check passes.
    let or = and.replacen("  and:", "  or:", 1);
    // (the open group is linked to an instance, the spare one passes its attribute check)
    assert_eq!(judge(&or, &p), ["aws_instance.b: fail"]);
    // A filter narrows the resources reported on.
    let filtered = format!(
        "{and}    - cond_type: filter\n      attribute: resource_type\n      operator: within\n      value: [aws_instance]\n"
    );
    assert_eq!(judge(&filtered, &p), ["aws_instance.a: fail", "aws_instance.b: fail"]);
}

#[test]
fn all_resource_types() {
    let p = plan(&[
        ("aws_a.tagged", r#"{"tags": {"Owner": "x"}}"#, "{}"),
        ("aws_b.untagged", r#"{"tags": {}}"#, "{}"),
        ("google_c.later", "{}", r#"{"labels": true}"#),
    ]);
    let rules = policy("  cond_type: attribute\n  resource_types: all\n  attribute: tags.Owner\n  operator: exists\n");
    assert_eq!(rules.rules().next().unwrap().resource_types, vec!["*"]);
    assert_eq!(rules.rules().next().unwrap().provider, "custom");
    assert_eq!(
        judge(
            "  cond_type: attribute\n  resource_types: all\n  attribute: tags.Owner\n  operator: exists\n",
            &p
        ),
        ["aws_b.untagged: fail", "google_c.later: fail"]
    );
}

#[test]
fn untranslatable_constructs_name_their_line() {
    let cases = [
        ("  cond_type: attribute\n  resource_types: [a]\n  attribute: x\n  operator: number_of_words_equals\n  value: 2\n", 9, "operator `number_of_words_equals` is not supported"),
        ("  cond_type: attribute\n  resource_types: [a]\n  attribute: x\n  operator: regex_match\n  value: '(?<=a)b'\n", 9, "does not compile"),
        ("  cond_type: attribute\n  resource_types: [a]\n  attribute: x\n  operator: within\n  value: abc\n", 9, "needs a list"),
        ("  cond_type: filter\n  attribute: resource_type\n  operator: within\n  value: [a]\n", 6, "checks nothing"),
        ("  not:\n    - cond_type: attribute\n      attribute: x\n      operator: exists\n    - cond_type: attribute\n      attribute: y\n      operator: exists\n", 7, "exactly one"),
        ("  and:\n    - cond_type: attribute\n      attribute: x\n      operator: exists\n  or:\n    - cond_type: attribute\n      attribute: y\n      operator: exists\n", 6, "nest them"),
        ("  cond_type: attribute\n  attribute: x\n", 6, "needs an `operator`"),
        ("  cond_type: attribute\n  attribute: x\n  operator: equalz\n  value: 1\n", 8, "an operator Checkov doesn't have"),
        ("  cond_type: atribute\n  attribute: x\n  operator: exists\n", 6, "an unknown `cond_type`"),
    ];
    for (definition, line, needle) in cases {
        let err = RuleSet::parse_checkov_policy("p.yaml", &format!("{HEAD}definition:\n{definition}")).unwrap_err();
        let (file, at, _) = err.location().unwrap();
        let text = err.to_string();
        assert_eq!((file, at), ("p.yaml", line), "{text}");
        assert!(text.contains(needle), "{needle:?} in {text}");
        assert!(
            !text.contains("equalz") && !text.contains("atribute"),
            "no input text is quoted: {text}"
        );
    }
}

#[test]
fn statuses_are_fail_or_unknown() {
    let p = plan(&[("aws_x.later", "{}", r#"{"flag": true}"#)]);
    let rules = policy(&attr("aws_x", "flag", "is_true", None));
    let result = evaluate(&p, None, &rules, &EvalOptions::default()).unwrap();
    assert_eq!(result.findings[0].status, Status::Unknown);
    assert!(result.findings[0]
        .message
        .as_str()
        .starts_with("cannot tell before apply"));
}

#[test]
fn sensitive_values_stay_hidden() {
    let json = r#"{"format_version":"1.2","resource_changes":[{"address":"aws_db_instance.db","mode":"managed","type":"aws_db_instance","name":"db",
      "change":{"actions":["create"],"before":null,"after":{"password":"hunter2-not-long"},"after_unknown":{},"after_sensitive":{"password":true}}}]}"#;
    let p = parse_bytes(json.as_bytes(), Path::new("plan.json")).unwrap().plan;
    let rules = policy(&attr(
        "aws_db_instance",
        "password",
        "length_greater_than_or_equal",
        Some("20"),
    ));
    let result = evaluate(&p, None, &rules, &EvalOptions::default()).unwrap();
    assert_eq!(result.findings.len(), 1);
    let message = result.findings[0].message.as_str();
    assert!(message.contains("(sensitive)"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
}
