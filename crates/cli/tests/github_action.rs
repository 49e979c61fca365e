//! The GitHub Action's shell steps (ci/github/*.sh, run by action.yml) run here as the runner
//! would run them: install from a local release archive built from this repository's binary
//! (checksum verified, tool cache reused), check a fixture plan, and comment through a fake
//! `planguard` that records its arguments.
#![cfg(all(unix, target_arch = "x86_64", target_os = "linux"))]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const VERSION: &str = "9.8.7";
const TARGET: &str = "x86_64-unknown-linux-gnu";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn tempdir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard-action-{tag} {}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A release archive laid out as .github/workflows/release.yml lays it out.
fn release_dir(base: &Path) -> PathBuf {
    let releases = base.join("releases");
    let name = format!("planguard-{VERSION}-{TARGET}");
    std::fs::create_dir_all(releases.join(&name)).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_planguard"), releases.join(&name).join("planguard")).unwrap();
    let tar = Command::new("tar")
        .arg("-czf")
        .arg(format!("{name}.tar.gz"))
        .arg(&name)
        .current_dir(&releases)
        .status()
        .unwrap();
    assert!(tar.success());
    let sum = Command::new("sha256sum")
        .arg(format!("{name}.tar.gz"))
        .current_dir(&releases)
        .output()
        .unwrap();
    assert!(sum.status.success());
    std::fs::write(releases.join(format!("{name}.tar.gz.sha256")), sum.stdout).unwrap();
    std::fs::remove_dir_all(releases.join(&name)).unwrap();
    releases
}

fn script(name: &str, env: &[(&str, &Path)], strings: &[(&str, &str)], cwd: &Path) -> Output {
    let mut command = Command::new("bash");
    command.arg(repo().join("ci/github").join(name)).current_dir(cwd);
    for var in [
        "GITHUB_PATH",
        "GITHUB_OUTPUT",
        "PLANGUARD_ARCHIVE_DIR",
        "PLANGUARD_VERSION",
        "GITHUB_EVENT_NAME",
        "CI",
    ] {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    for (key, value) in strings {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn install(base: &Path, archives: &Path) -> Output {
    script(
        "install.sh",
        &[
            ("RUNNER_TOOL_CACHE", &base.join("tool cache")),
            ("PLANGUARD_ARCHIVE_DIR", archives),
            ("GITHUB_PATH", &base.join("github_path")),
            ("GITHUB_OUTPUT", &base.join("install_output")),
        ],
        &[
            ("PLANGUARD_VERSION", VERSION),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
        ],
        base,
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path_with(dir: &Path) -> String {
    format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default())
}

#[test]
fn install_verifies_the_checksum_caches_the_binary_and_adds_it_to_the_path() {
    let base = tempdir("install");
    let archives = release_dir(&base);
    let first = install(&base, &archives);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("installed into the tool cache"));
    let install_dir = base.join(format!("tool cache/planguard/{VERSION}/{TARGET}"));
    let github_path = std::fs::read_to_string(base.join("github_path")).unwrap();
    assert_eq!(github_path.trim_end(), install_dir.display().to_string());
    let outputs = std::fs::read_to_string(base.join("install_output")).unwrap();
    assert!(outputs.contains(&format!("version={VERSION}\n")), "{outputs}");
    let version = Command::new(install_dir.join("planguard"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(version.status.success());
    assert!(text(&version.stdout).starts_with("planguard"));

    // Cache hit: the archives are gone, the cached binary serves.
    let empty = base.join("no archives");
    std::fs::create_dir_all(&empty).unwrap();
    let second = install(&base, &empty);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains("found in the tool cache"));
}

#[test]
fn install_refuses_an_archive_whose_checksum_does_not_match() {
    let base = tempdir("checksum");
    let archives = release_dir(&base);
    let sum = archives.join(format!("planguard-{VERSION}-{TARGET}.tar.gz.sha256"));
    let forged = format!("{}  planguard.tar.gz\n", "0".repeat(64));
    std::fs::write(&sum, forged).unwrap();
    let run = install(&base, &archives);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("checksum mismatch"), "{}", text(&run.stderr));
    assert!(!base
        .join("tool cache/planguard")
        .join(VERSION)
        .join(TARGET)
        .join("planguard")
        .exists());
}

#[test]
fn install_refuses_an_unknown_runner_and_latest_from_a_local_directory() {
    let base = tempdir("refuse");
    let archives = release_dir(&base);
    let unknown = script(
        "install.sh",
        &[("RUNNER_TOOL_CACHE", &base), ("PLANGUARD_ARCHIVE_DIR", &archives)],
        &[
            ("PLANGUARD_VERSION", VERSION),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "ARM"),
        ],
        &base,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no planguard release for runner OS/arch"));
    let latest = script(
        "install.sh",
        &[("RUNNER_TOOL_CACHE", &base), ("PLANGUARD_ARCHIVE_DIR", &archives)],
        &[
            ("PLANGUARD_VERSION", "latest"),
            ("RUNNER_OS", "Linux"),
            ("RUNNER_ARCH", "X64"),
        ],
        &base,
    );
    assert_eq!(latest.status.code(), Some(2));
    assert!(text(&latest.stderr).contains("give a version"));
}

fn installed(base: &Path) -> PathBuf {
    let archives = release_dir(base);
    let run = install(base, &archives);
    assert!(run.status.success(), "{}", text(&run.stderr));
    base.join(format!("tool cache/planguard/{VERSION}/{TARGET}"))
}

fn check(base: &Path, bin: &Path, soft_fail: &str, plan: &Path) -> Output {
    let path = path_with(bin);
    script(
        "check.sh",
        &[
            ("PLANGUARD_REPORT_DIR", &base.join("reports dir")),
            ("GITHUB_OUTPUT", &base.join("check_output")),
            ("INPUT_SOURCE_DIR", &repo().join("fixtures/terraform/aws-network")),
        ],
        &[
            ("PATH", &path),
            ("INPUT_PLAN", &format!("\n  {}  \n", plan.display())),
            ("INPUT_FORMATS", "sarif, junit"),
            ("INPUT_SOFT_FAIL", soft_fail),
        ],
        base,
    )
}

#[test]
fn check_writes_the_reports_and_fails_on_a_violated_guardrail_unless_soft_fail() {
    let base = tempdir("check");
    let bin = installed(&base);
    let plan = repo().join("fixtures/terraform/aws-network/plan.json");
    let failing = check(&base, &bin, "false", &plan);
    assert_eq!(failing.status.code(), Some(1), "{}", text(&failing.stderr));
    assert!(text(&failing.stdout).contains("::notice title=planguard::"));
    let outputs = std::fs::read_to_string(base.join("check_output")).unwrap();
    let reports = base.join("reports dir");
    for line in [
        format!("sarif={}/planguard.sarif", reports.display()),
        format!("junit={}/planguard-junit.xml", reports.display()),
        format!("markdown={}/planguard.md", reports.display()),
        "exit-code=1".to_string(),
    ] {
        assert!(outputs.lines().any(|l| l == line), "{line} missing in {outputs}");
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("planguard.sarif")).unwrap()).unwrap();
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    assert!(std::fs::read_to_string(reports.join("planguard-junit.xml"))
        .unwrap()
        .contains("<testsuite"));
    assert!(!std::fs::read_to_string(reports.join("planguard.md"))
        .unwrap()
        .is_empty());

    std::fs::remove_file(base.join("check_output")).unwrap();
    let soft = check(&base, &bin, "true", &plan);
    assert_eq!(soft.status.code(), Some(0), "{}", text(&soft.stderr));
    let outputs = std::fs::read_to_string(base.join("check_output")).unwrap();
    assert!(outputs.lines().any(|l| l == "exit-code=0"), "{outputs}");
}

#[test]
fn check_fails_closed_on_a_missing_plan_and_bad_inputs() {
    let base = tempdir("missing");
    let bin = installed(&base);
    let missing = check(&base, &bin, "true", &base.join("no such plan.json"));
    assert_eq!(missing.status.code(), Some(2), "{}", text(&missing.stderr));
    let plan = repo().join("fixtures/terraform/aws-network/plan.json");
    let bad_soft_fail = check(&base, &bin, "yes", &plan);
    assert_eq!(bad_soft_fail.status.code(), Some(2));
    assert!(text(&bad_soft_fail.stderr).contains("soft-fail"));
    let empty = script(
        "check.sh",
        &[("PLANGUARD_REPORT_DIR", &base.join("reports dir"))],
        &[("PATH", &path_with(&bin)), ("INPUT_PLAN", " \n ")],
        &base,
    );
    assert_eq!(empty.status.code(), Some(2));
    assert!(text(&empty.stderr).contains("input 'plan' is empty"));
}

/// A `planguard` that writes its arguments, one a line, then the GITHUB_TOKEN it was given,
/// to $PLANGUARD_ARGS_FILE.
fn fake_planguard(base: &Path) -> PathBuf {
    let bin = base.join("fake bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("planguard");
    std::fs::write(
        &script,
        "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" \"token=$GITHUB_TOKEN\" > \"$PLANGUARD_ARGS_FILE\"\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn comment(base: &Path, event: &str, behavior: &str) -> Output {
    let bin = fake_planguard(base);
    let report = base.join("reports dir/planguard.md");
    std::fs::create_dir_all(report.parent().unwrap()).unwrap();
    std::fs::write(&report, "# planguard\n").unwrap();
    script(
        "comment.sh",
        &[
            ("PLANGUARD_REPORT", &report),
            ("PLANGUARD_ARGS_FILE", &base.join("args")),
        ],
        &[
            ("PATH", &path_with(&bin)),
            ("GITHUB_EVENT_NAME", event),
            ("PLANGUARD_COMMENT_BEHAVIOR", behavior),
            ("PLANGUARD_PULL_REQUEST", "42"),
            ("GITHUB_REPOSITORY", "octo/infra"),
            ("PLANGUARD_GITHUB_TOKEN", "test-token-value"),
        ],
        base,
    )
}

#[test]
fn comment_runs_planguard_comment_github_on_pull_requests_only() {
    let base = tempdir("comment");
    let run = comment(&base, "pull_request", "hide-and-new");
    assert!(run.status.success(), "{}", text(&run.stderr));
    let args = std::fs::read_to_string(base.join("args")).unwrap();
    let report = base.join("reports dir/planguard.md").display().to_string();
    let expected = [
        "comment",
        "github",
        "--path",
        &report,
        "--behavior",
        "hide-and-new",
        "--repo",
        "octo/infra",
        "--pull-request",
        "42",
        "token=test-token-value",
    ];
    assert_eq!(args.lines().collect::<Vec<_>>(), expected);
    assert!(!text(&run.stdout).contains("test-token-value"));

    std::fs::remove_file(base.join("args")).unwrap();
    let push = comment(&base, "push", "update");
    assert!(push.status.success());
    assert!(!base.join("args").exists(), "no comment outside a pull request");
    let off = comment(&base, "pull_request", "off");
    assert!(off.status.success());
    assert!(!base.join("args").exists(), "no comment when off");
    let bad = comment(&base, "pull_request", "sometimes");
    assert_eq!(bad.status.code(), Some(2));
    assert!(!base.join("args").exists());
}

/// actionlint is not installable here (no registry ships its binary for this machine), so the
/// release workflow is at least parsed, and its archive names checked against the installers'
/// and cargo-binstall's.
#[test]
fn the_release_workflow_parses_and_names_archives_as_the_installers_expect() {
    let text = std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(workflow["on"]["push"]["tags"][0], "v*");
    let targets: Vec<&str> = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["target"].as_str().unwrap())
        .collect();
    let install = std::fs::read_to_string(repo().join("ci/github/install.sh")).unwrap();
    let azure = std::fs::read_to_string(repo().join("ci/azure-devops/tasks/PlanguardInstaller/release.ts")).unwrap();
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "x86_64-apple-darwin",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.contains(&target), "release.yml builds {target}");
        assert!(install.contains(target), "install.sh knows {target}");
        assert!(azure.contains(target), "the Azure installer knows {target}");
    }
    // Static builds for Alpine images and musl hosts (binstall's `{ target }` picks them up),
    // each with the musl toolchain installed before it builds.
    let entries = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap();
    for target in ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl"] {
        let entry = entries.iter().find(|e| e["target"] == target);
        assert!(
            entry.is_some_and(|e| e["musl"] == true),
            "release.yml builds {target} with musl-tools"
        );
    }
    assert!(text.contains("if: matrix.musl") && text.contains("apt-get install -y musl-tools"));
    assert!(text.contains(r#"name="planguard-${version}-${TARGET}""#));
    assert!(text.contains(r#"tar -czf "$name.tar.gz" "$name""#));
    assert!(install.contains(r#"name="planguard-$version-$target""#));
    let cargo = std::fs::read_to_string(repo().join("crates/cli/Cargo.toml")).unwrap();
    assert!(cargo.contains(
        r#"pkg-url = "https://github.com/planguard/planguard/releases/download/v{ version }/planguard-{ version }-{ target }{ archive-suffix }""#
    ));
    assert!(cargo.contains(r#"bin-dir = "planguard-{ version }-{ target }/{ bin }{ binary-ext }""#));
}
