//! Builds and renders the graph of every plan in the shared corpus of real plans
//! (`../shared/corpus` from the repository root, or `$PLANGUARD_CORPUS`): no panic, warnings
//! are fine. Skips with a message when the corpus is absent, fails when it is absent under CI.

use planguard_graph::{Graph, GraphOptions, View};
use planguard_plan::{load_file, LoadOptions};

#[test]
fn every_corpus_plan_builds_and_renders() {
    let Some(dir) = planguard_plan::corpus::dir_for_tests() else {
        return;
    };
    let files = planguard_plan::corpus::json_files(&dir);
    let (mut built_count, mut nodes, mut edges, mut with_warnings) = (0, 0, 0, 0);
    for path in &files {
        // Files the plan loader rejects (the deliberately broken `odd/` ones) have no graph.
        let Ok(loaded) = load_file(path, &LoadOptions::default()) else {
            continue;
        };
        let built =
            Graph::build(&loaded.plan, &GraphOptions::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let g = &built.graph;
        built_count += 1;
        nodes += g.len();
        edges += g.edge_count();
        if !built.warnings.is_empty() {
            with_warnings += 1;
        }
        let view = View::default();
        for text in [g.to_text(&view), g.to_dot(&view), g.to_mermaid(&view), g.to_json(&view)] {
            assert!(!text.is_empty(), "{}", path.display());
        }
        let changed = View {
            changed_only: true,
            ..View::default()
        };
        let _ = g.to_mermaid(&changed);
        let _ = g.topological_changes();
        for (id, node) in g.nodes() {
            if node.is_change() {
                let radius = g.blast_radius(id);
                assert!(
                    !radius.nodes.contains(&id) || !g.cycles().is_empty(),
                    "{}",
                    path.display()
                );
                // The precomputed worst action and the capped walk agree with the full walk.
                assert_eq!(g.worst_reachable_action(id), radius.worst_action, "{}", path.display());
                for cap in [0, 1, 3, usize::MAX] {
                    let capped = g.blast_radius_capped(id, cap);
                    assert_eq!(capped.capped, radius.nodes.len() > cap, "{}", path.display());
                    if !capped.capped {
                        assert_eq!(capped.nodes, radius.nodes, "{}", path.display());
                    } else {
                        assert_eq!(capped.nodes.len(), cap, "{}", path.display());
                        assert!(
                            capped.nodes.iter().all(|n| radius.nodes.contains(n)),
                            "{}",
                            path.display()
                        );
                    }
                }
            }
            if node.kind.is_resource() {
                let _ = g.resource_dependencies(id);
                let _ = g.resource_dependents(id);
            }
        }
    }
    println!(
        "corpus: {built_count} of {} files built ({nodes} nodes, {edges} edges; {with_warnings} with warnings)",
        files.len()
    );
    assert!(built_count > 0);
}
