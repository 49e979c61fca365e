//! CI reports in the shapes real agents produce: absolute paths with spaces and `&<|`,
//! another working directory, plans outside the repository, a CI checkout root, BOM and
//! CRLF sources, unreadable plans, soft-fail; and inline skips and baselines.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

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

/// Variables a CI agent sets that would change what the test sees.
const CI_VARS: &[&str] = &[
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
];

fn planguard_in(cwd: &Path, args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    cmd.args(args).current_dir(cwd);
    for var in CI_VARS {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = match stdin {
        Some(bytes) => {
            use std::io::Write;
            cmd.stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let mut child = cmd.spawn().unwrap();
            child.stdin.take().unwrap().write_all(bytes).unwrap();
            child.wait_with_output().unwrap()
        }
        None => cmd.output().unwrap(),
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn tempdir(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "planguard ci-reports {}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A checkout as an agent has it: `<tmp>/work 1/s` holding `.git` and `infra dir/` with the
/// aws-network sources and its plan named `my plan&<|.json`; `<tmp>/work 1/a` is the
/// artifact directory outside the repository; `<tmp>/elsewhere` another working directory.
struct Checkout {
    root: PathBuf,
    infra: PathBuf,
    plan: PathBuf,
    artifacts: PathBuf,
    elsewhere: PathBuf,
}

fn checkout(main_tf: impl FnOnce(&str) -> String) -> Checkout {
    let base = tempdir("agent");
    let root = base.join("work 1/s");
    let infra = root.join("infra dir");
    let artifacts = base.join("work 1/a");
    let elsewhere = base.join("elsewhere");
    for d in [&infra, &artifacts, &elsewhere] {
        std::fs::create_dir_all(d).unwrap();
    }
    std::fs::create_dir_all(root.join(".git")).unwrap();
    let network = repo().join("fixtures/terraform/aws-network");
    let text = std::fs::read_to_string(network.join("main.tf")).unwrap();
    std::fs::write(infra.join("main.tf"), main_tf(&text)).unwrap();
    let plan = infra.join("my plan&<|.json");
    std::fs::copy(network.join("plan.json"), &plan).unwrap();
    Checkout {
        root: root.canonicalize().unwrap(),
        infra: infra.canonicalize().unwrap(),
        plan: plan.canonicalize().unwrap(),
        artifacts: artifacts.canonicalize().unwrap(),
        elsewhere: elsewhere.canonicalize().unwrap(),
    }
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

fn uris(sarif: &Value) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    fn walk(v: &Value, out: &mut Vec<(String, Option<String>)>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(uri)) = map.get("uri") {
                    out.push((
                        uri.clone(),
                        map.get("uriBaseId").and_then(|b| b.as_str()).map(String::from),
                    ));
                }
                map.values().for_each(|c| walk(c, out));
            }
            Value::Array(items) => items.iter().for_each(|c| walk(c, out)),
            _ => {}
        }
    }
    walk(sarif, &mut out);
    out
}

#[test]
fn sarif_and_annotations_from_absolute_paths_with_spaces_in_another_directory() {
    let c = checkout(str::to_string);
    let run = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "sarif"],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let root_uri = run0["originalUriBaseIds"]["SRCROOT"]["uri"].as_str().unwrap();
    assert!(
        root_uri.starts_with("file:///") && root_uri.ends_with("/work%201/s/"),
        "{root_uri}"
    );
    let all = uris(&sarif);
    assert!(
        all.iter()
            .any(|(u, b)| u == "infra%20dir/main.tf" && b.as_deref() == Some("SRCROOT")),
        "{all:?}"
    );
    assert!(
        all.iter()
            .any(|(u, b)| u == "infra%20dir/my%20plan%26%3C%7C.json" && b.as_deref() == Some("SRCROOT")),
        "{all:?}"
    );
    for (uri, base) in &all {
        assert!(
            !uri.starts_with('/') && !uri.contains(' ') && !uri.contains('<') && !uri.contains('|'),
            "{uri}"
        );
        assert!(
            base.is_some() || uri.starts_with("file:///"),
            "{uri} is neither SRCROOT-relative nor absolute"
        );
    }
    let id = run0["automationDetails"]["id"].as_str().unwrap();
    assert_eq!(id, "planguard/infra dir/my plan&<|.json/");

    let gh = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "github"],
        &[],
        None,
    );
    assert!(gh.stdout.contains("::error file=infra dir/main.tf,"), "{}", gh.stdout);
    assert!(!gh.stdout.contains("file=/"), "{}", gh.stdout);
    let azure = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "azure"],
        &[],
        None,
    );
    assert!(
        azure.stdout.contains("sourcepath=infra dir/main.tf;linenumber=179;"),
        "{}",
        azure.stdout
    );
    assert!(!azure.stdout.contains("sourcepath=/"), "{}", azure.stdout);
}

#[test]
fn a_plan_outside_the_checkout_gets_an_absolute_file_uri_and_sources_stay_relative() {
    let c = checkout(str::to_string);
    let outside = c.artifacts.join("tf plan.json");
    std::fs::copy(&c.plan, &outside).unwrap();
    // On Azure the checkout root comes from the agent, whatever the working directory.
    let root = s(&c.root);
    let run = planguard_in(
        &c.elsewhere,
        &["check", &s(&outside), "--source-dir", &s(&c.infra), "--format", "sarif"],
        &[("BUILD_SOURCESDIRECTORY", &root), ("TF_BUILD", "True")],
        None,
    );
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let all = uris(&sarif);
    let plan_uri = sarif["runs"][0]["artifacts"][0]["location"]["uri"].as_str().unwrap();
    assert!(
        plan_uri.starts_with("file:///") && plan_uri.ends_with("/work%201/a/tf%20plan.json"),
        "{plan_uri}"
    );
    assert!(sarif["runs"][0]["artifacts"][0]["location"]["uriBaseId"].is_null());
    assert!(all
        .iter()
        .any(|(u, b)| u == "infra%20dir/main.tf" && b.as_deref() == Some("SRCROOT")));
    // Without sources, the agent's absolute path is named as such, never as `//home/...`.
    let gh = planguard_in(&c.elsewhere, &["check", &s(&outside), "--format", "github"], &[], None);
    assert!(
        gh.stdout.contains(&format!("file={}", s(&outside).replace(':', "%3A"))),
        "{}",
        gh.stdout
    );
    assert!(!gh.stdout.contains("file=//"), "{}", gh.stdout);
}

#[test]
fn soft_fail_never_signals_failure() {
    let plan = s(&repo().join("fixtures/terraform/aws-network/plan.json"));
    let c = tempdir("soft");
    let azure = planguard_in(&c, &["check", &plan, "--soft-fail", "--format", "azure"], &[], None);
    assert_eq!(azure.code, 0);
    assert!(
        azure.stdout.ends_with("##vso[task.complete result=SucceededWithIssues;]planguard: guardrails failed (--soft-fail: the step passes)\n"),
        "{}",
        azure.stdout
    );
    assert!(!azure.stdout.contains("type=error"), "{}", azure.stdout);
    let hard = planguard_in(&c, &["check", &plan, "--format", "azure"], &[], None);
    assert_eq!(hard.code, 1);
    assert!(hard.stdout.contains("type=error") && hard.stdout.contains("result=Failed;"));
    let gh = planguard_in(&c, &["check", &plan, "--soft-fail", "--format", "github"], &[], None);
    assert_eq!(gh.code, 0);
    assert!(!gh.stdout.contains("::error"), "{}", gh.stdout);
    assert!(gh.stdout.contains("--soft-fail: the step passes"));
}

#[test]
fn undecided_findings_are_annotated_once() {
    let plan = s(&repo().join("fixtures/terraform/aws-network/plan.json"));
    for format in ["github", "azure"] {
        let run = planguard_in(&repo(), &["check", &plan, "--format", format], &[], None);
        let mut seen = std::collections::BTreeSet::new();
        for line in run.stdout.lines().filter(|l| l.contains("AWS-EC2-002")) {
            let address = ["aws_instance.bastion", "aws_launch_template.app"]
                .into_iter()
                .find(|a| line.contains(a))
                .unwrap();
            assert!(
                seen.insert(address),
                "{format}: annotated twice: {address}\n{}",
                run.stdout
            );
        }
        assert_eq!(seen.len(), 2, "{format}: both undecided AWS-EC2-002 findings annotated");
    }
}

#[test]
fn an_unreadable_plan_is_an_input_error_in_every_ci_format() {
    let c = checkout(str::to_string);
    let bad = c.infra.join("broken plan.json");
    std::fs::copy(repo().join("fixtures/plans/bad/not-json.json"), &bad).unwrap();
    let sarif = planguard_in(&c.elsewhere, &["check", &s(&bad), "--format", "sarif"], &[], None);
    assert_eq!(sarif.code, 2);
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let note = &invocation["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert!(note["message"]["text"].as_str().unwrap().contains("broken plan.json"));
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra%20dir/broken%20plan.json"
    );
    let azure = planguard_in(&c.elsewhere, &["check", &s(&bad), "--format", "azure"], &[], None);
    assert_eq!(azure.code, 2);
    assert!(
        azure
            .stdout
            .contains("##vso[task.logissue type=error;sourcepath=infra dir/broken plan.json;"),
        "{}",
        azure.stdout
    );
    assert!(azure
        .stdout
        .contains("result=Failed;]planguard: 1 plan could not be read"));
    assert!(!azure.stdout.contains("guardrails failed"), "{}", azure.stdout);
    // --soft-fail excuses violations, not unreadable input.
    let soft = planguard_in(
        &c.elsewhere,
        &["check", &s(&bad), "--soft-fail", "--format", "azure"],
        &[],
        None,
    );
    assert_eq!(soft.code, 2);
    assert!(soft.stdout.contains("result=Failed;"));
    let gh = planguard_in(&c.elsewhere, &["check", &s(&bad), "--format", "github"], &[], None);
    assert_eq!(gh.code, 2);
    assert!(
        gh.stdout.starts_with("::error file=infra dir/broken plan.json,"),
        "{}",
        gh.stdout
    );
}

#[test]
fn sources_with_a_bom_and_crlf_are_read_and_a_wrong_source_dir_warns() {
    let c = checkout(|text| format!("\u{feff}{}", text.replace('\n', "\r\n")));
    let run = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "json"],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let warnings = report["warnings"].to_string();
    assert!(!warnings.contains("cannot parse"), "{warnings}");
    assert!(!warnings.contains("declare none"), "{warnings}");
    let azure = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "azure"],
        &[],
        None,
    );
    assert!(
        azure.stdout.contains("sourcepath=infra dir/main.tf;linenumber=179;"),
        "{}",
        azure.stdout
    );

    let wrong = repo().join("fixtures/terraform/basic");
    let run = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&wrong), "--format", "json"],
        &[],
        None,
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["warnings"].to_string().contains("declare none of the plan's"),
        "{}",
        report["warnings"]
    );
}

#[test]
fn waivers_are_listed_in_every_report() {
    let config = repo().join("fixtures/config/strict.yaml");
    let plan = repo().join("fixtures/terraform/aws-network/plan.json");
    let c = tempdir("waivers");
    let args = |format: &'static str| {
        vec![
            "check".to_string(),
            "--config".into(),
            s(&config),
            "--branch".into(),
            "main".into(),
            s(&plan),
            "--format".into(),
            format.into(),
        ]
    };
    let run_format = |format: &'static str| {
        let a = args(format);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        planguard_in(&c, &a, &[], None).stdout
    };
    let json: Value = serde_json::from_str(&run_format("json")).unwrap();
    let waived = json["waived_findings"].as_array().unwrap();
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["rule"], "AWS-EC2-001");
    assert_eq!(waived[0]["address"], "aws_instance.bastion");
    assert_eq!(waived[0]["reason"], "the bastion is public by design");
    assert_eq!(waived[0]["source"], s(&config));
    assert!(run_format("text").contains("AWS-EC2-001  aws_instance.bastion: waived: the bastion is public by design"));
    assert!(run_format("markdown")
        .contains("| `AWS-EC2-001` | `aws_instance.bastion` | the bastion is public by design | never |"));
    let sarif: Value = serde_json::from_str(&run_format("sarif")).unwrap();
    let suppressed: Vec<&Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["ruleId"], "AWS-EC2-001");
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert!(suppressed[0]["suppressions"][0]["justification"]
        .as_str()
        .unwrap()
        .starts_with("the bastion is public by design"));
}

/// aws-network's sources with skip comments in the three syntaxes.
fn with_skips(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("resource \"aws_subnet\" \"public\"") {
            out.push_str("#trivy:ignore:AVD-AWS-0164\n");
        }
        out.push_str(line);
        out.push('\n');
        if line.starts_with("resource \"aws_instance\" \"bastion\"") {
            out.push_str("  # planguard:skip=aws-ec2-005 SSH reaches the bastion through the VPN only\n");
            out.push_str("  #checkov:skip=CKV_AWS_88:the bastion is public by design\n");
        }
        if line.starts_with("resource \"aws_lb\" \"app\"") {
            out.push_str("  # planguard:skip=CKV_AWS_999 no such check\n");
        }
    }
    out
}

#[test]
fn inline_skips_apply_as_waivers_with_their_file_and_line() {
    let c = checkout(with_skips);
    let run = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "json"],
        &[],
        None,
    );
    assert_eq!(run.code, 1, "ssh_open is still a high finding: {}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let findings: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap().into(),
                f["resource"].as_str().unwrap().into(),
            )
        })
        .collect();
    for hidden in [
        ("AWS-EC2-005", "aws_instance.bastion"),
        ("AWS-EC2-001", "aws_instance.bastion"),
        ("AWS-VPC-001", "aws_subnet.public[0]"),
        ("AWS-VPC-001", "aws_subnet.public[1]"),
    ] {
        assert!(
            !findings.contains(&(hidden.0.into(), hidden.1.into())),
            "{hidden:?} is skipped"
        );
    }
    assert!(
        findings.contains(&("AWS-EC2-005".into(), "aws_instance.hardened".into())),
        "only the bastion is skipped"
    );
    let main_tf = s(&c.infra.join("main.tf"));
    let waived: Vec<(String, String, String, String)> = report["waived_findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["rule"].as_str().unwrap().into(),
                w["address"].as_str().unwrap().into(),
                w["reason"].as_str().unwrap().into(),
                w["source"].as_str().unwrap().into(),
            )
        })
        .collect();
    // Lines: the trivy comment is line 38 (the subnet block follows it), the bastion's
    // header is at 180 with its comments at 181 and 182.
    assert_eq!(
        waived,
        vec![
            (
                "AWS-EC2-001".into(),
                "aws_instance.bastion".into(),
                "the bastion is public by design".into(),
                format!("{main_tf}:182")
            ),
            (
                "AWS-EC2-005".into(),
                "aws_instance.bastion".into(),
                "SSH reaches the bastion through the VPN only".into(),
                format!("{main_tf}:181")
            ),
            (
                "AWS-VPC-001".into(),
                "aws_subnet.public[0]".into(),
                "(no reason given)".into(),
                format!("{main_tf}:38")
            ),
            (
                "AWS-VPC-001".into(),
                "aws_subnet.public[1]".into(),
                "(no reason given)".into(),
                format!("{main_tf}:38")
            ),
        ]
    );
    let warnings = report["warnings"].to_string();
    assert!(
        warnings.contains(&format!(
            "{main_tf}:38: inline skip of AVD-AWS-0164 on aws_subnet.public gives no reason"
        )),
        "{warnings}"
    );
    assert!(
        warnings.contains("inline skip CKV_AWS_999 names no planguard rule"),
        "{warnings}"
    );

    let text = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra)],
        &[],
        None,
    );
    assert!(
        text.stdout.contains(&format!(
            "AWS-EC2-005  aws_instance.bastion: waived: SSH reaches the bastion through the VPN only [{main_tf}:181]"
        )),
        "{}",
        text.stdout
    );
    let sarif = planguard_in(
        &c.elsewhere,
        &["check", &s(&c.plan), "--source-dir", &s(&c.infra), "--format", "sarif"],
        &[],
        None,
    );
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let kinds: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["suppressions"][0]["kind"].as_str())
        .collect();
    assert_eq!(kinds, vec!["inSource"; 4]);
}

fn edit_plan(from: &Path, to: &Path, edit: impl FnOnce(&mut Vec<Value>)) {
    let mut plan: Value = serde_json::from_slice(&std::fs::read(from).unwrap()).unwrap();
    let changes = plan["resource_changes"].as_array_mut().unwrap();
    edit(changes);
    std::fs::write(to, serde_json::to_vec_pretty(&plan).unwrap()).unwrap();
}

fn json_check(cwd: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = planguard_in(cwd, &all, &[], None);
    let value = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    (run.code, value, run.stderr)
}

#[test]
fn a_baseline_accepts_todays_findings_and_fails_on_new_ones() {
    let c = checkout(str::to_string);
    let baseline = c.artifacts.join("planguard baseline.json");
    let plan = s(&c.plan);
    // Created from inside the checkout with a relative path...
    let relative_plan = "infra dir/my plan&<|.json";
    let created = planguard_in(
        &c.root,
        &["check", relative_plan, "--create-baseline", &s(&baseline)],
        &[],
        None,
    );
    assert_eq!(created.code, 1, "the report and exit code are as without the flag");
    let file: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    assert_eq!(file["version"], 1);
    let entries = file["findings"].as_array().unwrap();
    // The count said on stderr is the count written (it grows with the rule pack).
    let said = format!("({} findings)", entries.len());
    assert!(
        entries.len() > 1 && created.stderr.contains(&said),
        "{}",
        created.stderr
    );
    let recorded = entries.len();
    let on_removed = entries
        .iter()
        .filter(|e| e["address"] == "aws_vpc.no_flow_logs")
        .count();
    assert!(on_removed >= 1);
    assert!(entries
        .iter()
        .all(|e| e["plan"] == relative_plan && e["fingerprint"].as_str().unwrap().len() == 16));

    // ...used from another directory with the absolute path: everything is known.
    let (code, report, stderr) = json_check(&c.elsewhere, &[&plan, "--baseline", &s(&baseline)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["verdict"], "pass");
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["baseline"]["known_findings"].as_array().unwrap().len(), recorded);

    // Reordered resources and an unrelated resource removed: still known; the removed
    // resource's entry is listed as no longer occurring.
    edit_plan(&c.plan, &c.plan, |changes| {
        changes.reverse();
        changes.retain(|rc| rc["address"] != "aws_vpc.no_flow_logs");
    });
    let (code, report, _) = json_check(&c.elsewhere, &[&plan, "--baseline", &s(&baseline)]);
    assert_eq!(code, 0);
    assert_eq!(
        report["baseline"]["known_findings"].as_array().unwrap().len(),
        recorded - on_removed
    );
    let absent = report["baseline"]["absent"].as_array().unwrap();
    assert_eq!(absent.len(), on_removed);
    assert!(absent.iter().any(|a| a["rule"] == "AWS-FL-001"));
    let text = planguard_in(&c.elsewhere, &["check", &plan, "--baseline", &s(&baseline)], &[], None);
    assert!(
        text.stdout.contains("AWS-FL-001 aws_vpc.no_flow_logs no longer occurs"),
        "{}",
        text.stdout
    );

    // A baseline without the bastion: its findings are new and fail.
    let without_bastion = c.artifacts.join("without bastion.json");
    let original = repo().join("fixtures/terraform/aws-network/plan.json");
    edit_plan(&original, &c.plan, |changes| {
        changes.retain(|rc| rc["address"] != "aws_instance.bastion")
    });
    let created = planguard_in(
        &c.root,
        &["check", relative_plan, "--create-baseline", &s(&without_bastion)],
        &[],
        None,
    );
    assert!(created.stderr.contains("wrote"), "{}", created.stderr);
    std::fs::copy(&original, &c.plan).unwrap();
    let (code, report, _) = json_check(&c.elsewhere, &[&plan, "--baseline", &s(&without_bastion)]);
    assert_eq!(code, 1);
    let new: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["resource"].as_str().unwrap())
        .collect();
    assert!(
        !new.is_empty() && new.iter().all(|r| *r == "aws_instance.bastion"),
        "{new:?}"
    );
    let sarif = planguard_in(
        &c.elsewhere,
        &["check", &plan, "--baseline", &s(&without_bastion), "--format", "sarif"],
        &[],
        None,
    );
    let log: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let states: std::collections::BTreeSet<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["baselineState"].as_str())
        .collect();
    assert_eq!(states, ["new", "unchanged"].into_iter().collect());
}

#[test]
fn a_baseline_covers_several_plans_and_stdin() {
    let dir = tempdir("several");
    let baseline = s(&dir.join("baseline.json"));
    let network = "fixtures/terraform/aws-network/plan.json";
    let data = "fixtures/terraform/aws-data/plan.json";
    let created = planguard_in(
        &repo(),
        &["check", network, data, "--create-baseline", &baseline],
        &[],
        None,
    );
    assert_eq!(created.code, 1, "{}", created.stderr);
    let (code, report, stderr) = json_check(
        &dir,
        &[
            &s(&repo().join(network)),
            &s(&repo().join(data)),
            "--baseline",
            &baseline,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["verdict"], "pass");
    // A plan's entries don't cover another plan's findings: aws-data's plan, read from
    // stdin, is a plan the baseline has no entry for.
    let bytes = std::fs::read(repo().join(data)).unwrap();
    let run = planguard_in(&dir, &["check", "-", "--baseline", &baseline], &[], Some(&bytes));
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Recorded from stdin, checked from stdin.
    let from_stdin = s(&dir.join("stdin.json"));
    planguard_in(
        &dir,
        &["check", "-", "--create-baseline", &from_stdin],
        &[],
        Some(&bytes),
    );
    let run = planguard_in(&dir, &["check", "-", "--baseline", &from_stdin], &[], Some(&bytes));
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn a_broken_baseline_is_an_input_error_with_its_position() {
    let dir = tempdir("broken-baseline");
    let file = dir.join("base line.json");
    std::fs::write(
        &file,
        "{\"version\": 1,\n \"findings\": [{\"plan\": \"secret-value\"}]}",
    )
    .unwrap();
    let plan = s(&repo().join("fixtures/terraform/changes/plan.json"));
    let run = planguard_in(&dir, &["check", &plan, "--baseline", &s(&file)], &[], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(&format!("{}: 2:", s(&file))), "{}", run.stderr);
    assert!(
        !run.stderr.contains("secret-value"),
        "no input is quoted: {}",
        run.stderr
    );
    let both = planguard_in(
        &dir,
        &["check", &plan, "--baseline", &s(&file), "--create-baseline", &s(&file)],
        &[],
        None,
    );
    assert_eq!(both.code, 2, "one baseline at a time");
}
