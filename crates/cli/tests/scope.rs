//! `planguard check --scope all` and `rules.scope` in the config: unchanged resources are
//! judged on request only. The plan is a real AWS-provider plan with no-op resources
//! (`fixtures/scope/audit`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn work_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard scope {name} {}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs planguard in `dir` (no config file found there unless written).
fn planguard(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITLAB_CI")
        .env_remove("TF_BUILD")
        .output()
        .unwrap()
}

fn plan() -> String {
    repo().join("fixtures/scope/audit/plan.json").display().to_string()
}

/// `(rule, resource, action)` of each finding of a JSON report.
fn findings(out: &Output) -> Vec<(String, String, String)> {
    let report: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap().to_string();
            (s("rule_id"), s("resource"), s("action"))
        })
        .collect();
    found.sort();
    found
}

fn unchanged(found: &[(String, String, String)]) -> Vec<&str> {
    found
        .iter()
        .filter(|(_, _, action)| action == "no-op")
        .map(|(_, r, _)| r.as_str())
        .collect()
}

#[test]
fn unchanged_resources_are_judged_with_scope_all_only() {
    let dir = work_dir("flag");
    let plan = plan();
    let default = planguard(&dir, &["check", &plan, "--format", "json"]);
    let changes = planguard(&dir, &["check", &plan, "--format", "json", "--scope", "changes"]);
    let all = planguard(&dir, &["check", &plan, "--format", "json", "--scope", "all"]);
    assert_eq!(findings(&default), findings(&changes));
    assert!(unchanged(&findings(&default)).is_empty());
    assert_eq!(findings(&default).len(), 2, "{:?}", findings(&default));
    assert_eq!(
        unchanged(&findings(&all)),
        [
            "aws_ebs_volume.unchanged_unencrypted",
            "aws_security_group.unchanged_open_ssh"
        ]
    );
    assert_eq!(findings(&all).len(), 4);
    // The high finding on an unchanged group fails the default policy in both cases (the
    // changed group has one too); the exit codes stay 1.
    assert_eq!((default.status.code(), all.status.code()), (Some(1), Some(1)));

    let bad = planguard(&dir, &["check", &plan, "--scope", "everything"]);
    assert_eq!(bad.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_config_key_sets_the_scope_and_the_flag_overrides_it() {
    let dir = work_dir("config");
    let plan = plan();
    std::fs::write(dir.join(".planguard.yaml"), "version: 1\nrules:\n  scope: all\n").unwrap();
    let from_config = planguard(&dir, &["check", &plan, "--format", "json"]);
    assert_eq!(unchanged(&findings(&from_config)).len(), 2);
    let overridden = planguard(&dir, &["check", &plan, "--format", "json", "--scope", "changes"]);
    assert!(unchanged(&findings(&overridden)).is_empty());

    std::fs::write(dir.join(".planguard.yaml"), "version: 1\nrules:\n  scope: everything\n").unwrap();
    let bad = planguard(&dir, &["check", &plan]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains(".planguard.yaml:3:"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A plan that leaves resources of its prior state out of `resource_changes` (as `-target`
/// does): `--scope all` says they were not judged instead of passing them silently.
#[test]
fn scope_all_names_prior_state_resources_the_plan_does_not_list() {
    let dir = work_dir("targeted");
    let text = std::fs::read_to_string(plan()).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["resource_changes"]
        .as_array_mut()
        .unwrap()
        .retain(|c| c["address"] != "aws_security_group.unchanged_open_ssh");
    let targeted = dir.join("targeted plan.json");
    std::fs::write(&targeted, serde_json::to_vec(&json).unwrap()).unwrap();
    let targeted = targeted.display().to_string();
    let warnings = |scope: &str| -> Vec<String> {
        let out = planguard(&dir, &["check", &targeted, "--format", "json", "--scope", scope]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w.as_str().unwrap().to_string())
            .filter(|w| w.starts_with("scope all"))
            .collect()
    };
    let all = warnings("all");
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(all[0].contains("1 resource(s)") && all[0].contains("aws_security_group.unchanged_open_ssh"));
    assert!(warnings("changes").is_empty());
    assert!(warnings("all").len() == 1 && warnings("all") == all, "deterministic");
    std::fs::remove_dir_all(&dir).unwrap();
}
