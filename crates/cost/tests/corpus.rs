//! Runs the estimator on every plan of the shared corpus of real plans (`../shared/corpus`
//! from the repository root, or `$PLANGUARD_CORPUS`): no panic, no error, a report that
//! serialises. Skipped with a message when the corpus is absent, failing under `CI=true`.

use std::path::{Path, PathBuf};

use planguard_cost::{estimate, render_markdown_table, render_text, Catalog, Status};
use planguard_plan::{load_file, LoadOptions};

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PLANGUARD_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var_os("CI").is_some_and(|v| v == "true" || v == "1") {
        panic!(
            "the plan corpus is missing at {} under CI: set PLANGUARD_CORPUS",
            dir.display()
        );
    } else {
        eprintln!("SKIPPED: no plan corpus at {} (set PLANGUARD_CORPUS)", dir.display());
        None
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_plan_is_estimated() {
    let Some(dir) = corpus_dir() else { return };
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    let catalog = Catalog::embedded();
    let (mut estimated, mut resources, mut priced) = (0, 0, 0);
    for path in &files {
        let Ok(loaded) = load_file(path, &LoadOptions::default()) else {
            continue; // rejected by the plan crate (its own test covers these)
        };
        let report = estimate(&loaded.plan, catalog, None)
            .unwrap_or_else(|e| panic!("{}: estimate failed: {e}", path.display()));
        serde_json::to_string(&report).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let _ = render_text(&report, true);
        let _ = render_markdown_table(&report, 10);
        assert!(
            report.monthly_after.is_finite() && report.monthly_before.is_finite(),
            "{}",
            path.display()
        );
        estimated += 1;
        resources += report.resources.len();
        priced += report.resources.iter().filter(|r| r.status == Status::Priced).count();
    }
    eprintln!("estimated {estimated} corpus plans, {resources} resources, {priced} priced");
    assert!(estimated > 0, "no corpus plan was estimated");
}
