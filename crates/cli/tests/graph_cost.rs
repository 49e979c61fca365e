//! `planguard graph` and `planguard cost` from the command line.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn planguard(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn graph_formats() {
    let plan = "fixtures/terraform/changes/plan.json";
    let (code, text, _) = planguard(&["graph", plan]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("graph_text_changes", text);
    let (code, json, _) = planguard(&["graph", "--format", "json", plan]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["address"] == "terraform_data.replace_me"));
    let (code, dot, _) = planguard(&["graph", "--format", "dot", "--changed-only", plan]);
    assert_eq!(code, 0);
    assert!(dot.starts_with("digraph"));
    let (code, mermaid, _) = planguard(&[
        "graph",
        "--format",
        "mermaid",
        "--focus",
        "terraform_data.update_me",
        plan,
    ]);
    assert_eq!(code, 0);
    assert!(mermaid.starts_with("flowchart"));
    let (code, _, err) = planguard(&["graph", "--focus", "terraform_data.nope", plan]);
    assert_eq!(code, 2);
    assert!(err.contains("terraform_data.nope"));
}

#[test]
fn graph_follows_locals_with_sources() {
    let plan = "fixtures/terraform/cycle-free-deep/plan.json";
    let (_, without, warn) = planguard(&["graph", "--format", "json", plan]);
    assert!(warn.contains("--source-dir"), "{warn}");
    let (code, with, _) = planguard(&[
        "graph",
        "--format",
        "json",
        "--source-dir",
        "fixtures/terraform/cycle-free-deep",
        plan,
    ]);
    assert_eq!(code, 0);
    let edges = |s: &str| {
        serde_json::from_str::<serde_json::Value>(s).unwrap()["edges"]
            .as_array()
            .unwrap()
            .len()
    };
    assert!(edges(&with) > edges(&without));
}

#[test]
fn cost_text_and_json() {
    let plan = "fixtures/terraform/aws-network/plan.json";
    let (code, json, _) = planguard(&["cost", "--format", "json", plan]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["currency"], "USD");
    // m5.large in us-east-1: 0.096 $/h x 730 h = 70.08 $/month for the instance hours.
    let hardened = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "aws_instance.hardened")
        .unwrap();
    assert_eq!(hardened["status"], "priced");
    assert!(hardened["components"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["monthly"] == 70.08));
    let (code, text, _) = planguard(&["cost", plan]);
    assert_eq!(code, 0);
    assert!(text.contains("TOTAL"));
    let (code, _, err) = planguard(&["cost", "--usage", "fixtures/usage/negative.yml", plan]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("negative.yml:5:"), "{err}");
}

/// The check report prints each cost warning once, at the top where it is seen first; the
/// `cost` command (the cost report alone) keeps them in its closing "Warnings:" list.
#[test]
fn cost_warnings_are_printed_once() {
    let plan = "fixtures/cost/aws-wrong-cases/plan.json";
    let approximate = "priced approximately: the catalog has no eu-south-1 prices";
    let (_, check, _) = planguard(&["check", plan]);
    assert_eq!(check.matches(approximate).count(), 1, "{check}");
    // Every warning of the report, not only this one.
    let (_, json, _) = planguard(&["check", "--format", "json", plan]);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let report = report.get("reports").and_then(|r| r.get(0)).unwrap_or(&report);
    let warnings = report["cost"]["warnings"].as_array().unwrap();
    assert!(warnings.len() > 1, "the fixture must carry several cost warnings");
    for warning in warnings {
        let warning = warning.as_str().unwrap();
        assert_eq!(check.matches(warning).count(), 1, "{warning} in:\n{check}");
    }
    assert!(check.contains(&format!("warning: 2 resource(s) in eu-south-1 are {approximate}")));
    let (_, cost, _) = planguard(&["cost", plan]);
    assert_eq!(cost.matches(approximate).count(), 1, "{cost}");
    assert!(cost.contains("\nWarnings:\n"), "{cost}");
}
