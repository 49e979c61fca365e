//! Compares the HTML report's layout (longest-path layers + barycentre sweeps) with the
//! `rust-sugiyama` crate on the same drawn graph: crossings, time, determinism.
//! Not built by default (rust-sugiyama is no dependency): add `rust-sugiyama = "0.4"` to
//! benches/Cargo.toml [dev-dependencies], copy this file to benches/examples/, then
//! `cargo run -p planguard-bench --example layout_compare -- PLAN.json...`

/// Crossings between consecutive layers, long edges followed through every layer they span
/// (as straight lines): `layer` and `position` per node, `edges` as node pairs.
fn crossings(layer: &[usize], position: &[f64], edges: &[(usize, usize)]) -> usize {
    let mut gaps: std::collections::BTreeMap<usize, Vec<(f64, f64)>> = Default::default();
    for &(a, b) in edges {
        let (low, high) = if layer[a] <= layer[b] { (a, b) } else { (b, a) };
        let (la, lb) = (layer[low], layer[high]);
        if la == lb {
            continue;
        }
        let (pa, pb) = (position[low], position[high]);
        for l in la..lb {
            let at = |t: usize| pa + (pb - pa) * (t - la) as f64 / (lb - la) as f64;
            gaps.entry(l).or_default().push((at(l), at(l + 1)));
        }
    }
    let mut total = 0;
    for (_, mut segs) in gaps {
        segs.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
        // Pairs with start strictly before and end strictly after: an O(n log n) merge count
        // would do, but n per gap is small enough for the quadratic one here.
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                if segs[i].0 < segs[j].0 && segs[i].1 > segs[j].1 {
                    total += 1;
                }
            }
        }
    }
    total
}

/// This thread's time on a CPU so far (the machine is shared: wall time says little).
fn on_cpu() -> std::time::Duration {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns = text
        .split_whitespace()
        .next()
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    std::time::Duration::from_nanos(ns)
}

fn main() {
    for path in std::env::args().skip(1) {
        let document = planguard_plan::Document::open(std::path::Path::new(&path)).expect("read");
        let loaded =
            planguard_plan::parse_document(document, std::path::Path::new(&path), &Default::default()).expect("parse");
        let graph = planguard_graph::Graph::build(&loaded.plan, &Default::default())
            .expect("graph")
            .graph;

        let started = on_cpu();
        let (positions, edges) = planguard::render::html::layout_positions(&graph);
        let ours_time = on_cpu() - started;
        let layer: Vec<usize> = positions
            .iter()
            .map(|p| ((p.0 - 30.0) / 270.0).round() as usize)
            .collect();
        let position: Vec<f64> = positions.iter().map(|p| p.1).collect();
        let ours = crossings(&layer, &position, &edges);
        println!(
            "{path}: ours: {ours} crossings, {:.1} ms on CPU",
            ours_time.as_secs_f64() * 1000.0
        );
        let (before, after) = planguard::render::html::layout_crossings(&graph);
        println!("{path}: ours by rank (address order -> sweeps): {before} -> {after}");
        let again = planguard::render::html::layout_positions(&graph);
        let ours_same = again.0 == positions;

        let vertices: Vec<(u32, (f64, f64))> = (0..positions.len() as u32).map(|v| (v, (230.0, 28.0))).collect();
        let sugiyama_edges: Vec<(u32, u32)> = edges.iter().map(|&(a, b)| (b as u32, a as u32)).collect();
        let config = rust_sugiyama::configure::Config::default();
        let started = on_cpu();
        let layouts = rust_sugiyama::from_vertices_and_edges(&vertices, &sugiyama_edges, &config);
        let theirs_time = on_cpu() - started;
        let flatten = |layouts: &Vec<(Vec<(usize, (f64, f64))>, f64, f64)>| {
            let mut at = vec![(0usize, 0.0f64, 0usize); positions.len()];
            for (component, (nodes, _, _)) in layouts.iter().enumerate() {
                let mut ys: Vec<i64> = nodes.iter().map(|(_, (_, y))| y.round() as i64).collect();
                ys.sort_unstable();
                ys.dedup();
                for &(v, (x, y)) in nodes {
                    let l = ys.binary_search(&(y.round() as i64)).unwrap_or(0);
                    at[v] = (l, x, component);
                }
            }
            at
        };
        let at = flatten(&layouts);
        // Crossings inside each component (components sit apart and cross nothing).
        let mut theirs = 0;
        for component in 0..layouts.len() {
            let keep: Vec<(usize, usize)> = edges.iter().copied().filter(|&(a, _)| at[a].2 == component).collect();
            let layer: Vec<usize> = at.iter().map(|a| a.0).collect();
            let position: Vec<f64> = at.iter().map(|a| a.1).collect();
            theirs += crossings(&layer, &position, &keep);
        }
        println!(
            "{path}: rust-sugiyama first run done: {} crossings, {:.1} ms on CPU",
            theirs,
            theirs_time.as_secs_f64() * 1000.0
        );
        let second = rust_sugiyama::from_vertices_and_edges(&vertices, &sugiyama_edges, &config);
        let theirs_same = flatten(&second)
            .iter()
            .zip(&at)
            .all(|(a, b)| a.0 == b.0 && (a.1 - b.1).abs() < 1e-9 && a.2 == b.2);
        // A fingerprint of the layout, to compare separate runs (processes).
        let fingerprint = at.iter().enumerate().fold(0xcbf2_9ce4_8422_2325u64, |h, (v, a)| {
            let mut h = h;
            for part in [v as u64, a.0 as u64, (a.1 * 1000.0).round() as i64 as u64, a.2 as u64] {
                h = (h ^ part).wrapping_mul(0x0100_0000_01b3);
            }
            h
        });
        println!("{path}: rust-sugiyama layout fingerprint {fingerprint:016x}");
        let layers_theirs = at.iter().map(|a| a.0).max().unwrap_or(0) + 1;
        let layers_ours = layer.iter().max().unwrap_or(&0) + 1;
        println!(
            "{path}: {} drawn nodes, {} edges | ours: {layers_ours} layers, {ours} crossings, {:.1} ms on CPU, same twice: {ours_same} | rust-sugiyama: {} components, {layers_theirs} layers, {theirs} crossings, {:.1} ms on CPU, same twice: {theirs_same}",
            positions.len(),
            edges.len(),
            ours_time.as_secs_f64() * 1000.0,
            layouts.len(),
            theirs_time.as_secs_f64() * 1000.0,
        );
    }
}
