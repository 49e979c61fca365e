//! Snapshots of every output format on Terraform fixtures. Review `.snap` changes by eye.

use std::path::Path;

use planguard_graph::{Graph, GraphOptions, View};
use planguard_plan::{load_file, LoadOptions};

fn graph(name: &str) -> Graph {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/terraform")
        .join(name);
    let plan = load_file(&dir.join("plan.json"), &LoadOptions::default()).unwrap().plan;
    Graph::build(&plan, &GraphOptions { source_dir: Some(dir) })
        .unwrap()
        .graph
}

#[test]
fn modules_all_formats() {
    let g = graph("modules");
    let v = View::default();
    insta::assert_snapshot!("modules_text", g.to_text(&v));
    insta::assert_snapshot!("modules_dot", g.to_dot(&v));
    insta::assert_snapshot!("modules_mermaid", g.to_mermaid(&v));
    insta::assert_snapshot!("modules_json", g.to_json(&v));
}

#[test]
fn changes_every_action() {
    let g = graph("changes");
    let v = View::default();
    insta::assert_snapshot!("changes_text", g.to_text(&v));
    insta::assert_snapshot!("changes_mermaid", g.to_mermaid(&v));
    insta::assert_snapshot!(
        "changes_dot_changed_only",
        g.to_dot(&View {
            changed_only: true,
            ..View::default()
        })
    );
}

#[test]
fn basic_quoted_keys() {
    let g = graph("basic");
    let v = View::default();
    insta::assert_snapshot!("basic_mermaid", g.to_mermaid(&v));
    insta::assert_snapshot!(
        "basic_text_depth_1",
        g.to_text(&View {
            depth: Some(1),
            ..View::default()
        })
    );
}
