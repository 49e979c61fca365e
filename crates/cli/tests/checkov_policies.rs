//! Checkov YAML custom policies given to `--rules`: parity with Checkov itself, a snapshot
//! of planguard's findings, and the errors for what cannot be translated.
//!
//! Parity runs Checkov 3.3.30 (`tests/python/requirements.txt`, installed by `.ci/run` into
//! `target/ci-venv`) on `fixtures/checkov-policies/plan/plan.json` with the policies of
//! `fixtures/checkov-policies/policies`, offline (`--skip-download`), and compares the
//! failing (resource, check id) pairs with planguard's. The differences expected, each with
//! its reason (Checkov reading a value known only after apply as absent), are listed in
//! `fixtures/checkov-policies/expected-differences.txt`. Without Checkov the comparison
//! fails under CI (`CI` set) and locally says loudly that it did not run.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn fixtures() -> PathBuf {
    repo().join("fixtures/checkov-policies")
}

/// The policies' ids, from their `metadata.id` (read with a YAML parser, not planguard).
fn policy_ids() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Meta {
        id: String,
    }
    #[derive(serde::Deserialize)]
    struct Policy {
        metadata: Meta,
    }
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(fixtures().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let policy: Policy = serde_saphyr::from_str(&text).unwrap();
        ids.push(policy.metadata.id);
    }
    ids.sort();
    ids
}

fn planguard(args: &[&str], cwd: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// planguard's findings on the fixture plan: `(resource, rule id) -> status`.
fn planguard_findings() -> BTreeMap<(String, String), String> {
    let (code, stdout, stderr) = planguard(
        &[
            "check",
            "plan/plan.json",
            "--rules",
            "policies",
            "--check",
            "CKV2_CUSTOM_*",
            "--format",
            "json",
        ],
        &fixtures(),
    );
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let mut out = BTreeMap::new();
    for f in report["findings"].as_array().unwrap() {
        let key = (
            f["resource"].as_str().unwrap().to_string(),
            f["rule_id"].as_str().unwrap().to_string(),
        );
        assert!(
            out.insert(key.clone(), f["status"].as_str().unwrap().to_string())
                .is_none(),
            "two findings for {key:?}"
        );
    }
    out
}

fn checkov_python() -> Option<PathBuf> {
    let python = match std::env::var_os("PLANGUARD_CI_PYTHON") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => repo().join("target/ci-venv/bin/python"),
    };
    let ok = Command::new(&python)
        .args(["-c", "import checkov"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(python)
}

/// `(resource, check id)` pairs.
type Pairs = BTreeSet<(String, String)>;

/// Checkov's failing and passing pairs.
fn checkov_results(python: &Path, ids: &[String]) -> (Pairs, Pairs) {
    let out = Command::new(python)
        .args([
            "-m",
            "checkov.main",
            "-f",
            "plan/plan.json",
            "--framework",
            "terraform_plan",
        ])
        .args(["--external-checks-dir", "policies", "-c", &ids.join(",")])
        .args(["-o", "json", "--skip-download", "--compact"])
        .current_dir(fixtures())
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .unwrap();
    // 1 when a check failed, which the fixtures make sure of.
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "checkov failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reports = match report {
        Value::Array(list) => list,
        one => vec![one],
    };
    let mut failed = BTreeSet::new();
    let mut passed = BTreeSet::new();
    for r in &reports {
        for (key, set) in [("failed_checks", &mut failed), ("passed_checks", &mut passed)] {
            for c in r["results"][key].as_array().into_iter().flatten() {
                set.insert((
                    c["resource"].as_str().unwrap().to_string(),
                    c["check_id"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    (failed, passed)
}

/// `RESOURCE CHECK_ID planguard=STATUS checkov=STATUS reason...` lines.
fn expected_differences() -> BTreeMap<(String, String), (String, String)> {
    let text = std::fs::read_to_string(fixtures().join("expected-differences.txt")).unwrap();
    let mut out = BTreeMap::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let parts: Vec<&str> = line.splitn(5, ' ').collect();
        assert_eq!(parts.len(), 5, "expected-differences.txt: {line}");
        let pg = parts[2].strip_prefix("planguard=").expect(line);
        let ck = parts[3].strip_prefix("checkov=").expect(line);
        assert!(!parts[4].trim().is_empty(), "no reason given: {line}");
        out.insert(
            (parts[0].to_string(), parts[1].to_string()),
            (pg.to_string(), ck.to_string()),
        );
    }
    out
}

#[test]
fn failing_pairs_equal_checkovs() {
    let Some(python) = checkov_python() else {
        let message = "Checkov is not installed, so planguard's translation of Checkov policies was NOT compared \
                       with Checkov: python3 -m venv target/ci-venv && target/ci-venv/bin/pip install -r \
                       tests/python/requirements.txt (or set PLANGUARD_CI_PYTHON)";
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("{message}");
        }
        eprintln!("NOT RUN: {message}");
        return;
    };
    let ids = policy_ids();
    let ours = planguard_findings();
    let (theirs_failed, theirs_passed) = checkov_results(&python, &ids);
    assert!(
        theirs_failed.len() >= 10,
        "checkov ran too few checks: {theirs_failed:?}"
    );

    let ours_failed: BTreeSet<(String, String)> = ours
        .iter()
        .filter(|(_, s)| *s == "fail")
        .map(|(k, _)| k.clone())
        .collect();
    let mut found = BTreeMap::new();
    for pair in ours_failed.symmetric_difference(&theirs_failed) {
        let pg = ours.get(pair).cloned().unwrap_or_else(|| "pass".into());
        let ck = if theirs_failed.contains(pair) {
            "fail"
        } else if theirs_passed.contains(pair) {
            "pass"
        } else {
            "unknown"
        };
        found.insert(pair.clone(), (pg, ck.to_string()));
    }
    let expected = expected_differences();
    let mut problems = Vec::new();
    for (pair, statuses) in &found {
        match expected.get(pair) {
            Some(e) if e == statuses => {}
            Some(e) => problems.push(format!("{pair:?}: expected {e:?}, found {statuses:?}")),
            None => problems.push(format!(
                "{} {} planguard={} checkov={}: not in expected-differences.txt",
                pair.0, pair.1, statuses.0, statuses.1
            )),
        }
    }
    for pair in expected.keys() {
        if !found.contains_key(pair) {
            problems.push(format!(
                "{pair:?} is listed in expected-differences.txt but planguard and Checkov agree"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every expected difference is Checkov deciding where planguard cannot before apply.
    for (pg, _) in expected.values() {
        assert_eq!(pg, "unknown");
    }
}

#[test]
fn findings_snapshot() {
    let (code, stdout, stderr) = planguard(
        &[
            "check",
            "plan/plan.json",
            "--rules",
            "policies",
            "--check",
            "CKV2_CUSTOM_*",
            "--format",
            "json",
        ],
        &fixtures(),
    );
    assert_eq!(code, 1, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let mut lines: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {} [{} {}] {}: {}",
                f["rule_id"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["resource"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["category"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    lines.sort();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn rules_list_shows_policies_with_their_file_and_line() {
    let (code, stdout, stderr) = planguard(
        &["rules", "list", "--rules", "policies", "--format", "json"],
        &fixtures(),
    );
    assert_eq!(code, 0, "{stderr}");
    let rules: Value = serde_json::from_str(&stdout).unwrap();
    let list = rules.as_array().or_else(|| rules["rules"].as_array()).unwrap();
    let ours: Vec<&Value> = list
        .iter()
        .filter(|r| r["id"].as_str().is_some_and(|id| id.starts_with("CKV2_CUSTOM_")))
        .collect();
    assert_eq!(ours.len(), policy_ids().len());
    let one = ours.iter().find(|r| r["id"] == "CKV2_CUSTOM_2").unwrap();
    // No severity in the policy: the documented default.
    assert_eq!(one["severity"], "high");
    assert_eq!(one["source"]["path"], "policies/owner_tag.yaml");
    assert_eq!(one["source"]["line"], 3);
    assert_eq!(
        one["resource_types"],
        serde_json::json!(["aws_instance", "aws_s3_bucket", "aws_security_group"])
    );
}

fn write_policy(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard-checkov-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("policy.yaml"), text).unwrap();
    dir
}

const HEAD: &str = "metadata:\n  id: CKV2_TEST_1\n  name: test policy\n  category: GENERAL_SECURITY\n";

#[test]
fn untranslatable_operator_is_an_error_with_its_line() {
    let dir = write_policy(
        "operator",
        &format!(
            "{HEAD}definition:\n  and:\n    - cond_type: attribute\n      resource_types: [aws_instance]\n      attribute: cpu_core_count\n      operator: range_includes\n      value: 4\n"
        ),
    );
    let plan = fixtures().join("plan/plan.json");
    let (code, stdout, stderr) = planguard(
        &["check", plan.to_str().unwrap(), "--rules", dir.to_str().unwrap()],
        &dir,
    );
    assert_eq!(code, 2, "{stdout}{stderr}");
    let file = dir.join("policy.yaml");
    let expected = format!("{}:10:", file.display());
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(
        stderr.contains("operator `range_includes` is not supported"),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "{stdout}");
}

#[test]
fn unsupported_constructs_are_errors_not_skipped_policies() {
    let cases = [
        (
            "taggable",
            "definition:\n  cond_type: attribute\n  resource_types: taggable\n  attribute: tags\n  operator: exists\n",
            7,
            "taggable",
        ),
        (
            "cond",
            "definition:\n  cond_type: resource\n  resource_types: [aws_instance]\n  operator: exists\n",
            6,
            "`cond_type: resource` is not supported",
        ),
        (
            "jsonpath",
            "definition:\n  cond_type: attribute\n  resource_types: [aws_instance]\n  attribute: $..encrypted\n  operator: jsonpath_equals\n  value: true\n",
            8,
            "JSONPath",
        ),
        (
            "connection-op",
            "definition:\n  cond_type: connection\n  resource_types: [aws_instance]\n  connected_resource_types: [aws_security_group]\n  operator: one_exists\n",
            9,
            "connection operator `one_exists`",
        ),
        (
            "nested-connection",
            "definition:\n  and:\n    - or:\n        - cond_type: connection\n          resource_types: [aws_instance]\n          connected_resource_types: [aws_security_group]\n          operator: exists\n        - cond_type: attribute\n          resource_types: [aws_instance]\n          attribute: monitoring\n          operator: is_true\n",
            8,
            "`connection` conditions only",
        ),
        (
            "typo",
            "definition:\n  cond_type: attribute\n  resource_types: [aws_instance]\n  attribute: monitoring\n  opertor: is_true\n",
            9,
            "an unknown key",
        ),
    ];
    for (name, definition, line, needle) in cases {
        let dir = write_policy(name, &format!("{HEAD}{definition}"));
        let (code, stdout, stderr) = planguard(&["rules", "list", "--rules", dir.to_str().unwrap()], &dir);
        assert_eq!(code, 2, "{name}: {stdout}{stderr}");
        let at = format!("{}:{line}:", dir.join("policy.yaml").display());
        assert!(stderr.contains(&at), "{name}: expected {at} in {stderr}");
        assert!(stderr.contains(needle), "{name}: expected {needle:?} in {stderr}");
    }
}

#[test]
fn python_checks_are_errors_and_other_json_is_not_a_rule() {
    let dir = write_policy("python", &format!("{HEAD}definition:\n  cond_type: attribute\n  resource_types: [aws_instance]\n  attribute: monitoring\n  operator: is_true\n"));
    std::fs::write(dir.join("data.json"), r#"{"format_version": "1.2"}"#).unwrap();
    let (code, stdout, stderr) = planguard(&["rules", "list", "--rules", dir.to_str().unwrap()], &dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("CKV2_TEST_1"), "{stdout}");
    std::fs::write(
        dir.join("S3Versioning.py"),
        "from checkov.common.models.enums import CheckResult\n",
    )
    .unwrap();
    let (code, _, stderr) = planguard(&["rules", "list", "--rules", dir.to_str().unwrap()], &dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("S3Versioning.py:1:1"), "{stderr}");
    assert!(stderr.contains("a Python custom check"), "{stderr}");
}

#[test]
fn malformed_policy_yaml_names_line_and_column() {
    let dir = write_policy(
        "malformed",
        &format!("{HEAD}definition:\n  cond_type: attribute\n  attribute: [tags\n  operator: exists\n"),
    );
    let (code, _, stderr) = planguard(&["rules", "list", "--rules", dir.to_str().unwrap()], &dir);
    assert_eq!(code, 2, "{stderr}");
    let file = dir.join("policy.yaml").display().to_string();
    let rest = stderr
        .split(&format!("{file}:"))
        .nth(1)
        .unwrap_or_else(|| panic!("{stderr}"));
    let mut numbers = rest.split(':').take(2).map(|n| n.trim().parse::<u64>());
    let (line, column) = (numbers.next(), numbers.next());
    assert!(
        matches!((line, column), (Some(Ok(l)), Some(Ok(c))) if (6..=8).contains(&l) && c >= 1),
        "{stderr}"
    );
}

#[test]
fn policies_go_through_config_waivers_skips_baselines_guardrails_and_reports() {
    let dir = std::env::temp_dir().join(format!("planguard-checkov-{}-flow", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let policies = fixtures().join("policies");
    let plan = fixtures().join("plan/plan.json");
    let plan = plan.to_str().unwrap();
    std::fs::write(
        dir.join(".planguard.yaml"),
        format!(
            "version: 1\nrules:\n  dirs: [{}]\nwaivers:\n  - rule: CKV2_CUSTOM_3\n    address: aws_security_group.open_ssh\n    reason: reviewed\n    expires: 2099-01-01\n",
            policies.display()
        ),
    )
    .unwrap();
    let json = |args: &[&str]| -> (i32, Value) {
        let mut all = vec!["check", plan, "--format", "json"];
        all.extend_from_slice(args);
        let (code, stdout, stderr) = planguard(&all, &dir);
        assert!(matches!(code, 0 | 1), "{stderr}");
        (code, serde_json::from_str(&stdout).unwrap())
    };
    let ids = |report: &Value, key: &str| -> BTreeSet<String> {
        report[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let rule = f.get("rule_id").or_else(|| f.get("rule")).and_then(Value::as_str);
                let resource = f.get("resource").or_else(|| f.get("address")).and_then(Value::as_str);
                format!("{} {}", rule.unwrap(), resource.unwrap())
            })
            .filter(|s| s.starts_with("CKV2_"))
            .collect()
    };

    // From the config's rules.dirs; the waiver moves the finding aside.
    let (code, report) = json(&["--check", "CKV2_CUSTOM_3,CKV2_CUSTOM_12"]);
    assert_eq!(code, 0, "info findings and a waived high one pass the default policy");
    assert!(ids(&report, "findings").contains("CKV2_CUSTOM_12 aws_vpc.main"));
    assert!(!ids(&report, "findings").iter().any(|f| f.starts_with("CKV2_CUSTOM_3 ")));
    assert!(ids(&report, "waived_findings").contains("CKV2_CUSTOM_3 aws_security_group.open_ssh"));

    // A critical policy fails the default guardrail; skipping it by id passes.
    let (code, _) = json(&["--check", "CKV2_CUSTOM_7"]);
    assert_eq!(code, 1);
    let (code, report) = json(&[
        "--check",
        "CKV2_CUSTOM_7,CKV2_CUSTOM_12",
        "--skip-check",
        "ckv2_custom_7",
    ]);
    assert_eq!(code, 0);
    assert!(!ids(&report, "findings").iter().any(|f| f.starts_with("CKV2_CUSTOM_7 ")));

    // A baseline of today's findings passes them.
    let baseline = dir.join("baseline.json");
    let (code, _, stderr) = planguard(&["check", plan, "--create-baseline", baseline.to_str().unwrap()], &dir);
    assert!(matches!(code, 0 | 1), "{stderr}");
    let (code, _, stderr) = planguard(&["check", plan, "--baseline", baseline.to_str().unwrap()], &dir);
    assert_eq!(code, 0, "{stderr}");

    // SARIF names the policy as the rule, with its title.
    let (_, sarif, _) = planguard(&["check", plan, "--check", "CKV2_CUSTOM_7", "--format", "sarif"], &dir);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let run = &sarif["runs"][0];
    let rule = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "CKV2_CUSTOM_7")
        .expect("the policy is a SARIF rule");
    assert_eq!(
        rule["shortDescription"]["text"],
        "EBS volume is encrypted and at most 1024 GiB"
    );
    assert!(run["results"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["ruleId"] == "CKV2_CUSTOM_7"));
}
