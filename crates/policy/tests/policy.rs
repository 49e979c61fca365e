//! Loading and evaluating the fixture policies of `fixtures/policy/`.

use std::path::PathBuf;
use std::time::Duration;

use planguard_policy::{build_input, Namespaces, PolicyError, PolicySet, RuleKind, TestStatus, SENSITIVE};

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn policy(name: &str) -> PathBuf {
    root().join("fixtures/policy").join(name)
}

fn plan(name: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/terraform").join(name).join("plan.json")).unwrap()
}

fn messages(set: &PolicySet, plan_text: &str) -> Vec<(String, String)> {
    let outcome = set.evaluate(&build_input(plan_text).unwrap()).unwrap();
    outcome
        .results
        .iter()
        .map(|r| (format!("{}.{}", r.package, r.rule), r.message.clone()))
        .collect()
}

#[test]
fn conftest_rules_of_main_give_one_result_each_with_the_rule_site() {
    let set = PolicySet::load(&[policy("terraform")], &Namespaces::Default).unwrap();
    let outcome = set.evaluate(&build_input(&plan("aws-network")).unwrap()).unwrap();
    let denies: Vec<&str> = outcome
        .results
        .iter()
        .filter(|r| r.kind.is_failure())
        .map(|r| r.message.as_str())
        .collect();
    assert_eq!(
        denies,
        [
            "aws_instance.bastion gets a public IP address",
            "aws_security_group.ssh_open admits 0.0.0.0/0 on ports 22-22",
            "aws_vpc_security_group_ingress_rule.http admits the whole internet",
        ]
    );
    let public = &outcome.results[0];
    assert_eq!((public.rule.as_str(), public.line), ("deny", 6));
    assert!(
        public.file.ends_with("fixtures/policy/terraform/public_ip.rego"),
        "{}",
        public.file
    );
    // The v0 file's rule is found too, at its first definition.
    let ingress = outcome.results.iter().find(|r| r.rule == "deny_open_ingress").unwrap();
    assert_eq!(ingress.line, 7);
    // warn and warn_<name> rules are warnings; the tag rule reads data.yaml.
    let warns: Vec<&str> = outcome
        .results
        .iter()
        .filter(|r| r.kind == RuleKind::Warn)
        .map(|r| r.message.as_str())
        .collect();
    assert!(
        warns.contains(&"aws_instance.bastion has no detailed monitoring"),
        "{warns:?}"
    );
    assert!(warns.contains(&"aws_vpc.main lacks the cost-center tag"), "{warns:?}");
    assert!(outcome.excepted.is_empty());
}

#[test]
fn object_results_carry_id_severity_and_address() {
    let set = PolicySet::load(&[policy("terraform")], &Namespaces::Default).unwrap();
    let outcome = set.evaluate(&build_input(&plan("aws-iam")).unwrap()).unwrap();
    let violation = outcome.results.iter().find(|r| r.rule == "violation").unwrap();
    assert_eq!(violation.id.as_deref(), Some("IAM-WILDCARD"));
    assert_eq!(violation.severity.as_deref(), Some("critical"));
    assert_eq!(violation.address.as_deref(), Some("aws_iam_policy.admin_star"));
    let data = set.evaluate(&build_input(&plan("aws-data")).unwrap()).unwrap();
    let bucket = data.results.iter().find(|r| r.rule == "deny_s3_encryption").unwrap();
    // `address` is read when there is no `resource` field.
    assert_eq!(
        Some(bucket.message.split(' ').next().unwrap()),
        bucket.address.as_deref()
    );
}

#[test]
fn exceptions_move_named_and_bare_rules_aside_but_never_warnings() {
    let set = PolicySet::load(&[policy("exceptions")], &Namespaces::Default).unwrap();
    let outcome = set.evaluate(&build_input(&plan("aws-data")).unwrap()).unwrap();
    let rules = |list: &[planguard_policy::PolicyResult]| -> Vec<String> {
        let mut r: Vec<String> = list.iter().map(|r| r.rule.clone()).collect();
        r.dedup();
        r
    };
    assert_eq!(rules(&outcome.results), ["deny_unencrypted_volume", "warn"]);
    assert_eq!(rules(&outcome.excepted), ["deny"]);
    // Without a database the exception does not hold: the bare deny has nothing to say
    // and the public IP rule reports again.
    let network = set.evaluate(&build_input(&plan("aws-network")).unwrap()).unwrap();
    assert!(network.excepted.is_empty());
    assert!(network.results.iter().any(|r| r.rule == "deny_public_ip"));
}

#[test]
fn namespaces_select_packages_and_unknown_ones_are_errors() {
    let text = plan("aws-network");
    let all = PolicySet::load(&[policy("namespaces")], &Namespaces::All).unwrap();
    let got = messages(&all, &text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "terraform.network.deny");
    let storage = PolicySet::load(
        &[policy("namespaces")],
        &Namespaces::List(vec!["terraform.storage".into()]),
    )
    .unwrap();
    assert!(messages(&storage, &plan("aws-data"))
        .iter()
        .all(|(rule, _)| rule == "terraform.storage.warn"));
    // main holds nothing here: an error, not a silent pass.
    let main = PolicySet::load(&[policy("namespaces")], &Namespaces::Default).unwrap();
    let err = main.require_rules().unwrap_err().to_string();
    assert!(err.contains("terraform.network, terraform.storage"), "{err}");
    let err = PolicySet::load(&[policy("namespaces")], &Namespaces::List(vec!["nope".into()])).unwrap_err();
    assert!(matches!(err, PolicyError::UnknownNamespace { .. }), "{err}");
}

#[test]
fn v0_policies_load_beside_v1_ones() {
    let set = PolicySet::load(&[policy("v0-only"), policy("terraform")], &Namespaces::Default).unwrap();
    let got = messages(&set, &plan("aws-network"));
    assert!(
        got.contains(&("main.deny".into(), "aws_eip.nat: public address resource".into())),
        "{got:?}"
    );
    assert!(got.contains(&(
        "main.deny".into(),
        "aws_instance.bastion gets a public IP address".into()
    )));
}

#[test]
fn a_syntax_error_names_file_line_and_column() {
    let err = PolicySet::load(&[policy("syntax-error")], &Namespaces::Default).unwrap_err();
    match &err {
        PolicyError::Syntax { file, line, column, .. } => {
            assert!(file.ends_with("broken.rego"), "{file}");
            assert_eq!((*line, *column), (7, 25));
        }
        other => panic!("expected a syntax error, got {other}"),
    }
}

/// regorus checks variable safety only when it reaches the statement, so an unsafe
/// variable is an error at evaluation, with the position of the expression.
#[test]
fn an_unsafe_variable_is_an_error_at_its_position() {
    let dir = std::env::temp_dir().join(format!("planguard-policy-unsafe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("unsafe.rego"),
        "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tnot input.x\n\tmsg := y\n}\n",
    )
    .unwrap();
    let set = PolicySet::load(&[&dir], &Namespaces::Default).unwrap();
    let err = set.evaluate(&build_input(&plan("basic")).unwrap()).unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            PolicyError::Eval {
                line: 7,
                column: 12,
                ..
            }
        ),
        "{text}"
    );
    assert!(text.contains("unsafe.rego:7:12: rule main.deny"), "{text}");
}

#[test]
fn a_looping_rule_is_stopped_by_the_execution_limit() {
    let mut set = PolicySet::load(&[policy("looping")], &Namespaces::Default).unwrap();
    set.set_time_limit(Duration::from_millis(200));
    let started = std::time::Instant::now();
    let err = set.evaluate(&build_input(&plan("basic")).unwrap()).unwrap_err();
    assert!(matches!(err, PolicyError::TimeLimit { line: 6, .. }), "{err}");
    // Stopped near its limit, not after the ten billion steps.
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn sensitive_values_are_masked_in_the_input() {
    let text = std::fs::read_to_string(root().join("fixtures/leaks/plan.json")).unwrap();
    let input = build_input(&text).unwrap();
    assert!(!input.secrets.is_empty());
    let set = PolicySet::load(&[policy("leak")], &Namespaces::Default).unwrap();
    let outcome = set.evaluate(&input).unwrap();
    assert!(!outcome.results.is_empty());
    let all: String = outcome
        .results
        .iter()
        .map(|r| r.message.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains(SENSITIVE), "{all}");
    // Every sensitive value of the crafted plan holds a canary.
    let canaries: Vec<&String> = input.secrets.iter().filter(|s| s.contains("canary")).collect();
    assert!(canaries.len() >= 10, "{canaries:?}");
    for secret in canaries {
        assert!(!all.contains(secret.as_str()), "a masked value reached a message");
    }
    // What is not sensitive is still there for the policies.
    assert!(all.contains("ami-12345678"), "{all}");
}

#[test]
fn test_rules_pass_fail_and_are_sorted() {
    let passing = PolicySet::load(&[policy("unit-tests/passing")], &Namespaces::Default).unwrap();
    let results = passing.run_tests();
    let names: Vec<&str> = results.iter().map(|t| t.site.rule.as_str()).collect();
    assert_eq!(names, ["test_private_instance_allowed", "test_public_instance_denied"]);
    assert!(results.iter().all(|t| t.status == TestStatus::Pass), "{results:?}");
    let failing = PolicySet::load(&[policy("unit-tests/failing")], &Namespaces::Default).unwrap();
    let statuses: Vec<(String, TestStatus)> = failing
        .run_tests()
        .into_iter()
        .map(|t| (t.site.rule, t.status))
        .collect();
    assert_eq!(
        statuses,
        [
            ("test_fails".into(), TestStatus::Fail),
            ("test_passes".into(), TestStatus::Pass)
        ]
    );
}

#[test]
fn missing_directories_and_empty_ones_are_errors() {
    let err = PolicySet::load(&[policy("no-such-dir")], &Namespaces::Default).unwrap_err();
    assert!(matches!(err, PolicyError::Io { .. }), "{err}");
    let err = PolicySet::load(&[root().join("fixtures/usage")], &Namespaces::Default).unwrap_err();
    assert!(matches!(err, PolicyError::NoPolicies { .. }), "{err}");
}

#[test]
fn evaluation_is_deterministic() {
    let set = PolicySet::load(&[policy("terraform")], &Namespaces::Default).unwrap();
    let text = plan("aws-data");
    let first = set.evaluate(&build_input(&text).unwrap()).unwrap();
    for _ in 0..3 {
        assert_eq!(set.evaluate(&build_input(&text).unwrap()).unwrap(), first);
    }
}

#[test]
fn inputs_without_unread_members_give_the_same_outcome() {
    let plans: Vec<String> = std::fs::read_dir(root().join("fixtures/terraform"))
        .unwrap()
        .map(|e| e.unwrap().path().join("plan.json"))
        .filter(|p| p.is_file())
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert!(plans.len() > 5, "only {} fixture plans", plans.len());
    let mut pruned_sets = 0;
    for dir in [
        "terraform",
        "namespaces",
        "leak",
        "v0-only",
        "exceptions",
        "unit-tests/passing",
    ] {
        let set = PolicySet::load(&[policy(dir)], &Namespaces::All).unwrap();
        if matches!(set.input_roots(), planguard_policy::InputRoots::Members(_)) {
            pruned_sets += 1;
        }
        for text in &plans {
            let whole = set.evaluate(&build_input(text).unwrap()).unwrap();
            let pruned = set.evaluate(&set.build_input(text).unwrap()).unwrap();
            assert_eq!(pruned, whole, "{dir}");
        }
    }
    assert!(
        pruned_sets >= 3,
        "only {pruned_sets} policy sets read part of the input"
    );
}

#[test]
fn the_benchmark_policies_read_resource_changes_alone() {
    let set = PolicySet::load(&[root().join("benches/peers/rego")], &Namespaces::All).unwrap();
    let expected = planguard_policy::InputRoots::Members(["resource_changes".to_string()].into());
    assert_eq!(set.input_roots(), &expected);
}
