//! Snapshots of the text, Markdown and JSON reports of two fixtures (reviewed by eye:
//! crates/cost/tests/snapshots/). `cargo insta review` after an intended change.

use std::path::Path;

use planguard_cost::{estimate, render_markdown_table, render_text, Catalog, CostReport, Usage};

fn report(plan: &str, usage: Option<&str>) -> CostReport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let loaded = planguard_plan::load_file(&root.join(plan), &Default::default()).expect("plan loads");
    // Usage paths are given relative to the repository so that warnings read the same everywhere.
    let usage = usage.map(|u| {
        let bytes = std::fs::read(root.join(u)).expect("usage file");
        Usage::from_slice(&bytes, &format!("fixtures/{u}")).expect("usage parses")
    });
    estimate(&loaded.plan, Catalog::embedded(), usage.as_ref()).expect("estimate")
}

#[test]
fn aws_compute_with_usage() {
    let r = report("cost/aws-compute/plan.json", Some("cost/aws-compute/usage.yml"));
    insta::assert_snapshot!("aws_compute_text", render_text(&r, false));
    insta::assert_snapshot!("aws_compute_markdown", render_markdown_table(&r, 10));
    insta::assert_json_snapshot!("aws_compute_json", r);
}

#[test]
fn changes() {
    let r = report("cost/changes/plan.json", None);
    insta::assert_snapshot!("changes_text", render_text(&r, false));
    insta::assert_snapshot!("changes_markdown", render_markdown_table(&r, 5));
    insta::assert_snapshot!("changes_json", serde_json::to_string_pretty(&r).expect("json"));
}

#[test]
fn color_only_adds_escapes() {
    let r = report("cost/changes/plan.json", None);
    let colored = render_text(&r, true);
    assert!(colored.contains("\x1b["));
    let mut stripped = String::new();
    let mut chars = colored.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            stripped.push(c);
        }
    }
    assert_eq!(stripped, render_text(&r, false));
}

#[test]
fn a_cut_markdown_table_shows_the_top_rows_of_the_whole_one() {
    for plan in ["cost/changes/plan.json", "cost/aws-compute/plan.json"] {
        let r = report(plan, None);
        let whole = render_markdown_table(&r, usize::MAX);
        let rows: Vec<&str> = whole
            .lines()
            .skip(2)
            .take_while(|l| !l.starts_with("| **Total**"))
            .collect();
        assert!(rows.len() >= 3, "{plan}: {whole}");
        for max in 0..=rows.len() {
            let cut = render_markdown_table(&r, max);
            let shown: Vec<&str> = cut.lines().skip(2).take(max).collect();
            assert_eq!(shown, rows[..max], "{plan}, {max} rows");
        }
    }
}
