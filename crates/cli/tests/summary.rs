//! The `planguard summary` command on the project's own fixtures, and on bad input.

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

fn planguard(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(args)
        .current_dir(repo())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn terraform_fixtures() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(repo().join("fixtures/terraform"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("plan.json").is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn summary_of_each_terraform_fixture() {
    let fixtures = terraform_fixtures();
    assert!(fixtures.len() >= 5, "fixtures/terraform has its plans");
    for name in fixtures {
        let plan = format!("fixtures/terraform/{name}/plan.json");
        let text = planguard(&["summary", &plan]);
        assert_eq!(text.code, 0, "{name}: {}", text.stderr);
        insta::assert_snapshot!(format!("summary_text_{name}"), text.stdout);
        let json = planguard(&["summary", "--format", "json", &plan]);
        assert_eq!(json.code, 0, "{name}: {}", json.stderr);
        let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        insta::assert_json_snapshot!(format!("summary_json_{name}"), value);
    }
}

#[test]
fn summary_counts_every_action_of_the_changes_fixture() {
    let run = planguard(&["summary", "--format", "json", "fixtures/terraform/changes/plan.json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let counts = &v["counts"];
    assert_eq!(counts["create"], 1);
    assert_eq!(counts["update"], 3);
    assert_eq!(counts["replace"], 2);
    assert_eq!(counts["delete"], 2);
    assert_eq!(counts["forget"], 1);
    assert_eq!(counts["no_op"], 4);
}

#[test]
fn sensitive_values_never_printed() {
    // The changes fixture's sensitive variable was "old-secret-value" and is now
    // "new-secret-value"; terraform_data.output mirrors it without a sensitive mark.
    for format in ["text", "json"] {
        let run = planguard(&["summary", "--format", format, "fixtures/terraform/changes/plan.json"]);
        assert_eq!(run.code, 0);
        for secret in ["old-secret-value", "new-secret-value"] {
            assert!(!run.stdout.contains(secret), "{format} output leaks {secret}");
            assert!(!run.stderr.contains(secret), "{format} errors leak {secret}");
        }
        assert!(run.stdout.contains("(sensitive)"));
    }
}

#[test]
fn real_world_encodings_and_wrappers_read_like_the_plain_file() {
    let plain = planguard(&["summary", "--format", "json", "fixtures/terraform/basic/plan.json"]);
    for file in [
        "utf8-bom",
        "utf16le-bom",
        "utf16be-bom",
        "setup-terraform-wrapper",
        "newer-minor-format",
    ] {
        let run = planguard(&["summary", "--format", "json", &format!("fixtures/plans/ok/{file}.json")]);
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        if file != "newer-minor-format" {
            assert_eq!(run.stdout, plain.stdout, "{file} reads the same as the plain file");
        }
        match file {
            "setup-terraform-wrapper" => assert!(run.stderr.contains("terraform_wrapper: false"), "{}", run.stderr),
            "newer-minor-format" => assert!(run.stderr.contains("1.9 is newer"), "{}", run.stderr),
            _ => assert!(
                run.stderr.is_empty(),
                "{file}: no warning for an ordinary encoding: {}",
                run.stderr
            ),
        }
    }
}

#[test]
fn stdin_is_read_with_dash() {
    let out = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(["summary", "-"])
        .current_dir(repo())
        .stdin(std::fs::File::open(repo().join("fixtures/terraform/basic/plan.json")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("<stdin>"));
}

#[test]
fn bad_inputs_exit_2_with_a_clear_error() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("fixtures/plans/bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut report = String::new();
    for path in &files {
        let rel = path.strip_prefix(repo()).unwrap().to_string_lossy().into_owned();
        let run = planguard(&["summary", &rel]);
        assert_eq!(run.code, 2, "{rel}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{rel}: no partial output");
        assert!(
            run.stderr.contains(&rel),
            "{rel}: the error names the file: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{rel}: {}", run.stderr);
        report.push_str(&run.stderr);
    }
    let missing = planguard(&["summary", "fixtures/plans/bad/no-such-file.json"]);
    assert_eq!(missing.code, 2);
    report.push_str(&missing.stderr);
    insta::assert_snapshot!("bad_inputs", report);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(planguard(&["summary"]).code, 2);
    assert_eq!(planguard(&["no-such-command"]).code, 2);
    assert_eq!(planguard(&["--help"]).code, 0);
}
