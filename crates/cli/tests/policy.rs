//! `planguard check --policy` and `planguard policy test`: Rego (conftest/OPA) policies
//! from `fixtures/policy/`, their findings in the report formats, errors and exit codes.
//!
//! The built-in rules are skipped (`--skip-check critical`: every severity and below) so
//! that the snapshots hold the policies' findings only.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs planguard from the repository root (relative paths in the output), with no CI
/// variables and no configuration to find.
fn planguard(args: &[&str]) -> Out {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    cmd.args(["--color", "never"]).args(args).current_dir(repo());
    for var in [
        "GITHUB_ACTIONS",
        "TF_BUILD",
        "GITLAB_CI",
        "GITHUB_REF",
        "BUILD_SOURCEBRANCH",
    ] {
        cmd.env_remove(var);
    }
    let output = cmd.output().unwrap();
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const NETWORK: &str = "fixtures/terraform/aws-network/plan.json";
const IAM: &str = "fixtures/terraform/aws-iam/plan.json";
const DATA: &str = "fixtures/terraform/aws-data/plan.json";

fn check(plan: &str, extra: &[&str], format: &str) -> Out {
    let mut args = vec!["check", plan, "--skip-check", "critical", "--format", format];
    args.extend_from_slice(extra);
    planguard(&args)
}

/// The JSON report's parts that policies decide.
fn policy_view(json: &str) -> String {
    let report: Value = serde_json::from_str(json).unwrap();
    let view = serde_json::json!({
        "verdict": report["verdict"],
        "guardrails": report["guardrails"],
        "findings": report["findings"],
        "waived_findings": report["waived_findings"],
        "waivers": report["waivers"],
    });
    serde_json::to_string_pretty(&view).unwrap()
}

/// The text report's findings section.
fn findings_section(text: &str) -> String {
    let start = text.find("\nFindings").expect("a Findings section");
    let rest = &text[start + 1..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest[..end].to_string()
}

#[test]
fn findings_in_text() {
    let out = check(NETWORK, &["--policy", "fixtures/policy/terraform"], "text");
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("policy_text", findings_section(&out.stdout));
    // deny fails the default policy.
    assert!(
        out.stdout.contains("default-policy (policy, enforce): 3 violations"),
        "{}",
        out.stdout
    );
}

#[test]
fn findings_in_json() {
    let out = check(NETWORK, &["--policy", "fixtures/policy/terraform"], "json");
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("policy_json_network", policy_view(&out.stdout));
    let iam = check(IAM, &["--policy", "fixtures/policy/terraform"], "json");
    assert_eq!(iam.code, 1, "{}", iam.stderr);
    insta::assert_snapshot!("policy_json_iam", policy_view(&iam.stdout));
}

#[test]
fn findings_in_sarif() {
    let out = check(IAM, &["--policy", "fixtures/policy/terraform"], "sarif");
    assert_eq!(out.code, 1, "{}", out.stderr);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let run = &sarif["runs"][0];
    let view = serde_json::json!({
        "rules": run["tool"]["driver"]["rules"],
        "results": run["results"],
    });
    insta::assert_snapshot!("policy_sarif", serde_json::to_string_pretty(&view).unwrap());
}

#[test]
fn findings_in_every_other_format_name_the_policy_rule() {
    for format in ["junit", "markdown", "github", "azure", "html"] {
        let out = check(NETWORK, &["--policy", "fixtures/policy/terraform"], format);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert!(out.stdout.contains("REGO:main.deny_open_ingress"), "{format}");
        assert!(
            out.stdout.contains("aws_security_group.ssh_open admits 0.0.0.0/0"),
            "{format}"
        );
    }
}

#[test]
fn warnings_alone_make_a_warning_verdict() {
    // Only the monitoring and tag rules: nothing denies, so the verdict is a warning.
    let dir = std::env::temp_dir().join(format!("planguard-policy-warn-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["monitoring.rego", "tags.rego", "data.yaml"] {
        std::fs::copy(repo().join("fixtures/policy/terraform").join(f), dir.join(f)).unwrap();
    }
    let out = check(NETWORK, &["--policy", dir.to_str().unwrap()], "json");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "warn");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] == "low"));
}

#[test]
fn exceptions_are_reported_as_waived_and_do_not_fail() {
    let out = check(DATA, &["--policy", "fixtures/policy/exceptions"], "json");
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("policy_exceptions", policy_view(&out.stdout));
    let text = check(DATA, &["--policy", "fixtures/policy/exceptions"], "text");
    assert!(
        text.stdout.contains("rego-exception") || text.stdout.contains("excepted by the policy"),
        "{}",
        text.stdout
    );
}

#[test]
fn namespaces_choose_packages() {
    let none = check(NETWORK, &["--policy", "fixtures/policy/namespaces"], "json");
    assert_eq!(none.code, 2);
    insta::assert_snapshot!("policy_no_rules_in_main", none.stderr);
    let one = check(
        NETWORK,
        &[
            "--policy",
            "fixtures/policy/namespaces",
            "--namespace",
            "terraform.network",
        ],
        "json",
    );
    assert_eq!(one.code, 1, "{}", one.stderr);
    let ids: Vec<String> = serde_json::from_str::<Value>(&one.stdout).unwrap()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["REGO:terraform.network.deny"]);
    let all = check(
        DATA,
        &["--policy", "fixtures/policy/namespaces", "--all-namespaces"],
        "json",
    );
    assert_eq!(all.code, 0, "{}", all.stderr);
    let report: Value = serde_json::from_str(&all.stdout).unwrap();
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule_id"] == "REGO:terraform.storage.warn"));
    assert_eq!(report["verdict"], "warn");
}

#[test]
fn a_syntax_error_stops_before_any_plan() {
    let out = check(NETWORK, &["--policy", "fixtures/policy/syntax-error"], "json");
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    insta::assert_snapshot!("policy_syntax_error", out.stderr);
}

#[test]
fn a_looping_policy_is_stopped_and_is_an_error() {
    let started = std::time::Instant::now();
    let out = check(
        NETWORK,
        &["--policy", "fixtures/policy/looping", "--policy-time-limit", "0.2"],
        "json",
    );
    assert_eq!(out.code, 2);
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // The plan's entry in the JSON report is the error; the run exits 2.
    insta::assert_snapshot!("policy_looping", out.stdout);
}

#[test]
fn a_sensitive_value_never_reaches_a_policy_message() {
    let out = check(
        "fixtures/leaks/plan.json",
        &["--policy", "fixtures/policy/leak"],
        "json",
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let mut messages: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}: {}",
                f["rule_id"].as_str().unwrap(),
                f["resource"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    messages.sort();
    let text = messages.join("\n");
    assert!(!text.contains("canary"), "{text}");
    assert!(text.contains("(sensitive)"), "{text}");
    insta::assert_snapshot!("policy_leak_messages", text);
}

#[test]
fn waivers_and_baselines_take_policy_findings() {
    let dir = std::env::temp_dir().join(format!("planguard-policy-waive-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("planguard.yaml");
    std::fs::write(
        &config,
        format!(
            "version: 1\npolicy_dirs: [{}]\nwaivers:\n  - rule: REGO:main.deny_open_ingress\n    address: aws_security_group.ssh_open\n    reason: bastion subnet only\n",
            repo().join("fixtures/policy/terraform").display()
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let out = check(NETWORK, &["--config", config], "json");
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    let waived: Vec<&str> = report["waived_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["address"].as_str().unwrap())
        .collect();
    assert_eq!(waived, ["aws_security_group.ssh_open"], "{}", out.stderr);
    assert_eq!(report["waivers"][0]["state"], "applied");
    // Two denies are left: the public IP and the other ingress rule.
    assert_eq!(out.code, 1);

    let baseline = dir.join("baseline.json");
    let created = check(
        NETWORK,
        &["--config", config, "--create-baseline", baseline.to_str().unwrap()],
        "json",
    );
    assert!(created.code <= 1, "{}", created.stderr);
    let known = check(
        NETWORK,
        &["--config", config, "--baseline", baseline.to_str().unwrap()],
        "json",
    );
    let report: Value = serde_json::from_str(&known.stdout).unwrap();
    assert_eq!(known.code, 0, "{}", known.stderr);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["category"] == "policy"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_severity_override_applies_to_a_policy_rule() {
    let dir = std::env::temp_dir().join(format!("planguard-policy-sev-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("planguard.yaml");
    std::fs::write(
        &config,
        format!(
            "version: 1\npolicy_dirs: [{}]\npolicy_namespaces: all\nrules:\n  severity:\n    REGO:terraform.network.deny: low\n",
            repo().join("fixtures/policy/namespaces").display()
        ),
    )
    .unwrap();
    let out = check(NETWORK, &["--config", config.to_str().unwrap()], "json");
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["severity"], "low");
}

#[test]
fn policy_test_runs_test_rules_like_conftest_verify() {
    let pass = planguard(&["policy", "test", "fixtures/policy/unit-tests/passing"]);
    assert_eq!(pass.code, 0, "{}", pass.stderr);
    let fail = planguard(&["policy", "test", "fixtures/policy/unit-tests/failing"]);
    assert_eq!(fail.code, 1, "{}", fail.stderr);
    insta::assert_snapshot!("policy_test", format!("{}---\n{}", pass.stdout, fail.stdout));
    let none = planguard(&["policy", "test", "fixtures/policy/terraform"]);
    assert_eq!(none.code, 2, "{}", none.stdout);
    let broken = planguard(&["policy", "test", "fixtures/policy/syntax-error"]);
    assert_eq!(broken.code, 2);
    assert!(broken.stderr.contains("broken.rego:7:25"), "{}", broken.stderr);
}
