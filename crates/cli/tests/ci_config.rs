//! `planguard check` as CI agents run it: config discovery and semantics (from another
//! working directory, absolute paths with spaces, BOMs and CRLF), rule selection, standard
//! input, output formats by file name, quiet and verbose, completions and the man page.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn fixture(path: &str) -> PathBuf {
    repo().join(path)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs planguard in `cwd` with the CI environment cleared (the test decides it).
fn run_in(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    cmd.args(args).current_dir(cwd);
    for var in [
        "TF_BUILD",
        "GITHUB_ACTIONS",
        "GITHUB_REF",
        "GITHUB_REPOSITORY",
        "GITHUB_WORKSPACE",
        "BUILD_SOURCESDIRECTORY",
        "BUILD_SOURCEBRANCH",
        "CI_PROJECT_DIR",
        "GITLAB_CI",
        "SYSTEM_DEFINITIONID",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

/// A scratch directory with a space in its name, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("planguard {name} {}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir.canonicalize().unwrap())
    }

    /// A repository (a directory holding `.git`) with the network plan in `infra/`.
    fn repo(&self, name: &str, config: Option<&str>) -> PathBuf {
        let root = self.0.join(name);
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("infra")).unwrap();
        std::fs::copy(
            fixture("fixtures/terraform/aws-network/plan.json"),
            root.join("infra/plan.json"),
        )
        .unwrap();
        if let Some(text) = config {
            std::fs::write(root.join(".planguard.yaml"), text).unwrap();
        }
        root
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn guardrail_names(report: &serde_json::Value) -> Vec<String> {
    report["guardrails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_config_without_guardrails_keeps_the_default_policy() {
    let scratch = Scratch::new("no guardrails");
    for (name, config) in [
        ("only-version", "version: 1\n"),
        ("only-source-dir", "version: 1\nsource_dir: infra\n"),
        (
            "only-waivers",
            "version: 1\nwaivers:\n  - rule: AWS-EC2-003\n    address: \"*\"\n    reason: accepted\n",
        ),
        ("bom-crlf", "\u{feff}version: 1\r\nsource_dir: infra\r\n"),
    ] {
        let root = scratch.repo(name, Some(config));
        let run = run_in(&root.join("infra"), &["check", "plan.json"], &[], None);
        assert_eq!(
            run.code, 1,
            "{name}: critical findings must fail\n{}{}",
            run.stdout, run.stderr
        );
        let first = run.stdout.lines().next().unwrap();
        assert_eq!(
            first,
            format!(
                "config: {} (found from the working directory)",
                root.join(".planguard.yaml").display()
            ),
            "{name}"
        );
        assert!(run.stdout.contains("default-policy"), "{name}: {}", run.stdout);
        // --fail-on always takes effect, in any case.
        let info = run_in(
            &root,
            &["check", "--fail-on", "INFO", "--format", "json", "infra/plan.json"],
            &[],
            None,
        );
        assert_eq!(info.code, 1, "{name}: {}", info.stderr);
        let report = json(&info);
        assert_eq!(report["config"]["found_by"], "working-directory");
        assert_eq!(report["config"]["file"], ".planguard.yaml");
    }
}

#[test]
fn fail_on_takes_effect_when_the_config_only_warns() {
    let scratch = Scratch::new("warn only");
    let root = scratch.repo(
        "r",
        Some("version: 1\nguardrails:\n  - name: soft\n    type: policy\n    mode: warn\n    severity: high\n"),
    );
    let soft = run_in(&root, &["check", "--format", "json", "infra/plan.json"], &[], None);
    assert_eq!(soft.code, 0, "the config's own policy only warns: {}", soft.stderr);
    assert_eq!(guardrail_names(&json(&soft)), ["soft"]);
    let hard = run_in(
        &root,
        &["check", "--fail-on", "High", "--format", "json", "infra/plan.json"],
        &[],
        None,
    );
    assert_eq!(hard.code, 1, "{}", hard.stderr);
    assert_eq!(guardrail_names(&json(&hard)), ["soft", "fail-on"]);
}

#[test]
fn an_absolute_plan_from_elsewhere_uses_its_repository_config() {
    let scratch = Scratch::new("elsewhere");
    // The repository's config only warns, so the plan passes when (and only when) it is used.
    let root = scratch.repo(
        "repo with space",
        Some("version: 1\nguardrails:\n  - name: soft\n    type: policy\n    mode: warn\n    severity: high\n"),
    );
    // A config above the repository root must never be used: this one would be an error.
    std::fs::write(scratch.0.join(".planguard.yaml"), "version: 2\n").unwrap();
    let elsewhere = scratch.0.join("agent tmp");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let plan = root.join("infra/plan.json");
    let run = run_in(
        &elsewhere,
        &["check", "--format", "json", plan.to_str().unwrap()],
        &[],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json(&run);
    assert_eq!(report["config"]["found_by"], "plan-directory");
    let file = root.join(".planguard.yaml").display().to_string();
    assert_eq!(report["config"]["file"], file.as_str());
    assert!(
        run.stderr
            .contains(&format!("planguard: config: {file} (found from the plan's directory)")),
        "{}",
        run.stderr
    );

    // From a repository of its own, the working directory's config wins, and the other
    // one is named.
    let other = scratch.repo("other", Some("version: 1\n"));
    let run = run_in(
        &other,
        &["check", "--format", "json", plan.to_str().unwrap()],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(json(&run)["config"]["found_by"], "working-directory");
    assert!(
        run.stderr.contains(&file) && run.stderr.contains("not used"),
        "{}",
        run.stderr
    );

    // --config overrides both.
    let run = run_in(
        &other,
        &["check", "--config", &file, "--format", "json", plan.to_str().unwrap()],
        &[],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run)["config"]["found_by"], "given");

    // Plans of two repositories with different configs: which applies would be a guess.
    let two = run_in(
        &elsewhere,
        &[
            "check",
            plan.to_str().unwrap(),
            other.join("infra/plan.json").to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert_eq!(two.code, 2);
    assert!(two.stderr.contains("--config"), "{}", two.stderr);

    // Outside any repository and CI checkout, only the working directory itself is searched:
    // the invalid config one level up stays unread.
    let run = run_in(
        &elsewhere,
        &["check", "--format", "json", "../repo with space/infra/plan.json"],
        &[],
        None,
    );
    assert_eq!(json(&run)["config"]["found_by"], "plan-directory");
}

#[test]
fn the_ci_checkout_root_bounds_the_search() {
    let scratch = Scratch::new("checkout");
    // An exported checkout (no .git) under a directory with a config that must not apply.
    std::fs::write(scratch.0.join(".planguard.yaml"), "version: 2\n").unwrap();
    let checkout = scratch.0.join("s");
    std::fs::create_dir_all(checkout.join("infra")).unwrap();
    std::fs::write(checkout.join(".planguard.yaml"), "version: 1\nsource_dir: infra\n").unwrap();
    std::fs::copy(
        fixture("fixtures/terraform/basic/plan.json"),
        checkout.join("infra/plan.json"),
    )
    .unwrap();
    for var in ["GITHUB_WORKSPACE", "BUILD_SOURCESDIRECTORY", "CI_PROJECT_DIR"] {
        let run = run_in(
            &checkout.join("infra"),
            &["check", "--format", "json", "plan.json"],
            &[(var, checkout.to_str().unwrap())],
            None,
        );
        assert_eq!(run.code, 0, "{var}: {}", run.stderr);
        let report = json(&run);
        assert_eq!(
            report["config"]["file"],
            checkout.join(".planguard.yaml").display().to_string()
        );
        assert_eq!(guardrail_names(&report), ["default-policy"]);
    }
    // Without the CI root (and no .git), the search stays in the working directory.
    let run = run_in(
        &checkout.join("infra"),
        &["check", "--format", "json", "plan.json"],
        &[],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json(&run)["config"]["found_by"], "not-found");
    assert!(run.stderr.contains("no .planguard.yaml found"), "{}", run.stderr);
}

#[test]
fn rule_ids_in_the_config_must_name_rules() {
    let scratch = Scratch::new("rule ids");
    for (config, location, closest) in [
        (
            "version: 1\nrules:\n  disable: [AWS-EC2-05]\n",
            ".planguard.yaml:3:13:",
            "AWS-EC2-005",
        ),
        (
            "version: 1\r\nrules:\r\n  severity:\r\n    AWS-ALB-01: low\r\n",
            ".planguard.yaml:4:5:",
            "AWS-ALB-001",
        ),
    ] {
        let root = scratch.repo("typo", Some(config));
        let run = run_in(&root, &["check", "infra/plan.json"], &[], None);
        assert_eq!(run.code, 2, "{config:?}");
        assert!(run.stderr.contains(location), "{config:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("the closest is {closest}")),
            "{}",
            run.stderr
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
    // Ids in any case and peer ids name rules; an override applies before the guardrails
    // judge: a medium rule raised to critical fails --fail-on critical.
    let root = scratch.repo(
        "overrides",
        Some("version: 1\nrules:\n  disable: [aws-ec2-005]\n  severity:\n    aws-alb-001: critical\n"),
    );
    let run = run_in(
        &root,
        &["check", "--fail-on", "critical", "--format", "json", "infra/plan.json"],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json(&run);
    let findings = report["findings"].as_array().unwrap();
    assert!(findings.iter().all(|f| f["rule_id"] != "AWS-EC2-005"));
    assert!(findings
        .iter()
        .any(|f| f["rule_id"] == "AWS-ALB-001" && f["severity"] == "critical"));
    std::fs::write(
        root.join(".planguard.yaml"),
        "version: 1\nrules:\n  disable: [aws-ec2-005]\n",
    )
    .unwrap();
    let run = run_in(&root, &["check", "--fail-on", "critical", "infra/plan.json"], &[], None);
    assert_eq!(run.code, 0, "without the override nothing is critical: {}", run.stdout);
}

#[test]
fn a_misplaced_guardrail_key_is_reported_at_its_line() {
    let scratch = Scratch::new("misplaced key");
    let root = scratch.repo(
        "r",
        Some("version: 1\nguardrails:\n  - name: budget\n    type: cost\n    max_monthly_total: 10\n    severity: high\n"),
    );
    let run = run_in(&root, &["check", "infra/plan.json"], &[], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(".planguard.yaml:6:5:"), "{}", run.stderr);
}

#[test]
fn skip_and_check_select_rules() {
    let network = fixture("fixtures/terraform/aws-network/plan.json");
    let network = network.to_str().unwrap();
    let ids = |run: &Run| -> Vec<String> {
        json(run)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule_id"].as_str().unwrap().to_string())
            .collect()
    };
    let all = run_in(&repo(), &["check", "--format", "json", network], &[], None);
    assert!(ids(&all).iter().any(|id| id == "AWS-EC2-005"));

    let skipped = run_in(
        &repo(),
        &[
            "check",
            "--format",
            "json",
            "--skip-check",
            "aws-ec2-005,AWS-VPC-*",
            network,
        ],
        &[],
        None,
    );
    let left = ids(&skipped);
    assert!(!left.is_empty());
    assert!(
        left.iter().all(|id| id != "AWS-EC2-005" && !id.starts_with("AWS-VPC-")),
        "{left:?}"
    );

    // Severities: --check HIGH runs high and critical rules; --skip-check medium skips
    // medium and below.
    let high = run_in(
        &repo(),
        &["check", "--format", "json", "--check", "HIGH", network],
        &[],
        None,
    );
    let r = json(&high);
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] == "high" || f["severity"] == "critical"));
    let no_medium = run_in(
        &repo(),
        &["check", "--format", "json", "--skip-check", "medium", network],
        &[],
        None,
    );
    assert!(json(&no_medium)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["severity"] == "high" || f["severity"] == "critical"));

    // Peer ids: CKV_AWS_20 (public S3 ACLs) skips the rules that declare it.
    let data = fixture("fixtures/terraform/aws-data/plan.json");
    let data = data.to_str().unwrap();
    let with = run_in(&repo(), &["check", "--format", "json", data], &[], None);
    assert!(ids(&with).iter().any(|id| id == "AWS-S3-006"));
    let without = run_in(
        &repo(),
        &["check", "--format", "json", "--skip-check", "CKV_AWS_20", data],
        &[],
        None,
    );
    assert!(ids(&without).iter().all(|id| id != "AWS-S3-006"));
    let only_s3 = run_in(
        &repo(),
        &["check", "--format", "json", "--check", "AWS-S3-*", data],
        &[],
        None,
    );
    let s3 = ids(&only_s3);
    assert!(
        !s3.is_empty() && s3.iter().all(|id| id.starts_with("AWS-S3-")),
        "{s3:?}"
    );

    // A --check entry naming no rule would run fewer rules than meant: an error. A
    // --skip-check entry naming none only warns, in the report too.
    let typo = run_in(&repo(), &["check", "--check", "AWS-EC2-01", network], &[], None);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("--check entry 1 of 1") && typo.stderr.contains("closest"),
        "{}",
        typo.stderr
    );
    let skip_typo = run_in(
        &repo(),
        &["check", "--format", "json", "--skip-check", "CKV_AWS_99999", network],
        &[],
        None,
    );
    assert_eq!(skip_typo.code, 1);
    assert!(
        skip_typo.stderr.contains("--skip-check entry 1 of 1"),
        "{}",
        skip_typo.stderr
    );
    assert!(json(&skip_typo)["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w.as_str().unwrap().contains("--skip-check entry 1 of 1")));
}

#[test]
fn standard_input_is_stdin_everywhere() {
    let plan = std::fs::read(fixture("fixtures/terraform/aws-network/plan.json")).unwrap();
    for format in ["text", "sarif", "github", "azure", "junit", "json", "markdown"] {
        let run = run_in(&repo(), &["check", "--format", format, "-"], &[], Some(&plan));
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("stdin"), "{format}: {}", run.stdout);
        assert!(
            !run.stdout.contains("plan.json"),
            "{format} names stdin plan.json: {}",
            run.stdout
        );
        if format == "markdown" {
            assert!(run.stdout.contains("Plan: `<stdin>`"), "{}", run.stdout);
        }
    }
    let binary = std::fs::read(fixture("fixtures/plans/bad/binary-tfplan")).unwrap();
    let run = run_in(&repo(), &["check", "--format", "json", "-"], &[], Some(&binary));
    assert_eq!(run.code, 2);
    assert_eq!(json(&run)["file"], "<stdin>");
    assert!(
        run.stderr.contains("terraform show -json PLANFILE | planguard check -"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("terraform show -json <stdin>"), "{}", run.stderr);

    // A JSON array is not "no JSON document".
    let run = run_in(&repo(), &["check", "-"], &[], Some(b"[1,2]"));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("<stdin>:1:1:") && run.stderr.contains("holds a JSON array"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("no JSON document"));
}

#[test]
fn rules_explain_takes_any_case_and_peer_ids() {
    let lower = run_in(&repo(), &["rules", "explain", "aws-ec2-001"], &[], None);
    assert_eq!(lower.code, 0, "{}", lower.stderr);
    assert!(lower.stdout.starts_with("AWS-EC2-001: "));
    let peer = run_in(&repo(), &["rules", "explain", "ckv_aws_88"], &[], None);
    assert_eq!(peer.code, 0, "{}", peer.stderr);
    let first = peer.stdout.lines().next().unwrap();
    assert!(first.starts_with("CKV_AWS_88 is covered by"), "{first}");
    assert!(
        first.contains("AWS-EC2-001") && first.contains("AWS-EC2-101"),
        "{first}"
    );
    let typo = run_in(&repo(), &["rules", "explain", "AWS-EC2-01"], &[], None);
    assert_eq!(typo.code, 2);
    assert!(typo.stderr.contains("closest"), "{}", typo.stderr);
}

#[test]
fn quiet_prints_only_guardrails_and_the_verdict() {
    let scratch = Scratch::new("quiet");
    // Text before the JSON (as the setup-terraform wrapper writes) gives a warning.
    let mut wrapped = b"[command]/usr/bin/terraform show -json tfplan\n".to_vec();
    wrapped.extend(std::fs::read(fixture("fixtures/terraform/aws-network/plan.json")).unwrap());
    let plan = scratch.0.join("wrapped plan.json");
    std::fs::write(&plan, wrapped).unwrap();
    let loud = run_in(&scratch.0, &["check", plan.to_str().unwrap()], &[], None);
    assert!(loud.stdout.contains("warning:"), "{}", loud.stdout);
    let quiet = run_in(&scratch.0, &["check", "--quiet", plan.to_str().unwrap()], &[], None);
    assert_eq!(quiet.code, 1);
    assert!(quiet.stdout.starts_with("Guardrails\n"), "{}", quiet.stdout);
    let last = quiet.stdout.trim_end().lines().last().unwrap();
    assert!(last.starts_with("FAIL: "), "{last}");
    for noise in ["warning:", "config:", "Changes", "Findings", "Cost", "create"] {
        assert!(
            !quiet.stdout.contains(noise),
            "--quiet printed {noise}: {}",
            quiet.stdout
        );
    }
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn output_format_follows_the_file_extension() {
    let scratch = Scratch::new("outputs");
    let plan = fixture("fixtures/terraform/aws-network/plan.json");
    let plan = plan.to_str().unwrap();
    let out = |name: &str| scratch.0.join(name).display().to_string();
    for (name, starts) in [
        ("res.sarif", "{"),
        ("res.sarif.json", "{"),
        ("report.json", "{"),
        ("junit.xml", "<?xml"),
        ("comment.md", "<!-- planguard-comment -->"),
        ("report.txt", "config: "),
    ] {
        let run = run_in(&scratch.0, &["check", "--output", &out(name), plan], &[], None);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{name}: the report goes to the file");
        let text = std::fs::read_to_string(out(name)).unwrap();
        assert!(text.starts_with(starts), "{name}: {}", &text[..text.len().min(200)]);
        if name.contains("sarif") {
            let sarif: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(sarif["version"], "2.1.0");
        }
    }
    // --format wins where the extension allows it; where they disagree, or the extension
    // says nothing, the ambiguity is an error.
    let run = run_in(
        &scratch.0,
        &["check", "--format", "sarif", "--output", &out("x.json"), plan],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(std::fs::read_to_string(out("x.json")).unwrap().contains("\"2.1.0\""));
    for args in [
        vec!["check", "--format", "github", "--output", "res.sarif", plan],
        vec!["check", "--output", "report.out", plan],
    ] {
        let run = run_in(&scratch.0, &args, &[], None);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains("FORMAT=FILE"), "{}", run.stderr);
    }
}

#[test]
fn the_markdown_comment_names_the_plan_and_can_be_found_again() {
    let run = run_in(
        &repo(),
        &["check", "--format", "markdown", "fixtures/terraform/basic/plan.json"],
        &[],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    assert_eq!(lines.next(), Some("<!-- planguard-comment -->"));
    assert!(
        run.stdout.contains("Plan: `fixtures/terraform/basic/plan.json`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Config: no .planguard.yaml found"),
        "{}",
        run.stdout
    );
}

#[test]
fn verbose_says_what_was_loaded() {
    let run = run_in(
        &repo(),
        &[
            "check",
            "--verbose",
            "--source-dir",
            "fixtures/terraform/aws-network",
            "fixtures/terraform/aws-network/plan.json",
        ],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    for needle in [
        "planguard: config: no .planguard.yaml found",
        "planguard: rules: ",
        " from builtin",
        "planguard: guardrails: default-policy",
        "planguard: usage: none",
        "planguard: price catalog: ",
        "planguard: source dir: fixtures/terraform/aws-network",
        "planguard: setup: load rules ",
        "planguard: fixtures/terraform/aws-network/plan.json: read ",
        ", graph ",
        ", rules ",
        ", cost ",
        ", guardrails ",
        "planguard: render text: ",
    ] {
        assert!(
            run.stderr.contains(needle),
            "--verbose lacks {needle:?}: {}",
            run.stderr
        );
    }
    // Verbose output goes to standard error only: the report is unchanged.
    let plain = run_in(
        &repo(),
        &[
            "check",
            "--source-dir",
            "fixtures/terraform/aws-network",
            "fixtures/terraform/aws-network/plan.json",
        ],
        &[],
        None,
    );
    assert_eq!(plain.stdout, run.stdout);
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = run_in(&repo(), &["completions", shell], &[], None);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("planguard"), "{shell}");
        assert!(run.stdout.contains("skip-check"), "{shell} completes the check flags");
    }
    assert_eq!(run_in(&repo(), &["completions", "tcsh"], &[], None).code, 2);
    let man = run_in(&repo(), &["man"], &[], None);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH planguard"),
        "{}",
        &man.stdout[..200]
    );
    assert!(man.stdout.contains(".TH planguard"));
    assert!(man.stdout.contains("check"));
}

#[test]
fn the_cli_uses_only_the_facade() {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps: Vec<&str> = manifest
        .lines()
        .filter(|l| l.starts_with("planguard"))
        .map(|l| l.split(['.', ' ', '=']).next().unwrap())
        .collect();
    assert_eq!(deps, ["planguard"], "the CLI depends on the facade only");
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs")).unwrap();
    assert!(!source.contains("planguard_"), "src/main.rs reaches past the facade");
}
