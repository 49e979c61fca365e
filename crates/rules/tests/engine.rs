//! The engine's contract: rule-file errors with positions, three-valued logic, redaction,
//! waivers, determinism across thread counts, and robustness on the corpus of real plans.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{load_file, parse_bytes, LoadOptions, Plan};
use planguard_rules::{
    evaluate, ConfigRelations, EvalOptions, Evaluation, Relations, RuleError, RuleSet, Status, Tri, Waiver, WaiverState,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn plan(json: &str) -> Plan {
    parse_bytes(json.as_bytes(), Path::new("plan.json")).unwrap().plan
}

fn one_change(ty: &str, name: &str, after: &str, unknown: &str, sensitive: &str) -> String {
    format!(
        r#"{{"format_version":"1.2","resource_changes":[{{"address":"{ty}.{name}","mode":"managed","type":"{ty}","name":"{name}",
        "change":{{"actions":["create"],"before":null,"after":{after},"after_unknown":{unknown},"after_sensitive":{sensitive}}}}}]}}"#
    )
}

const HEAD: &str = "id: TEST-X-001
title: t
severity: high
category: general
provider: aws
resource_types: [aws_thing]
description: d
remediation: r
references: [https://example.invalid]
message: 'bad {value} at {path}'
";

fn rule(when: &str) -> Result<RuleSet, RuleError> {
    RuleSet::parse_rule("TEST-X-001.yaml", &format!("{HEAD}when:\n{when}"))
}

fn run(rules: &RuleSet, plan: &Plan) -> Evaluation {
    evaluate(plan, None, rules, &EvalOptions::default()).unwrap()
}

fn err_at(result: Result<RuleSet, RuleError>) -> (u64, u64, String) {
    let err = result.expect_err("the rule should be rejected");
    let (file, line, column) = err.location().expect("a rule-file error has a location");
    assert!(file.ends_with("-X-001.yaml"), "{file}");
    (line, column, err.to_string())
}

#[test]
fn bad_rule_files_are_rejected_with_their_position() {
    // Line 12 is the first line of `when`'s body.
    let (line, _, msg) = err_at(rule("  attribute: x\n  op: equalz\n"));
    assert_eq!(line, 13, "{msg}");
    assert!(msg.contains("an unknown value, expected one of equals"), "{msg}");
    assert!(!msg.contains("equalz"), "no input text is quoted: {msg}");
    assert!(msg.starts_with("TEST-X-001.yaml:13:"), "{msg}");

    let (line, _, msg) = err_at(rule("  attribute: x\n  op: regex\n  value: '(unclosed'\n"));
    assert_eq!(line, 12, "{msg}");
    assert!(msg.contains("invalid regex"), "{msg}");

    let (line, _, msg) = err_at(rule("  attribute: x\n  op: is_true\n  colour: red\n"));
    assert_eq!(line, 14, "{msg}");
    assert!(msg.contains("an unknown key, expected one of attribute"), "{msg}");
    assert!(!msg.contains("colour"), "no input text is quoted: {msg}");

    let (line, _, msg) = err_at(RuleSet::parse_rule(
        "TEST-X-001.yaml",
        &format!(
            "{}when: {{attribute: x, op: is_true}}\n",
            HEAD.replace("severity: high", "severity: severe")
        ),
    ));
    assert_eq!(line, 3, "{msg}");
    assert!(msg.contains("an unknown value, expected one of critical"), "{msg}");
    assert!(!msg.contains("severe"), "no input text is quoted: {msg}");

    let (line, _, msg) = err_at(RuleSet::parse_rule(
        "TEST-X-001.yaml",
        &format!(
            "{}when: {{attribute: x, op: is_true}}\n",
            HEAD.replace("category: general", "category: misc")
        ),
    ));
    assert_eq!(line, 4, "{msg}");

    let (_, _, msg) = err_at(rule(
        "  attribute: x\n  op: is_true\n  all: [{attribute: y, op: exists}]\n",
    ));
    assert!(msg.contains("exactly one kind"), "{msg}");

    let (_, _, msg) = err_at(rule("  attribute: x\n  op: equals\n"));
    assert!(msg.contains("needs a `value`"), "{msg}");

    let (_, _, msg) = err_at(rule("  attribute: 'x[oops]'\n  op: exists\n"));
    assert!(msg.contains("expected an index"), "{msg}");

    let (_, _, msg) = err_at(rule("  attribute: x\n  op: cidr_contains\n  value: 10.0.0.0/99\n"));
    assert!(msg.contains("not an IP address or CIDR"), "{msg}");

    let (line, _, msg) = err_at(RuleSet::parse_rule(
        "OTHER-X-001.yaml",
        &format!("{HEAD}when: {{attribute: x, op: is_true}}\n"),
    ));
    assert_eq!(line, 1);
    assert!(msg.contains("doesn't match the file name"), "{msg}");

    let (_, _, msg) = err_at(rule("  attribute: x\n  op: is_true\nmessage_unknown: '{nope}'\n"));
    assert!(msg.contains("unknown placeholder"), "{msg}");
    let (_, _, msg) = err_at(rule(
        "  related:\n    direction: plan\n    types: [aws_cloudwatch_metric_alarm]\n    attribute: dimensions\n",
    ));
    assert!(msg.contains("`direction: plan` does not follow"), "{msg}");
}

#[test]
fn duplicate_ids_are_rejected() {
    let dir = std::env::temp_dir().join(format!("planguard-rules-dup-{}", std::process::id()));
    // User rule directories are read recursively, whatever their layout.
    let nested = dir.join("aws").join("team rules");
    std::fs::create_dir_all(&nested).unwrap();
    let text = std::fs::read_to_string(repo().join("rules/aws/ec2/AWS-EC2-001.yaml")).unwrap();
    std::fs::write(nested.join("AWS-EC2-001.yaml"), &text).unwrap();
    let user = RuleSet::load_dir(&dir).unwrap();
    assert_eq!(user.len(), 1);
    let err = RuleSet::builtin().unwrap().merge(user).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, RuleError::DuplicateId { .. }), "{msg}");
    assert!(
        msg.contains("AWS-EC2-001.yaml:1:5: duplicate rule id AWS-EC2-001"),
        "{msg}"
    );
    assert!(
        msg.contains("first defined in builtin:aws/ec2/AWS-EC2-001.yaml"),
        "{msg}"
    );
    std::fs::write(
        nested.join("AWS-EC2-001.yaml"),
        text.replace("op: is_true", "op: is_truthy"),
    )
    .unwrap();
    let msg = RuleSet::load_dir(&dir).unwrap_err().to_string();
    // The value's position: 1-based line of `op: is_true`, column of the value.
    let (line, col) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("op: is_true").map(|c| (i + 1, c + 1 + "op: ".len())))
        .expect("the rule has an is_true condition");
    let at = format!("AWS-EC2-001.yaml:{line}:{col}: an unknown value");
    assert!(msg.contains(&at), "{at} in {msg}");
    assert!(!msg.contains("is_truthy"), "no input text is quoted: {msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn kleene_logic() {
    use Tri::*;
    let all = [False, Unknown, True];
    for a in all {
        for b in all {
            assert_eq!(
                a.and(b),
                if a == False || b == False {
                    False
                } else if a == Unknown || b == Unknown {
                    Unknown
                } else {
                    True
                }
            );
            assert_eq!(
                a.or(b),
                if a == True || b == True {
                    True
                } else if a == Unknown || b == Unknown {
                    Unknown
                } else {
                    False
                }
            );
            // De Morgan holds in Kleene logic.
            assert_eq!(a.and(b).negate(), a.negate().or(b.negate()));
        }
    }
    assert_eq!(Unknown.negate(), Unknown);
}

fn statuses(rules: &RuleSet, after: &str, unknown: &str) -> Vec<(Status, String, String)> {
    let p = plan(&one_change("aws_thing", "t", after, unknown, "{}"));
    run(rules, &p)
        .findings
        .into_iter()
        .map(|f| (f.status, f.path.into_string(), f.message.into_string()))
        .collect()
}

#[test]
fn three_valued_evaluation() {
    let rules = rule("  any:\n    - {attribute: a, op: is_true}\n    - {attribute: b, op: is_true}\n").unwrap();
    // true OR unknown = true: a confident failure.
    assert_eq!(statuses(&rules, r#"{"a": true}"#, r#"{"b": true}"#)[0].0, Status::Fail);
    // false OR unknown = unknown.
    let got = statuses(&rules, r#"{"a": false}"#, r#"{"b": true}"#);
    assert_eq!(got[0].0, Status::Unknown);
    assert_eq!(got[0].1, "b");
    // false OR false: no finding.
    assert!(statuses(&rules, r#"{"a": false, "b": false}"#, "{}").is_empty());

    let rules = rule("  all:\n    - {attribute: a, op: is_true}\n    - {attribute: b, op: is_true}\n").unwrap();
    // false AND unknown = false: no finding, not unknown.
    assert!(statuses(&rules, r#"{"a": false}"#, r#"{"b": true}"#).is_empty());
    assert_eq!(
        statuses(&rules, r#"{"a": true}"#, r#"{"b": true}"#)[0].0,
        Status::Unknown
    );

    let rules = rule("  not: {attribute: a, op: is_true}\n").unwrap();
    assert_eq!(statuses(&rules, "{}", r#"{"a": true}"#)[0].0, Status::Unknown);
    assert_eq!(statuses(&rules, r#"{"a": false}"#, "{}")[0].0, Status::Fail);
}

#[test]
fn quantifiers_correlate_within_an_element() {
    let rules = rule(
        "  some: ingress\n  where:\n    all:\n      - {attribute: 'cidr[*]', op: is_public_cidr}\n      - {attribute: port, op: equals, value: 22}\n",
    )
    .unwrap();
    let uncorrelated = r#"{"ingress": [{"cidr": ["0.0.0.0/0"], "port": 443}, {"cidr": ["10.0.0.0/8"], "port": 22}]}"#;
    assert!(statuses(&rules, uncorrelated, "{}").is_empty());
    let correlated =
        r#"{"ingress": [{"cidr": ["10.0.0.0/8"], "port": 22}, {"cidr": ["10.0.0.0/8", "::/0"], "port": "22"}]}"#;
    let got = statuses(&rules, correlated, "{}");
    assert_eq!(got[0].0, Status::Fail);
    assert_eq!(got[0].1, "ingress[1].cidr[1]");
    assert_eq!(got[0].2, "bad ::/0 at ingress[1].cidr[1]");
    // A partly unknown element: its CIDR is unknown, the port matches.
    let got = statuses(
        &rules,
        r#"{"ingress": [{"cidr": [null], "port": 22}]}"#,
        r#"{"ingress": [{"cidr": [true]}]}"#,
    );
    assert_eq!(got[0].0, Status::Unknown);
    assert_eq!(got[0].1, "ingress[0].cidr[0]");

    let every = rule("  every: tags\n  where: {attribute: v, op: exists}\n").unwrap();
    assert!(
        statuses(&every, r#"{"tags": []}"#, "{}")[0].0 == Status::Fail,
        "vacuously true"
    );
    assert!(statuses(&every, r#"{"tags": [{"v": 1}, {}]}"#, "{}").is_empty());
}

#[test]
fn json_documents_and_string_or_list() {
    let rules = rule(
        "  json: policy\n  where:\n    some: Statement\n    where: {attribute: 'Action[*]', op: equals, value: '*'}\n",
    )
    .unwrap();
    let doc = |d: &str| format!(r#"{{"policy": {}}}"#, serde_json::to_string(d).unwrap());
    let got = statuses(&rules, &doc(r#"{"Statement": {"Action": "*"}}"#), "{}");
    assert_eq!(got[0].1, "policy.Statement.Action");
    let got = statuses(&rules, &doc(r#"{"Statement": [{"Action": ["s3:Get", "*"]}]}"#), "{}");
    assert_eq!(got[0].1, "policy.Statement[0].Action[1]");
    assert!(statuses(&rules, &doc(r#"{"Statement": [{"Action": "s3:*"}]}"#), "{}").is_empty());
    assert!(statuses(&rules, &doc("not json"), "{}").is_empty());
    assert_eq!(statuses(&rules, "{}", r#"{"policy": true}"#)[0].0, Status::Unknown);
}

#[test]
fn sensitive_values_are_never_printed() {
    let rules = rule("  attribute: password\n  op: regex\n  value: '^hunter'\n").unwrap();
    let p = plan(&one_change(
        "aws_thing",
        "t",
        r#"{"password": "hunter2"}"#,
        "{}",
        r#"{"password": true}"#,
    ));
    let evaluation = run(&rules, &p);
    assert_eq!(evaluation.findings.len(), 1);
    let shown = serde_json::to_string(&evaluation).unwrap();
    assert!(!shown.contains("hunter2"), "{shown}");
    assert_eq!(evaluation.findings[0].message, "bad (sensitive) at password");
}

#[test]
fn deletes_are_not_flagged_by_default() {
    let rules = rule("  attribute: a\n  op: is_true\n").unwrap();
    let json = r#"{"format_version":"1.2","resource_changes":[{"address":"aws_thing.t","mode":"managed","type":"aws_thing","name":"t",
        "change":{"actions":["delete"],"before":{"a":true},"after":null}}]}"#;
    let evaluation = run(&rules, &plan(json));
    assert!(evaluation.findings.is_empty());
    assert_eq!(evaluation.evaluated_count, 0);
}

#[test]
fn waivers_apply_expire_and_go_stale() {
    let rules = RuleSet::builtin().unwrap().only(&["AWS-EC2-001"]).unwrap();
    let p = load_file(
        &repo().join("fixtures/rules/AWS-EC2-001/plan.json"),
        &LoadOptions::default(),
    )
    .unwrap()
    .plan;
    let waivers = vec![
        Waiver {
            rule: "AWS-EC2-*".into(),
            address: "aws_instance.bad_public_from_var[*]".into(),
            reason: "bastions, reviewed".into(),
            expires: Some(Date::constant(2026, 6, 30)),
        },
        Waiver {
            rule: "AWS-EC2-001".into(),
            address: "module.web[\"a\"].*".into(),
            reason: "temporary".into(),
            expires: Some(Date::constant(2026, 1, 1)),
        },
        Waiver {
            rule: "AWS-RDS-001".into(),
            address: "*".into(),
            reason: "nothing to waive".into(),
            expires: None,
        },
    ];
    let options = EvalOptions {
        waivers,
        today: Some(Date::constant(2026, 3, 1)),
        record_evaluated: true,
        ..EvalOptions::default()
    };
    let evaluation = evaluate(&p, None, &rules, &options).unwrap();
    let states: Vec<(WaiverState, usize)> = evaluation.waivers.iter().map(|w| (w.state, w.matched)).collect();
    assert_eq!(
        states,
        vec![
            (WaiverState::Applied, 2),
            (WaiverState::Expired, 1),
            (WaiverState::Stale, 0)
        ]
    );
    assert_eq!(evaluation.waived.len(), 2);
    assert!(evaluation
        .findings
        .iter()
        .any(|f| f.resource == "module.web[\"a\"].aws_instance.bad_in_module"));
    assert!(!evaluation.findings.iter().any(|f| f.resource.contains("from_var")));
    assert_eq!(evaluation.evaluated.len(), evaluation.evaluated_count);
    assert_eq!(evaluation.evaluated_count, 6);

    let missing_reason = EvalOptions {
        waivers: vec![Waiver {
            rule: "*".into(),
            address: "*".into(),
            reason: "".into(),
            expires: None,
        }],
        ..EvalOptions::default()
    };
    assert!(matches!(
        evaluate(&p, None, &rules, &missing_reason),
        Err(RuleError::InvalidWaiver { .. })
    ));
}

#[test]
fn graph_rules_are_skipped_without_a_graph() {
    let rules = RuleSet::builtin()
        .unwrap()
        .only(&["AWS-EC2-001", "AWS-EC2-004", "AWS-EC2-005"])
        .unwrap();
    let p = load_file(
        &repo().join("fixtures/rules/AWS-EC2-004/plan.json"),
        &LoadOptions::default(),
    )
    .unwrap()
    .plan;
    let evaluation = run(&rules, &p);
    let skipped: Vec<&str> = evaluation.skipped.iter().map(|s| &*s.rule_id).collect();
    assert_eq!(skipped, ["AWS-EC2-004", "AWS-EC2-005"]);
    assert!(!evaluation.findings.iter().any(|f| &*f.rule_id == "AWS-EC2-004"));
}

fn all_plans() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["fixtures/terraform", "fixtures/rules"] {
        for entry in std::fs::read_dir(repo().join(dir)).unwrap() {
            let p = entry.unwrap().path().join("plan.json");
            if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let rules = RuleSet::builtin().unwrap();
    for path in all_plans() {
        let p = load_file(&path, &LoadOptions::default()).unwrap().plan;
        let relations = Graph::build(&p, &GraphOptions::default()).unwrap().graph;
        let options = EvalOptions {
            record_evaluated: true,
            ..EvalOptions::default()
        };
        let mut outputs = Vec::new();
        for threads in [1, 4] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let evaluation = pool.install(|| evaluate(&p, Some(&relations), &rules, &options).unwrap());
            outputs.push(serde_json::to_string_pretty(&evaluation).unwrap());
        }
        assert_eq!(outputs[0], outputs[1], "{}", path.display());
        // Parsing only the attributes the rules read changes nothing.
        let evaluation = planguard_rules::evaluate_all_values(&p, Some(&relations), &rules, &options).unwrap();
        assert_eq!(
            outputs[0],
            serde_json::to_string_pretty(&evaluation).unwrap(),
            "{}",
            path.display()
        );
    }
}

#[test]
fn explain_prints_the_documentation() {
    let rules = RuleSet::builtin().unwrap();
    insta::assert_snapshot!("explain_AWS-EC2-001", rules.explain("AWS-EC2-001").unwrap());
    insta::assert_snapshot!("explain_AWS-IAM-001", rules.explain("AWS-IAM-001").unwrap());
    assert!(matches!(rules.explain("AWS-NOPE-001"), Err(RuleError::UnknownRule(_))));
}

#[test]
fn the_builtin_pack_runs_on_every_corpus_plan() {
    let Some(dir) = planguard_plan::corpus::dir_for_tests() else {
        return;
    };
    let rules = RuleSet::builtin().unwrap();
    let files = planguard_plan::corpus::json_files(&dir);
    let (mut evaluated, mut findings) = (0, 0);
    for path in &files {
        let Ok(loaded) = load_file(path, &LoadOptions::default()) else {
            continue;
        };
        let relations: Box<dyn Relations> = match Graph::build(&loaded.plan, &GraphOptions::default()) {
            Ok(built) => Box::new(built.graph),
            Err(_) => Box::new(ConfigRelations::build(&loaded.plan)),
        };
        let evaluation = evaluate(&loaded.plan, Some(relations.as_ref()), &rules, &EvalOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        evaluated += 1;
        findings += evaluation.findings.len();
    }
    assert!(evaluated > 100, "only {evaluated} corpus plans loaded");
    eprintln!("{evaluated} corpus plans, {findings} findings");
}

#[test]
fn leaves_can_read_configuration_constants_and_before_values() {
    // The AWS provider plans `user_data` as a hash; the clear text is only in the configuration.
    let text = format!(
        "{}when:\n  attribute: user_data\n  in: config\n  op: regex\n  value: 'AKIA[0-9A-Z]{{16}}'\n",
        HEAD.replace("aws_thing", "aws_instance")
            .replace("category: general", "category: secrets")
    );
    let rules = RuleSet::parse_rule("TEST-X-001.yaml", &text).unwrap();
    let p = load_file(
        &repo().join("fixtures/terraform/aws-data/plan.json"),
        &LoadOptions::default(),
    )
    .unwrap()
    .plan;
    let evaluation = run(&rules, &p);
    let found: Vec<(&str, &str, &str)> = evaluation
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), f.path.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [("aws_instance.leaky", "user_data", "bad (redacted) at user_data")]
    );

    let rules =
        rule("  all:\n    - {attribute: a, in: before, op: is_true}\n    - {attribute: a, op: is_false}\n").unwrap();
    let json = r#"{"format_version":"1.2","resource_changes":[{"address":"aws_thing.t","mode":"managed","type":"aws_thing","name":"t",
        "change":{"actions":["update"],"before":{"a":true},"after":{"a":false},"after_unknown":{}}}]}"#;
    let evaluation = run(&rules, &plan(json));
    assert_eq!(evaluation.findings.len(), 1, "turned off by this change");
}

#[test]
fn rules_declare_the_attributes_they_read() {
    let rules = rule(
        "  all:\n    - {attribute: 'tags.Name', op: exists}\n    - some: ingress\n      where: {attribute: flag, in: before, op: is_true}\n    - {attribute: user_data, in: config, op: exists}\n    - json: policy\n      where: {attribute: Statement, op: exists}\n",
    )
    .unwrap();
    let attributes = rules.get("TEST-X-001").unwrap().attributes();
    assert_eq!(
        attributes,
        Some(vec!["flag".into(), "ingress".into(), "policy".into(), "tags".into()])
    );
    let any = rule("  attribute: '[*].x'\n  op: exists\n").unwrap();
    assert_eq!(any.get("TEST-X-001").unwrap().attributes(), None);
}

#[test]
fn configuration_missing_from_the_plan_is_unknown_not_absent() {
    // A plan trimmed of its `configuration` can't say what the configuration writes.
    let rules = rule("  attribute: acl\n  in: config\n  op: not_exists\n").unwrap();
    let trimmed = plan(&one_change("aws_thing", "t", "{}", "{}", "{}"));
    let statuses: Vec<Status> = run(&rules, &trimmed).findings.iter().map(|f| f.status).collect();
    assert_eq!(statuses, vec![Status::Unknown]);
    let with_config = plan(
        &one_change("aws_thing", "t", "{}", "{}", "{}").replace(
            r#""resource_changes""#,
            r#""configuration":{"root_module":{"resources":[{"address":"aws_thing.t","mode":"managed","type":"aws_thing","name":"t","expressions":{}}]}},"resource_changes""#,
        ),
    );
    let statuses: Vec<Status> = run(&rules, &with_config).findings.iter().map(|f| f.status).collect();
    assert_eq!(
        statuses,
        vec![Status::Fail],
        "a block that doesn't write `acl` is decided"
    );
}

/// Providers older than the one `scripts/gen-plan.sh` runs leave `metadata_options` out of
/// the plan when it isn't written (5.x plans it as known after apply), so this shape is
/// written by hand: IMDSv1 is then on by default, a finding.
#[test]
fn imds_with_no_metadata_options_in_the_plan_is_a_finding() {
    let rules = RuleSet::builtin().unwrap().only(&["AWS-EC2-002"]).unwrap();
    for (after, shown) in [
        (r#"{"ami":"ami-1"}"#, "(metadata_options = (not set))"),
        (r#"{"ami":"ami-1","metadata_options":[]}"#, "(metadata_options = [])"),
    ] {
        let json = one_change("aws_instance", "old_provider", after, "{}", "{}");
        let findings = run(&rules, &plan(&json)).findings;
        let got: Vec<(Status, &str)> = findings.iter().map(|f| (f.status, f.message.as_str())).collect();
        assert_eq!(got.len(), 1, "{after}: {got:?}");
        assert_eq!(got[0].0, Status::Fail, "{after}: {got:?}");
        assert!(got[0].1.ends_with(shown), "{after}: {got:?}");
    }
}

/// AWS-EC2-004 uses `direction: plan`: an unwatched instance is flagged only where the
/// plan's alarms watch other instances. Without any instance alarm in the plan it is quiet.
#[test]
fn plan_wide_related_conditions_depend_on_the_rest_of_the_plan() {
    let rules = RuleSet::builtin().unwrap().only(&["AWS-EC2-004"]).unwrap();
    let text = std::fs::read_to_string(repo().join("fixtures/rules/AWS-EC2-004/plan.json")).unwrap();
    let failing = |p: &Plan| -> Vec<String> {
        let relations = ConfigRelations::build(p);
        let graph = Graph::build(p, &GraphOptions::default()).unwrap().graph;
        let by_config = evaluate(p, Some(&relations), &rules, &EvalOptions::default()).unwrap();
        let by_graph = evaluate(p, Some(&graph), &rules, &EvalOptions::default()).unwrap();
        assert_eq!(by_config.findings, by_graph.findings);
        by_graph
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .map(|f| f.resource.to_string())
            .collect()
    };
    let with_alarms = parse_bytes(text.as_bytes(), Path::new("plan.json")).unwrap().plan;
    assert_eq!(
        failing(&with_alarms),
        ["aws_instance.bad_only_tagged", "aws_instance.bad_unwatched"]
    );

    // The same plan without its alarms: nobody watches instances with alarms here.
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let is_alarm = |v: &serde_json::Value| v["type"] == "aws_cloudwatch_metric_alarm";
    doc["resource_changes"].as_array_mut().unwrap().retain(|c| !is_alarm(c));
    doc["planned_values"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
        .retain(|c| !is_alarm(c));
    doc["configuration"]["root_module"]["resources"]
        .as_array_mut()
        .unwrap()
        .retain(|c| !is_alarm(c));
    let without_alarms = parse_bytes(doc.to_string().as_bytes(), Path::new("plan.json"))
        .unwrap()
        .plan;
    assert!(without_alarms
        .resource_changes
        .iter()
        .any(|c| c.address == "aws_instance.bad_unwatched"));
    assert_eq!(failing(&without_alarms), Vec::<String>::new());
}

/// A `jsonencode(...)` trust over a computed ARN is known only after apply: without the
/// `.tf` sources it stays `unknown`; with them (`--source-dir`) it is decided, and the
/// message says so.
#[test]
fn jsonencode_documents_are_decided_from_the_sources_only_when_given() {
    let dir = repo().join("fixtures/rules/AWS-OIDC-003");
    let p = load_file(&dir.join("plan.json"), &LoadOptions::default()).unwrap().plan;
    let rules = RuleSet::builtin().unwrap().only(&["AWS-OIDC-003"]).unwrap();
    let status_of = |options: &GraphOptions| {
        let graph = Graph::build(&p, options).unwrap().graph;
        let evaluation = evaluate(&p, Some(&graph), &rules, &EvalOptions::default()).unwrap();
        let finding = evaluation
            .findings
            .into_iter()
            .find(|f| f.resource == "aws_iam_role.bad_trust_jsonencode")
            .unwrap();
        (finding.status, finding.message.to_string())
    };
    let (status, message) = status_of(&GraphOptions::default());
    assert_eq!(status, Status::Unknown, "{message}");
    assert!(message.contains("known only after apply"), "{message}");
    let (status, message) = status_of(&GraphOptions {
        source_dir: Some(dir.clone()),
    });
    assert_eq!(status, Status::Fail, "{message}");
    assert!(
        message.contains("decided from the configuration of assume_role_policy = jsonencode(...) in the .tf sources"),
        "{message}"
    );
}

/// Whether the rule fires (`Some(status)`) on `after` with `unknown` as its unknown mirror.
fn fires(when: &str, after: &str, unknown: &str) -> Option<Status> {
    let rules = rule(when).unwrap();
    statuses(&rules, after, unknown).first().map(|f| f.0)
}

#[test]
fn string_length_set_operators() {
    let f = Some(Status::Fail);
    let u = Some(Status::Unknown);
    let starts = "  {attribute: name, op: starts_with, value: prod-}\n";
    assert_eq!(fires(starts, r#"{"name": "prod-db"}"#, "{}"), f);
    assert_eq!(fires(starts, r#"{"name": "dev-prod-db"}"#, "{}"), None);
    assert_eq!(fires(starts, "{}", r#"{"name": true}"#), u);
    let not_ends = "  {attribute: name, op: not_ends_with, value: -db}\n";
    assert_eq!(fires(not_ends, r#"{"name": "prod-db"}"#, "{}"), None);
    assert_eq!(fires(not_ends, r#"{"name": "prod-cache"}"#, "{}"), f);
    // Absent is no string, so it doesn't end with anything.
    assert_eq!(fires(not_ends, "{}", "{}"), f);

    let longer = "  {attribute: tags, op: length_greater_than, value: 1}\n";
    assert_eq!(fires(longer, r#"{"tags": {"a": "1", "b": "2"}}"#, "{}"), f);
    assert_eq!(fires(longer, r#"{"tags": {"a": "1"}}"#, "{}"), None);
    assert_eq!(fires(longer, "{}", "{}"), None, "absent has no length");
    let exactly = "  {attribute: name, op: length_equals, value: 3}\n";
    assert_eq!(fires(exactly, r#"{"name": "héé"}"#, "{}"), f, "characters, not bytes");
    let at_most = "  {attribute: ports, op: length_less_or_equal, value: 2}\n";
    assert_eq!(fires(at_most, r#"{"ports": [1, 2]}"#, "{}"), f);
    assert_eq!(fires(at_most, r#"{"ports": [1, 2, 3]}"#, "{}"), None);
    assert!(rule("  {attribute: ports, op: length_equals, value: -1}\n").is_err());

    let subset = "  {attribute: protocols, op: not_subset, value: [tcp, udp]}\n";
    assert_eq!(fires(subset, r#"{"protocols": ["tcp"]}"#, "{}"), None);
    assert_eq!(fires(subset, r#"{"protocols": ["tcp", "icmp"]}"#, "{}"), f);
    // A known element outside decides; otherwise an unknown element leaves it open.
    assert_eq!(
        fires(
            subset,
            r#"{"protocols": ["icmp", null]}"#,
            r#"{"protocols": [false, true]}"#
        ),
        f
    );
    assert_eq!(
        fires(
            subset,
            r#"{"protocols": ["tcp", null]}"#,
            r#"{"protocols": [false, true]}"#
        ),
        u
    );
    assert_eq!(fires(subset, "{}", "{}"), f, "absent is not a subset");

    let meets = "  {attribute: cidrs, op: intersects, value: [0.0.0.0/0, ::/0]}\n";
    assert_eq!(fires(meets, r#"{"cidrs": ["10.0.0.0/8", "::/0"]}"#, "{}"), f);
    assert_eq!(fires(meets, r#"{"cidrs": ["10.0.0.0/8"]}"#, "{}"), None);
    assert_eq!(
        fires(meets, r#"{"cidrs": "0.0.0.0/0"}"#, "{}"),
        f,
        "a scalar is its own set"
    );
    assert_eq!(
        fires(
            meets,
            r#"{"cidrs": ["10.0.0.0/8", null]}"#,
            r#"{"cidrs": [false, true]}"#
        ),
        u
    );
    assert_eq!(fires(meets, "{}", "{}"), None);
}

/// `is_written` / `not_written` read whether the configuration block sets an argument, in any
/// form: a constant, a reference, a function call. A literal `null`, and a lone `var.NAME`
/// that is `null` (a module input nobody passed), don't set it. Instances of `count` and
/// `for_each` resources and of modules map to their one configuration block.
#[test]
fn written_arguments_are_read_from_the_configuration() {
    let rules = rule("  attribute: key\n  op: not_written\n").unwrap();
    let change = |address: &str, module: Option<&str>| {
        let name = address.rsplit('.').next().unwrap_or(address);
        let name = name.split('[').next().unwrap_or(name);
        let module = module
            .map(|m| format!(r#""module_address":{m:?},"#))
            .unwrap_or_default();
        format!(
            r#"{{"address":{address:?},{module}"mode":"managed","type":"aws_thing","name":"{name}",
            "change":{{"actions":["create"],"before":null,"after":{{}},"after_unknown":{{"key":true}}}}}}"#
        )
    };
    let resource = |name: &str, key: Option<&str>| {
        let expressions = key.map(|k| format!(r#""key":{k}"#)).unwrap_or_default();
        format!(
            r#"{{"address":"aws_thing.{name}","mode":"managed","type":"aws_thing","name":"{name}","expressions":{{{expressions}}}}}"#
        )
    };
    let changes = [
        change("aws_thing.constant", None),
        change("aws_thing.reference", None),
        change("aws_thing.function", None),
        change("aws_thing.literal_null", None),
        change("aws_thing.absent", None),
        change("aws_thing.root_var_set", None),
        change("aws_thing.root_var_null", None),
        change("aws_thing.counted[1]", None),
        change(r#"aws_thing.each["a b"]"#, None),
        change(r#"module.passed["x"].aws_thing.inner"#, Some(r#"module.passed["x"]"#)),
        change("module.defaulted[0].aws_thing.inner", Some("module.defaulted[0]")),
        change(
            "module.nested.module.leaf.aws_thing.inner",
            Some("module.nested.module.leaf"),
        ),
        change("aws_thing.not_in_config", None),
    ]
    .join(",");
    let root = [
        resource(
            "constant",
            Some(r#"{"constant_value":"arn:aws:kms:us-east-1:111122223333:key/k"}"#),
        ),
        resource(
            "reference",
            Some(r#"{"references":["aws_kms_key.k.arn","aws_kms_key.k"]}"#),
        ),
        resource("function", Some("{}")),
        resource("literal_null", Some(r#"{"constant_value":null}"#)),
        resource("absent", None),
        resource("root_var_set", Some(r#"{"references":["var.set"]}"#)),
        resource("root_var_null", Some(r#"{"references":["var.unset"]}"#)),
        resource("counted", None),
        resource("each", Some(r#"{"references":["each.value"]}"#)),
    ]
    .join(",");
    let inner = resource("inner", Some(r#"{"references":["var.key"]}"#));
    let child = format!(r#"{{"resources":[{inner}],"variables":{{"key":{{"default":null}}}}}}"#);
    let json = format!(
        r#"{{"format_version":"1.2",
        "variables":{{"set":{{"value":"arn:aws:kms:us-east-1:111122223333:key/k"}},"unset":{{"value":null}}}},
        "resource_changes":[{changes}],
        "configuration":{{"root_module":{{"resources":[{root}],
          "variables":{{"set":{{}},"unset":{{"default":null}}}},
          "module_calls":{{
            "passed":{{"source":"./m","expressions":{{"key":{{"references":["aws_kms_key.k.arn","aws_kms_key.k"]}}}},"module":{passed}}},
            "defaulted":{{"source":"./m","module":{defaulted}}},
            "nested":{{"source":"./n","expressions":{{"key":{{"references":["var.set"]}}}},"module":{{"module_calls":{{
              "leaf":{{"source":"./m","expressions":{{"key":{{"references":["var.key"]}}}},"module":{leaf}}}}},
              "variables":{{"key":{{}}}}}}}}
          }}}}}}}}"#,
        passed = child,
        defaulted = child,
        leaf = child,
    );
    let evaluation = run(&rules, &plan(&json));
    let found: Vec<(&str, Status)> = evaluation
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), f.status))
        .collect();
    assert_eq!(
        found,
        [
            ("aws_thing.absent", Status::Fail),
            ("aws_thing.counted[1]", Status::Fail),
            ("aws_thing.literal_null", Status::Fail),
            ("aws_thing.not_in_config", Status::Unknown),
            ("aws_thing.root_var_null", Status::Fail),
            ("module.defaulted[0].aws_thing.inner", Status::Fail),
        ],
        "written: constant, reference, function, root_var_set, each, module.passed, module.nested.module.leaf"
    );

    let written = rule("  attribute: key\n  op: is_written\n").unwrap();
    let evaluation = run(&written, &plan(&json));
    let found: Vec<&str> = evaluation
        .findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.resource.as_str())
        .collect();
    assert_eq!(
        found,
        [
            "aws_thing.constant",
            r#"aws_thing.each["a b"]"#,
            "aws_thing.function",
            "aws_thing.reference",
            "aws_thing.root_var_set",
            "module.nested.module.leaf.aws_thing.inner",
            r#"module.passed["x"].aws_thing.inner"#,
        ]
    );

    // Nested blocks: `[*]` ranges over the configuration's blocks.
    let nested = rule("  attribute: 'rule[*].key'\n  op: not_written\n").unwrap();
    let one = |blocks: &str| {
        plan(&one_change("aws_thing", "t", "{}", "{}", "{}").replace(
            r#""resource_changes""#,
            &format!(
                r#""configuration":{{"root_module":{{"resources":[{{"address":"aws_thing.t","mode":"managed","type":"aws_thing","name":"t","expressions":{{"rule":{blocks}}}}}]}}}},"resource_changes""#
            ),
        ))
    };
    let count = |p: &Plan| run(&nested, p).findings.len();
    assert_eq!(
        count(&one(
            r#"[{"key":{"constant_value":"k"}},{"key":{"references":["aws_kms_key.k.arn"]}}]"#
        )),
        0
    );
    assert_eq!(
        count(&one(
            r#"[{"key":{"constant_value":"k"}},{"key":{"references":["var.undeclared"]}}]"#
        )),
        1,
        "a variable with no value and no default sets nothing"
    );
    assert_eq!(
        count(&one(
            r#"[{"key":{"constant_value":"k"}},{"other":{"constant_value":1}}]"#
        )),
        1,
        "one block lacks it"
    );
    assert_eq!(count(&one("[]")), 1, "no block at all");
    let some_block = rule("  attribute: 'rule[*].key'\n  op: is_written\n").unwrap();
    let mixed = one(r#"[{"other":{"constant_value":1}},{"key":{"references":["aws_kms_key.k.arn"]}}]"#);
    assert_eq!(
        run(&some_block, &mixed).findings.len(),
        1,
        "`is_written` holds when some block sets it"
    );
    assert_eq!(count(&mixed), 1, "`not_written` holds when some block doesn't");
}

#[test]
fn written_operators_take_no_in() {
    let (_, _, msg) = err_at(rule("  attribute: key\n  in: config\n  op: is_written\n"));
    assert!(msg.contains("take no `in`"), "{msg}");
    let (_, _, msg) = err_at(rule("  attribute: key\n  in: written\n  op: exists\n"));
    assert!(msg.contains("unknown"), "`in: written` is not a scope: {msg}");
    let (_, _, msg) = err_at(rule("  attribute: key\n  op: not_written\n  value: 1\n"));
    assert!(msg.contains("takes no `value`"), "{msg}");
}

/// `dynamic` blocks are not in the plan's configuration: a block the after-value has but the
/// configuration lacks makes what it sets unknown, not absent.
#[test]
fn blocks_missing_from_the_configuration_but_planned_are_unknown() {
    let rules = rule("  attribute: 'rule[0].key'\n  op: not_written\n").unwrap();
    let with = |after: &str| {
        plan(&one_change("aws_thing", "t", after, "{}", "{}").replace(
            r#""resource_changes""#,
            r#""configuration":{"root_module":{"resources":[{"address":"aws_thing.t","mode":"managed","type":"aws_thing","name":"t","expressions":{"name":{"constant_value":"n"}}}]}},"resource_changes""#,
        ))
    };
    let statuses = |p: &Plan| run(&rules, p).findings.iter().map(|f| f.status).collect::<Vec<_>>();
    assert_eq!(
        statuses(&with(r#"{"rule":[{"key":"k"}]}"#)),
        vec![Status::Unknown],
        "a dynamic block may set it"
    );
    assert_eq!(statuses(&with(r#"{"rule":[]}"#)), vec![Status::Fail], "no block at all");
    assert_eq!(
        statuses(&with(r#"{"name":"n"}"#)),
        vec![Status::Fail],
        "nothing planned either"
    );
    let top = rule("  attribute: rule\n  op: is_written\n").unwrap();
    let statuses = run(&top, &with(r#"{"rule":[{"key":"k"}]}"#))
        .findings
        .iter()
        .map(|f| f.status)
        .collect::<Vec<_>>();
    assert_eq!(statuses, vec![Status::Unknown]);
}
