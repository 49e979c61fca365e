//! Rego policies through the library: `Analyzer::builder().policy_dir(...)`.

use std::path::{Path, PathBuf};

use planguard::{Analyzer, Config, Verdict};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn the_builder_runs_policies_and_their_findings_fail_the_default_policy() {
    let analyzer = Analyzer::builder()
        .skip_check(["critical".to_string()])
        .policy_dir(repo().join("fixtures/policy/terraform"))
        .build()
        .unwrap();
    assert_eq!(analyzer.policies().unwrap().files().len(), 6);
    let report = analyzer
        .analyze_file(&repo().join("fixtures/terraform/aws-network/plan.json"))
        .unwrap();
    assert_eq!(report.verdict, Verdict::Fail);
    let denies: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity == planguard::rules::Severity::High)
        .map(|f| &*f.rule_id)
        .collect();
    assert_eq!(
        denies,
        [
            "REGO:main.deny",
            "REGO:main.deny_open_ingress",
            "REGO:main.deny_open_ingress"
        ]
    );
    assert!(report.timings.iter().any(|(stage, _)| *stage == "policies"));
}

#[test]
fn the_config_names_policy_dirs_and_namespaces() {
    let config = Config::from_str_at(
        "version: 1\npolicy_dirs: [fixtures/policy/namespaces]\npolicy_namespaces: [terraform.storage]\n",
        &repo().join(".planguard.yaml"),
    )
    .unwrap();
    let analyzer = Analyzer::builder()
        .config(config)
        .skip_check(["critical".to_string()])
        .build()
        .unwrap();
    let report = analyzer
        .analyze_file(&repo().join("fixtures/terraform/aws-data/plan.json"))
        .unwrap();
    assert!(!report.findings.is_empty());
    assert!(report
        .findings
        .iter()
        .all(|f| &*f.rule_id == "REGO:terraform.storage.warn"));
    // Only warnings: the verdict warns.
    assert_eq!(report.verdict, Verdict::Warn);
}

#[test]
fn a_bad_policy_namespaces_entry_is_a_config_error_at_its_line() {
    let err = Config::from_str_at("version: 1\npolicy_namespaces: some\n", &repo().join(".planguard.yaml"))
        .unwrap_err()
        .to_string();
    assert!(err.contains(".planguard.yaml:2:"), "{err}");
    let err = Config::from_str_at(
        "version: 1\npolicy_dirs: [no/such/dir]\n",
        &repo().join(".planguard.yaml"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains(".planguard.yaml:2:"), "{err}");
}
