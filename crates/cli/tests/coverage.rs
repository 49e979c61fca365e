//! `rules/COVERAGE.md` is what `scripts/coverage.py` makes of this build's rules
//! (`planguard rules list --format json`) and the shared peer lists (`../shared/peers`).
//! Without the shared lists the test says so and checks nothing; with them a stale file,
//! a failing script or a missing python3 fails it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn committed_coverage_is_up_to_date() {
    let peers = repo().join("../shared/peers");
    if !peers.is_dir() {
        eprintln!("{} not found: rules/COVERAGE.md not checked", peers.display());
        return;
    }
    let list = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let dir = std::env::temp_dir().join(format!("planguard coverage {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules_json = dir.join("rules.json");
    std::fs::write(&rules_json, &list.stdout).unwrap();
    let built = dir.join("COVERAGE.md");
    let run = Command::new("python3")
        .arg(repo().join("scripts/coverage.py"))
        .arg("--rules-json")
        .arg(&rules_json)
        .arg("--peers")
        .arg(&peers)
        .arg("--peers-md")
        .arg(repo().join("rules/PEERS.md"))
        .arg("--output")
        .arg(&built)
        .output()
        .expect("python3 is needed to check rules/COVERAGE.md");
    assert!(
        run.status.success(),
        "coverage.py: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let built = std::fs::read_to_string(&built).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let committed = std::fs::read_to_string(repo().join("rules/COVERAGE.md")).unwrap_or_default();
    assert!(
        built == committed,
        "rules/COVERAGE.md is stale: run `cargo build -p planguard-cli && python3 scripts/coverage.py`"
    );
    // The figures are there, per provider.
    for provider in ["AWS (`aws`)", "Azure (`azurerm`)", "Google Cloud (`google`)"] {
        assert!(built.contains(&format!("| {provider} |")), "{provider}");
    }
}

/// The reasons of the *Left out* tables of PEERS.md reach the page, beside their checks, and
/// count in the summary.
#[test]
fn left_out_reasons_are_read_from_peers_md() {
    let peers = repo().join("../shared/peers");
    if !peers.is_dir() {
        eprintln!("{} not found: not checked", peers.display());
        return;
    }
    let dir = std::env::temp_dir().join(format!("planguard-coverage-left-out-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let rules_json = dir.join("rules.json");
    // No rules: the checks named below stay uncovered however the pack grows.
    std::fs::write(&rules_json, "[]").unwrap();
    let peers_md = dir.join("PEERS.md");
    std::fs::write(
        &peers_md,
        "# Peers\n\n| not | this |\n| --- | --- |\n| CKV_AWS_150 | a table outside the section |\n\n\
         ## Left out\n\n| check | reason |\n| --- | --- |\n\
         | `CKV_AWS_117`, AVD-AWS-0066 | an architecture choice, not a misconfiguration |\n\n## After\n\n\
         | CKV_AWS_131 | another section |\n",
    )
    .unwrap();
    let run = Command::new("python3")
        .arg(repo().join("scripts/coverage.py"))
        .args(["--output", "-", "--rules-json"])
        .arg(&rules_json)
        .arg("--peers")
        .arg(&peers)
        .arg("--peers-md")
        .arg(&peers_md)
        .output()
        .expect("python3 is needed to check rules/COVERAGE.md");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let page = String::from_utf8(run.stdout).unwrap();
    let reason = "*left out*: an architecture choice, not a misconfiguration";
    let lines: Vec<&str> = page.lines().filter(|l| l.contains(reason)).collect();
    assert!(lines.iter().any(|l| l.contains("`CKV_AWS_117`")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("`AVD-AWS-0066`")), "{lines:?}");
    assert!(!page.contains("a table outside the section") && !page.contains("another section"));
    let aws = page.lines().find(|l| l.starts_with("| AWS (`aws`) |")).unwrap();
    let cells: Vec<&str> = aws.split('|').map(str::trim).collect();
    assert_eq!((cells[5], cells[8]), ("1", "1"), "{aws}");
}
