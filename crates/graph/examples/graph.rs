//! Prints a plan's graph: `cargo run -p planguard-graph --example graph -- PLAN.json [SOURCE_DIR] [text|dot|mermaid|json]`.

use std::path::PathBuf;
use std::time::Instant;

use planguard_graph::{Graph, GraphOptions, View};
use planguard_plan::{load_file, LoadOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(plan_path) = args.first() else {
        eprintln!("usage: graph PLAN.json [SOURCE_DIR|-] [text|dot|mermaid|json|time]");
        std::process::exit(2);
    };
    let t0 = Instant::now();
    let loaded = match load_file(&PathBuf::from(plan_path), &LoadOptions::default()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let load = t0.elapsed();
    let source_dir = args.get(1).filter(|s| *s != "-").map(PathBuf::from);
    let t1 = Instant::now();
    let built = match Graph::build(&loaded.plan, &GraphOptions { source_dir }) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let build = t1.elapsed();
    for w in &built.warnings {
        eprintln!("warning[{}]: {}", w.code, w.message);
    }
    let g = &built.graph;
    let view = View::default();
    match args.get(2).map(String::as_str).unwrap_or("text") {
        "dot" => print!("{}", g.to_dot(&view)),
        "mermaid" => print!("{}", g.to_mermaid(&view)),
        "json" => print!("{}", g.to_json(&view)),
        "time" => {
            // Rebuild a few times: the first build also pays for fresh heap pages.
            let mut best = build;
            let mut best_cpu = u64::MAX;
            for _ in 0..3 {
                let t = Instant::now();
                let c = cpu_ns();
                let again = Graph::build(&loaded.plan, &GraphOptions::default());
                best = best.min(t.elapsed());
                best_cpu = best_cpu.min(cpu_ns().saturating_sub(c));
                drop(again);
            }
            println!(
                "best on-CPU build time (this thread, Linux schedstat): {:.1} ms",
                best_cpu as f64 / 1e6
            );
            let t2 = Instant::now();
            let topo = g.topological_changes().map(|v| v.len());
            let topo_time = t2.elapsed();
            println!(
                "resource_changes {} nodes {} edges {} load {:?} build {:?} (best of 4 {:?}) topo {:?} ({:?} changes)",
                loaded.plan.resource_changes.len(),
                g.len(),
                g.edge_count(),
                load,
                build,
                best,
                topo_time,
                topo
            );
        }
        _ => print!("{}", g.to_text(&view)),
    }
}

/// Nanoseconds this thread has run on a CPU (Linux), so that timing ignores time spent waiting
/// for a busy machine's cores; 0 elsewhere.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}
