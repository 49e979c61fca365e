//! The `planguard check` command: verdicts and exit codes, every report format, config
//! errors, several plans, and secrets.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn planguard_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    cmd.args(args).current_dir(repo());
    // The CI context must come from the test, not from the machine running it.
    for var in [
        "TF_BUILD",
        "BUILD_SOURCEBRANCH",
        "SYSTEM_PULLREQUEST_TARGETBRANCH",
        "BUILD_REPOSITORY_NAME",
        "GITHUB_ACTIONS",
        "GITHUB_REF",
        "GITHUB_BASE_REF",
        "GITHUB_REPOSITORY",
        "GITLAB_CI",
        "CI_COMMIT_REF_NAME",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME",
        "CI_PROJECT_PATH",
        "GITHUB_WORKSPACE",
        "BUILD_SOURCESDIRECTORY",
        "CI_PROJECT_DIR",
        "SYSTEM_DEFINITIONID",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn planguard(args: &[&str]) -> Run {
    planguard_env(args, &[])
}

const NETWORK: &str = "fixtures/terraform/aws-network/plan.json";
const CHANGES: &str = "fixtures/terraform/changes/plan.json";
const STRICT: &str = "fixtures/config/strict.yaml";

#[test]
fn default_policy_fails_on_high_findings_and_passes_clean_plans() {
    let bad = planguard(&["check", NETWORK]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stdout.contains("FAIL:"), "{}", bad.stdout);
    let clean = planguard(&["check", "fixtures/terraform/basic/plan.json"]);
    assert_eq!(clean.code, 0, "{}{}", clean.stdout, clean.stderr);
    assert!(clean.stdout.contains("PASS:"));
    let soft = planguard(&["check", "--soft-fail", NETWORK]);
    assert_eq!(soft.code, 0, "--soft-fail reports but passes");
    assert!(soft.stdout.contains("FAIL:"));
    let critical_only = planguard(&["check", "--fail-on", "critical", "fixtures/terraform/aws-iam/plan.json"]);
    let high = planguard(&["check", "--fail-on", "info", "fixtures/terraform/aws-iam/plan.json"]);
    assert_eq!(high.code, 1);
    assert!(critical_only.code == 0 || critical_only.code == 1);
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn guardrail<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["guardrails"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("guardrail {name}"))
}

#[test]
fn every_guardrail_type_with_waivers() {
    let run = planguard_env(
        &["check", "--config", STRICT, "--format", "json", NETWORK],
        &[("GITHUB_ACTIONS", "true"), ("GITHUB_REF", "refs/heads/feature/x")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let r = json(&run);
    assert_eq!(r["schema_version"], 2);
    assert_eq!(r["verdict"], "fail");
    let policy = guardrail(&r, "no-high-findings");
    assert_eq!(policy["passed"], false);
    let violations = policy["violations"].as_array().unwrap();
    assert!(
        !violations
            .iter()
            .any(|v| v["rule_id"] == "AWS-EC2-001" && v["address"] == "aws_instance.bastion"),
        "waived finding is not a violation"
    );
    // $183/month of new resources, over the $100 budget.
    let budget = guardrail(&r, "budget");
    assert_eq!(budget["passed"], false);
    assert!(budget["violations"][0]["message"]
        .as_str()
        .unwrap()
        .contains("more than the $100.00 allowed"));
    // us-east-1 is not approved, but the guardrail only warns.
    let approved = guardrail(&r, "approved");
    assert_eq!(approved["passed"], false);
    assert_eq!(approved["mode"], "warn");
    assert!(approved["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["message"].as_str().unwrap().contains("region us-east-1")));
    assert!(approved["violations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["message"].as_str().unwrap().contains("m5.large")));
    let tags = guardrail(&r, "owner-tag");
    assert_eq!(tags["passed"], false);
    assert!(tags["waived"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["address"].as_str().unwrap().starts_with("aws_vpc.")));
    let scoped = guardrail(&r, "main-only");
    assert!(scoped["skipped"].as_str().unwrap().contains("not feature/x"));
    let waivers = r["waivers"].as_array().unwrap();
    let state = |needle: &str| {
        waivers
            .iter()
            .find(|w| w.to_string().contains(needle))
            .map(|w| w["state"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(state("AWS-EC2-001"), "applied");
    assert_eq!(state("AWS-EC2-003"), "expired");
    assert_eq!(state("AWS-S3-999"), "stale");
    assert_eq!(state("owner-tag"), "applied");
    let expired_still_reported = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule_id"] == "AWS-EC2-003");
    assert!(expired_still_reported, "an expired waiver hides nothing");
}

#[test]
fn resource_guardrail_denies_replacements() {
    let run = planguard(&[
        "check", "--config", STRICT, "--format", "json", "--branch", "main", CHANGES,
    ]);
    let r = json(&run);
    let protect = guardrail(&r, "protect-state");
    let addresses: Vec<&str> = protect["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["address"].as_str().unwrap())
        .collect();
    assert_eq!(addresses, ["terraform_data.replace_cbd", "terraform_data.replace_me"]);
    assert!(
        guardrail(&r, "main-only")["skipped"].is_null(),
        "--branch main puts it in scope"
    );
}

#[test]
fn report_formats_are_snapshotted() {
    let out = std::env::temp_dir().join(format!("planguard-check-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let outputs: Vec<String> = ["json", "sarif", "junit", "markdown", "github", "azure", "text"]
        .iter()
        .map(|f| format!("{f}={}", out.join(format!("report.{f}")).display()))
        .collect();
    let mut args = vec![
        "check",
        "--config",
        STRICT,
        "--branch",
        "main",
        "--source-dir",
        "fixtures/terraform/aws-network",
    ];
    for o in &outputs {
        args.push("--output");
        args.push(o);
    }
    args.push(NETWORK);
    let run = planguard(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for format in ["json", "sarif", "junit", "markdown", "github", "azure", "text"] {
        let text = std::fs::read_to_string(out.join(format!("report.{format}"))).unwrap();
        // The SARIF names the checkout's root, which differs between checkouts.
        let text = text.replace(&planguard::sources::file_uri(&repo()), "file:///REPO");
        insta::assert_snapshot!(format!("check_{format}"), text);
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .ends_with("aws-network/main.tf")));
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules.iter().all(
        |r| r["properties"]["security-severity"].is_string() || r["id"].as_str().unwrap().starts_with("GUARDRAIL-")
    ));
    let md = std::fs::read_to_string(out.join("report.markdown")).unwrap();
    assert!(md.contains("```mermaid"), "the PR comment carries the graph");
    assert!(md.len() < 65_000);
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let one = planguard_env(&["check", "--format", "json", NETWORK], &[("RAYON_NUM_THREADS", "1")]);
    let four = planguard_env(&["check", "--format", "json", NETWORK], &[("RAYON_NUM_THREADS", "4")]);
    assert_eq!(one.stdout, four.stdout);
    let one = planguard_env(
        &["check", "--format", "sarif", "fixtures/terraform/aws-data/plan.json"],
        &[("RAYON_NUM_THREADS", "1")],
    );
    let four = planguard_env(
        &["check", "--format", "sarif", "fixtures/terraform/aws-data/plan.json"],
        &[("RAYON_NUM_THREADS", "3")],
    );
    assert_eq!(one.stdout, four.stdout);
}

#[test]
fn several_plans_and_a_broken_one() {
    let run = planguard(&[
        "check",
        "--format",
        "json",
        "fixtures/terraform/basic/plan.json",
        "fixtures/plans/bad/truncated.json",
        NETWORK,
    ]);
    assert_eq!(run.code, 2, "an unreadable plan is an input error");
    let r = json(&run);
    let plans = r["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 3, "the other plans are still reported");
    assert_eq!(plans[0]["verdict"], "pass");
    assert!(plans[1]["error"].as_str().unwrap().contains("truncated.json:1:"));
    assert_eq!(plans[2]["verdict"], "fail");
    assert_eq!(r["verdict"], "fail");
    assert!(run.stderr.contains("fixtures/plans/bad/truncated.json"));
    let globbed = planguard(&["check", "--format", "json", "fixtures/terraform/c*/plan.json"]);
    assert_eq!(
        json(&globbed)["plans"].as_array().unwrap().len(),
        2,
        "changes and cycle-free-deep"
    );
    let none = planguard(&["check", "fixtures/nothing-*.json"]);
    assert_eq!(none.code, 2);
}

/// The `planguard: error:` lines of standard error.
fn error_lines(run: &Run) -> Vec<&str> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("planguard: error: "))
        .collect()
}

#[test]
fn an_input_error_goes_to_standard_error_once_and_every_report_records_it() {
    let dir = std::env::temp_dir().join(format!("planguard-input-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for format in ["json", "text", "sarif", "junit", "markdown", "github", "azure"] {
        let run = planguard(&["check", "missing.json", "--format", format]);
        assert_eq!(run.code, 2, "{format}");
        assert_eq!(
            error_lines(&run),
            ["planguard: error: missing.json: cannot read: No such file or directory (os error 2)"],
            "{format}: {}",
            run.stderr
        );
        assert!(run.stdout.contains("missing.json"), "{format}: the report records it");
    }
    let run = planguard(&["check", "missing.json", "--format", "json"]);
    let report = json(&run);
    assert_eq!(report["verdict"], "fail", "a failed check never reads as a pass");
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["file"], "missing.json");
    assert!(report["error"]
        .as_str()
        .unwrap()
        .starts_with("missing.json: cannot read"));

    // An analysis that cannot run (the source directory is unreadable) is said on standard
    // error too, also when the only report goes to a file.
    let file = dir.join("r.json");
    let run = planguard(&[
        "check",
        "fixtures/terraform/basic/plan.json",
        "--source-dir",
        "fixtures/no-such-sources",
        "--output",
        &format!("json={}", file.display()),
    ]);
    assert_eq!(run.code, 2);
    let errors = error_lines(&run);
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(
        errors[0].starts_with("planguard: error: fixtures/terraform/basic/plan.json: cannot read the source directory"),
        "{}",
        errors[0]
    );
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["verdict"], "fail");
    assert!(written["error"]
        .as_str()
        .unwrap()
        .contains("cannot read the source directory"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_config_is_rejected_before_any_plan_is_read() {
    let dir = std::env::temp_dir().join(format!("planguard-badcfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("bad.yaml");
    std::fs::write(
        &cfg,
        "version: 1\nguardrails:\n  - name: x\n    type: cost\n    max_monthly_increase: -1\n",
    )
    .unwrap();
    let run = planguard(&["check", "--config", cfg.to_str().unwrap(), "no-such-plan.json"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.yaml:5:"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("no-such-plan"),
        "the config error comes first: {}",
        run.stderr
    );
}

#[test]
fn secrets_never_leak_in_any_format() {
    // aws-data has a sensitive RDS password and fake credentials in user data and Lambda
    // environment variables; changes has a sensitive variable.
    for plan in [
        "fixtures/terraform/aws-data/plan.json",
        CHANGES,
        "fixtures/terraform/basic/plan.json",
    ] {
        let secrets = sensitive_strings(&repo().join(plan));
        assert!(
            !secrets.is_empty() || plan.contains("basic"),
            "{plan} has sensitive values to protect"
        );
        for format in ["text", "json", "sarif", "junit", "markdown", "github", "azure"] {
            let run = planguard(&["check", "--format", format, plan]);
            for secret in &secrets {
                assert!(
                    !run.stdout.contains(secret.as_str()),
                    "{plan} --format {format} leaks {secret}"
                );
                assert!(
                    !run.stderr.contains(secret.as_str()),
                    "{plan} --format {format} leaks {secret} on stderr"
                );
            }
        }
    }
}

/// Every string value the plan marks sensitive (longer than 5 characters, to avoid matching
/// ordinary words).
fn sensitive_strings(path: &Path) -> Vec<String> {
    let plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for rc in plan["resource_changes"].as_array().into_iter().flatten() {
        for (value, mask) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
            collect(&rc["change"][value], &rc["change"][mask], false, &mut out);
        }
    }
    for (_, oc) in plan["output_changes"].as_object().into_iter().flatten() {
        for (value, mask) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
            collect(&oc[value], &oc[mask], false, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn collect(value: &serde_json::Value, mask: &serde_json::Value, sensitive: bool, out: &mut Vec<String>) {
    let sensitive = sensitive || mask == &serde_json::Value::Bool(true);
    match value {
        serde_json::Value::String(s) if sensitive && s.len() > 5 => out.push(s.clone()),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect(item, mask.get(i).unwrap_or(&serde_json::Value::Null), sensitive, out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                collect(item, mask.get(k).unwrap_or(&serde_json::Value::Null), sensitive, out);
            }
        }
        _ => {}
    }
}

#[test]
fn rules_list_and_explain() {
    let list = planguard(&["rules", "list", "--format", "json"]);
    assert_eq!(list.code, 0);
    let rules: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    assert!(rules.as_array().unwrap().len() >= 13);
    let explain = planguard(&["rules", "explain", "AWS-EC2-001"]);
    assert_eq!(explain.code, 0);
    assert!(explain.stdout.contains("AWS-EC2-001"));
    assert_eq!(planguard(&["rules", "explain", "NOPE-000"]).code, 2);
}

#[test]
fn rules_list_filters() {
    let json = |args: &[&str]| -> Vec<serde_json::Value> {
        let mut all = vec!["rules", "list", "--format", "json"];
        all.extend_from_slice(args);
        let out = planguard(&all);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        serde_json::from_str::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .clone()
    };
    let every = json(&[]);
    let s3 = json(&["--provider", "aws", "--service", "s3"]);
    assert!(!s3.is_empty() && s3.len() < every.len());
    assert!(s3.iter().all(|r| r["service"] == "s3" && r["provider"] == "aws"));

    let critical = json(&["--severity", "critical"]);
    assert!(!critical.is_empty() && critical.iter().all(|r| r["severity"] == "critical"));
    let two = json(&["--severity", "critical", "--severity", "high"]);
    assert!(two.len() > critical.len());

    let peer = json(&["--peer", "CKV_AWS_62"]);
    assert!(peer.iter().any(|r| r["id"] == "AWS-IAM-001"));
    assert!(peer.iter().all(|r| r["peers"]["checkov"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p == "CKV_AWS_62")));

    let google = json(&["--provider", "gcp"]);
    assert!(!google.is_empty() && google.iter().all(|r| r["provider"] == "google"));
    assert!(json(&["--provider", "aws", "--service", "gke"]).is_empty());

    let text = planguard(&["rules", "list", "--service", "s3"]);
    assert_eq!(text.code, 0);
    assert!(text
        .stdout
        .ends_with(&format!("{} of {} rules\n", s3.len(), every.len())));
    assert_eq!(planguard(&["rules", "list", "--severity", "severe"]).code, 2);
}

#[test]
fn init_writes_a_config_that_check_accepts() {
    let dir = std::env::temp_dir().join(format!("planguard-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(".planguard.yaml");
    let run = planguard(&["init", "--path", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        planguard(&["init", "--path", path.to_str().unwrap()]).code,
        2,
        "no overwrite without --force"
    );
    let check = planguard(&[
        "check",
        "--config",
        path.to_str().unwrap(),
        "fixtures/terraform/basic/plan.json",
    ]);
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);
}

/// Validates the SARIF against the official schema and GitHub's and Azure DevOps' ingestion
/// rules with Microsoft's SARIF multitool, when `SARIF_MULTITOOL` names its binary
/// (`npm install @microsoft/sarif-multitool`; the binary is
/// `node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool`).
#[test]
fn sarif_passes_the_official_validator() {
    let Some(tool) = std::env::var_os("SARIF_MULTITOOL") else {
        eprintln!("SKIPPED: set SARIF_MULTITOOL to the Sarif.Multitool binary to validate SARIF output");
        return;
    };
    let dir = std::env::temp_dir().join(format!("planguard-sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sarif = dir.join("planguard.sarif");
    let run = planguard_env(
        &[
            "check",
            "--source-dir",
            "fixtures/terraform/aws-network",
            "--format",
            "sarif",
            NETWORK,
        ],
        &[
            ("SYSTEM_DEFINITIONID", "12"),
            ("BUILD_DEFINITIONNAME", "infra"),
            ("SYSTEM_PHASEID", "3dc8fd7e-4368-5a92-293e-d53cefc8c4b3"),
            ("SYSTEM_PHASENAME", "plan"),
        ],
    );
    std::fs::write(&sarif, run.stdout).unwrap();
    let log = dir.join("validation.sarif");
    let out = Command::new(tool)
        .args([
            "validate",
            "--rule-kind",
            "Gh;Ado;Sarif",
            "--log",
            "ForceOverwrite",
            "-o",
        ])
        .arg(&log)
        .arg(&sarif)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let validation: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    let issues = validation["runs"][0]["results"].as_array().cloned().unwrap_or_default();
    assert!(issues.is_empty(), "{}", serde_json::to_string_pretty(&issues).unwrap());
}
