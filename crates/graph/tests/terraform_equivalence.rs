//! For every fixture under `fixtures/terraform/`, planguard's graph (built from `plan.json` with
//! the fixture as source directory) reduced to configuration-level resource-to-resource edges
//! must equal the edges of `graph.dot`, which `terraform graph` (Terraform 1.11) wrote: the
//! transitive reduction of the resource dependencies, followed through variables, locals,
//! outputs, module calls and providers.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{load_file, Address, LoadOptions};

type Edges = BTreeSet<(String, String)>;

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/terraform")
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("plan.json").is_file() && p.join("graph.dot").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// Edges of a `terraform graph` DOT file, normalised.
fn dot_edges(text: &str) -> Edges {
    fn clean(s: &str) -> String {
        let s = s.trim().trim_end_matches(';').trim();
        let s = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s);
        let s = s.replace("\\\"", "\"");
        let s = s.strip_prefix("[root] ").unwrap_or(&s).to_string();
        s.trim_end_matches(" (expand)").trim_end_matches(" (close)").to_string()
    }
    text.lines()
        .filter_map(|line| line.split_once(" -> "))
        .map(|(a, b)| (clean(a), clean(b)))
        .collect()
}

/// Configuration address of a resource node (instance keys dropped everywhere).
fn config_address(address: &str) -> Option<String> {
    Address::parse(address).ok().map(|a| a.config_address())
}

/// planguard's graph reduced to configuration-level resource edges.
fn planguard_edges(graph: &Graph) -> Edges {
    let mut edges = Edges::new();
    for (id, node) in graph.nodes() {
        if !node.kind.is_resource() || node.dangling {
            continue;
        }
        let Some(from) = config_address(&node.address) else {
            continue;
        };
        for (dep, _) in graph.resource_dependencies(id) {
            if let Some(to) = config_address(&graph.node(dep).address) {
                if to != from {
                    edges.insert((from.clone(), to));
                }
            }
        }
    }
    transitive_reduction(&edges)
}

fn transitive_reduction(edges: &Edges) -> Edges {
    let mut succ: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (a, b) in edges {
        succ.entry(a).or_default().insert(b);
    }
    let reaches = |from: &str, to: &str, skip: (&str, &str)| -> bool {
        let mut stack = vec![from];
        let mut seen = BTreeSet::new();
        while let Some(n) = stack.pop() {
            for &m in succ.get(n).into_iter().flatten() {
                if (n, m) == skip {
                    continue;
                }
                if m == to {
                    return true;
                }
                if seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        false
    };
    edges.iter().filter(|(a, b)| !reaches(a, b, (a, b))).cloned().collect()
}

/// Known differences, per fixture: (edge, only in planguard?, reason).
const KNOWN_DIFFERENCES: &[(&str, &str, &str, bool, &str)] = &[];

#[test]
fn graphs_match_terraform_graph() {
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 7, "fixtures missing under {}", fixtures_root().display());
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let loaded = load_file(&dir.join("plan.json"), &LoadOptions::default()).unwrap();
        let built = Graph::build(
            &loaded.plan,
            &GraphOptions {
                source_dir: Some(dir.clone()),
            },
        )
        .unwrap();
        let ours = planguard_edges(&built.graph);
        let theirs = dot_edges(&std::fs::read_to_string(dir.join("graph.dot")).unwrap());
        let mut only_ours: Edges = ours.difference(&theirs).cloned().collect();
        let mut only_theirs: Edges = theirs.difference(&ours).cloned().collect();
        for (fixture, from, to, ours_side, _reason) in KNOWN_DIFFERENCES {
            if *fixture == name {
                let e = (from.to_string(), to.to_string());
                if *ours_side {
                    only_ours.remove(&e);
                } else {
                    only_theirs.remove(&e);
                }
            }
        }
        println!(
            "{name}: terraform {} edges, planguard {} edges, {} only in planguard, {} only in terraform; warnings: {:?}",
            theirs.len(),
            ours.len(),
            only_ours.len(),
            only_theirs.len(),
            built.warnings.iter().map(|w| w.code).collect::<Vec<_>>()
        );
        if !only_ours.is_empty() || !only_theirs.is_empty() {
            failures.push(format!(
                "{name}:\n  only planguard: {only_ours:#?}\n  only terraform: {only_theirs:#?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "graphs differ from terraform graph:\n{}",
        failures.join("\n")
    );
}
