//! Microsoft's SARIF validator (`@microsoft/sarif-multitool`, installed by `npm ci` in
//! `tests/sarif/`, which `.ci/run` does) on the SARIF planguard writes in the shapes CI
//! agents produce: absolute paths with spaces and `&<|` run from another directory, a plan
//! outside the checkout on Azure, relative fixture paths, stdin, several plans, an
//! unreadable plan, waivers, inline skips and a baseline. Every log must have zero errors.
//!
//! Without the validator this test fails under CI (`CI` set), and locally says how to get
//! it: `npm ci --prefix tests/sarif`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The validator's native binary: the npm package's `bin.js` runs it through a shell,
/// which splits paths with spaces, so it is called directly.
fn validator() -> Option<PathBuf> {
    let (platform, exe) = match std::env::consts::OS {
        "linux" => ("linux", "Sarif.Multitool"),
        "macos" => ("darwin", "Sarif.Multitool"),
        "windows" => ("win32", "Sarif.Multitool.exe"),
        _ => return None,
    };
    let path = repo()
        .join("tests/sarif/node_modules/@microsoft")
        .join(format!("sarif-multitool-{platform}"))
        .join(exe);
    path.is_file().then_some(path)
}

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard sarif {} {name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

const CI_VARS: &[&str] = &[
    "TF_BUILD",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "GITHUB_WORKSPACE",
    "BUILD_SOURCESDIRECTORY",
    "CI_PROJECT_DIR",
    "SYSTEM_DEFINITIONID",
];

/// Runs planguard and returns the SARIF it wrote.
fn sarif(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&Path>) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    cmd.arg("check").args(args).args(["--format", "sarif"]).current_dir(cwd);
    for var in CI_VARS {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    if let Some(file) = stdin {
        cmd.stdin(std::fs::File::open(file).unwrap());
    }
    let out = cmd.output().unwrap();
    let code = out.status.code();
    assert!(
        matches!(code, Some(0..=2)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The validator's error-level results on one log, as `ruleId: message` lines.
fn validate(validator: &Path, log: &Path) -> (Vec<String>, Vec<String>) {
    let out = log.with_extension("validation.sarif");
    let _ = std::fs::remove_file(&out);
    let run = Command::new(validator)
        .arg("validate")
        .arg(log)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        panic!(
            "the validator wrote no result for {}: {}{}",
            log.display(),
            String::from_utf8_lossy(&run.stdout),
            String::from_utf8_lossy(&run.stderr)
        )
    });
    let result: Value = serde_json::from_str(&text).unwrap();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for run in result["runs"].as_array().unwrap() {
        for note in run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(
                run["invocations"][0]["toolConfigurationNotifications"]
                    .as_array()
                    .into_iter()
                    .flatten(),
            )
        {
            if note["level"] == "error" {
                errors.push(format!("tool: {}", note["message"]["text"]));
            }
        }
        for r in run["results"].as_array().into_iter().flatten() {
            let line = format!("{}: {}", r["ruleId"].as_str().unwrap_or("?"), r["message"]["arguments"]);
            // A result without a level is a warning (SARIF's default).
            match r["level"].as_str().unwrap_or("warning") {
                "error" => errors.push(line),
                "warning" => warnings.push(line),
                _ => {}
            }
        }
    }
    (errors, warnings)
}

#[test]
fn microsoft_sarif_validator_accepts_every_shape() {
    let Some(validator) = validator() else {
        let message = "the SARIF validator is not installed: run `npm ci --prefix tests/sarif` (as .ci/run does)";
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("{message}");
        }
        eprintln!("NOT RUN: {message}");
        return;
    };
    let base = tempdir("agent");
    // A checkout at a path with spaces, an artifact directory beside it, and another
    // working directory.
    let root = base.join("work 1/s");
    let infra = root.join("infra & more <dir>|x");
    let artifacts = base.join("work 1/a");
    let elsewhere = base.join("else where");
    for d in [&infra, &artifacts, &elsewhere] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let network = repo().join("fixtures/terraform/aws-network");
    let tf = std::fs::read_to_string(network.join("main.tf")).unwrap().replace(
        "resource \"aws_instance\" \"bastion\" {",
        "resource \"aws_instance\" \"bastion\" {\n  # planguard:skip=AWS-EC2-005 reached through the VPN only",
    );
    std::fs::write(infra.join("main.tf"), format!("\u{feff}{}", tf.replace('\n', "\r\n"))).unwrap();
    let plan = infra.join("tf plan.json");
    std::fs::copy(network.join("plan.json"), &plan).unwrap();
    let outside = artifacts.join("tf plan.json");
    std::fs::copy(network.join("plan.json"), &outside).unwrap();
    let broken = infra.join("broken plan.json");
    std::fs::copy(repo().join("fixtures/plans/bad/truncated.json"), &broken).unwrap();
    let baseline = artifacts.join("base line.json");
    let created = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(["check", "fixtures/terraform/aws-data/plan.json", "--create-baseline"])
        .arg(&baseline)
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(baseline.is_file(), "{}", String::from_utf8_lossy(&created.stderr));

    let p = |path: &Path| path.display().to_string();
    let root_s = p(&root);
    let strict = p(&repo().join("fixtures/config/strict.yaml"));
    let cases: Vec<(&str, String)> = vec![
        (
            "absolute paths with spaces from another directory",
            sarif(&elsewhere, &[&p(&plan), "--source-dir", &p(&infra)], &[], None),
        ),
        (
            "a plan outside the checkout on Azure",
            sarif(
                &elsewhere,
                &[&p(&outside), "--source-dir", &p(&infra)],
                &[
                    ("TF_BUILD", "True"),
                    ("BUILD_SOURCESDIRECTORY", &root_s),
                    ("SYSTEM_DEFINITIONID", "42"),
                ],
                None,
            ),
        ),
        (
            "relative paths with waivers",
            sarif(
                &repo(),
                &[
                    "fixtures/terraform/aws-network/plan.json",
                    "--source-dir",
                    "fixtures/terraform/aws-network",
                    "--config",
                    "fixtures/config/strict.yaml",
                    "--branch",
                    "main",
                ],
                &[],
                None,
            ),
        ),
        (
            "several plans, one unreadable, with a baseline and a config",
            sarif(
                &elsewhere,
                &[
                    &p(&plan),
                    &p(&repo().join("fixtures/terraform/aws-data/plan.json")),
                    &p(&broken),
                    "--baseline",
                    &p(&baseline),
                    "--config",
                    &strict,
                ],
                &[],
                None,
            ),
        ),
        ("standard input", sarif(&elsewhere, &["-"], &[], Some(&outside))),
    ];
    let mut failures = Vec::new();
    for (i, (name, text)) in cases.iter().enumerate() {
        assert!(text.contains("\"version\": \"2.1.0\""), "{name}: no SARIF written");
        let log = artifacts.join(format!("case {i}.sarif"));
        std::fs::write(&log, text).unwrap();
        let (errors, warnings) = validate(&validator, &log);
        eprintln!("{name}: {} errors, {} warnings", errors.len(), warnings.len());
        for w in &warnings {
            eprintln!("  warning {w}");
        }
        if !errors.is_empty() {
            failures.push(format!("{name} ({}):\n  {}", log.display(), errors.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "the SARIF validator found errors:\n{}",
        failures.join("\n")
    );
}
