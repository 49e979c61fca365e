//! The CI pipelines under docs/ci: each parses as YAML, and every `planguard` command line
//! in it runs against a fixture plan and writes the reports it promises.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn every_planguard_command_in_the_ci_docs_runs() {
    let docs = repo().join("docs/ci");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 3, "azure, github and gitlab pipelines");
    let plan = repo().join("fixtures/terraform/aws-network/plan.json");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_planguard"))
        .parent()
        .unwrap()
        .to_path_buf();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let yaml: serde_json::Value =
            serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut all = Vec::new();
        strings(&yaml, &mut all);
        let commands: Vec<String> = all
            .iter()
            .flat_map(|s| s.lines().map(str::trim).map(String::from).collect::<Vec<_>>())
            // Display names such as "planguard check" are not commands: commands name the plan.
            .filter(|l| l.starts_with("planguard ") && l.contains("tfplan.json"))
            .collect();
        assert!(!commands.is_empty(), "{} runs planguard", file.display());
        for command in commands {
            let work = tempdir();
            std::fs::create_dir_all(work.join("CodeAnalysisLogs")).unwrap();
            let line = command
                .replace("$(REPORTS)", &work.display().to_string())
                .replace("tfplan.json", &plan.display().to_string());
            let out = Command::new("sh")
                .arg("-c")
                .arg(&line)
                .current_dir(&work)
                .env(
                    "PATH",
                    format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()),
                )
                .output()
                .unwrap();
            let code = out.status.code();
            // aws-network has high findings: the default policy fails it, exit 1.
            assert_eq!(
                code,
                Some(1),
                "{}: `{line}`: {}",
                file.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            for word in line.split_whitespace() {
                if let Some((_, path)) = word.split_once('=') {
                    let path = work.join(path);
                    let meta = std::fs::metadata(&path).unwrap_or_else(|_| panic!("{line} writes {}", path.display()));
                    assert!(meta.len() > 0, "{} is empty", path.display());
                }
            }
        }
    }
}

fn tempdir() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "planguard-ci-docs-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
