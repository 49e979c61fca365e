//! Runs the estimator on every plan of the shared corpus of real plans (`../shared/corpus`
//! from the repository root, or `$PLANGUARD_CORPUS`): no panic, no error, a report that
//! serialises. Skipped with a message when the corpus is absent, failing under `CI=true`.

use planguard_cost::{estimate, render_markdown_table, render_text, Catalog, Status};
use planguard_plan::{load_file, LoadOptions};

#[test]
fn every_corpus_plan_is_estimated() {
    let Some(dir) = planguard_plan::corpus::dir_for_tests() else {
        return;
    };
    let files = planguard_plan::corpus::json_files(&dir);
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
