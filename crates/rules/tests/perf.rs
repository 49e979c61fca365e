//! A one-off measurement, not a benchmark (those live in `benches/`): the whole built-in pack
//! over a large plan.
//!
//! ```sh
//! cargo run -p planguard-bench -- gen --resources 100000 --seed 1 --out /tmp/plan100k.json
//! PLANGUARD_PERF_PLAN=/tmp/plan100k.json RAYON_NUM_THREADS=2 \
//!   cargo test -p planguard-rules --release --test perf -- --ignored --nocapture
//! ```

use std::path::PathBuf;
use std::time::Instant;

use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{load_file, LoadOptions};
use planguard_rules::{evaluate, EvalOptions, RuleSet};

#[test]
#[ignore = "a measurement; needs PLANGUARD_PERF_PLAN"]
fn builtin_pack_on_a_large_plan() {
    let Some(path) = std::env::var_os("PLANGUARD_PERF_PLAN").map(PathBuf::from) else {
        eprintln!("SKIPPED: set PLANGUARD_PERF_PLAN to a plan file");
        return;
    };
    let t = Instant::now();
    let plan = load_file(&path, &LoadOptions::default()).unwrap().plan;
    eprintln!(
        "load: {:?} ({} resource changes)",
        t.elapsed(),
        plan.resource_changes.len()
    );
    let t = Instant::now();
    let graph = Graph::build(&plan, &GraphOptions::default()).unwrap().graph;
    eprintln!("graph: {:?}", t.elapsed());
    let rules = RuleSet::builtin().unwrap();
    let options = EvalOptions {
        record_evaluated: true,
        ..EvalOptions::default()
    };
    if std::env::var_os("PLANGUARD_PERF_PER_RULE").is_some() {
        let t = Instant::now();
        let fallback = planguard_rules::ConfigRelations::build(&plan);
        eprintln!("config relations: {:?}", t.elapsed());
        for id in ["AWS-EC2-005", "AWS-EC2-004", "AZURE-NET-002", "AWS-EC2-001"] {
            let Ok(only) = rules.only(&[id]) else { continue };
            for (name, rel) in [
                ("graph", &graph as &dyn planguard_rules::Relations),
                ("config", &fallback as &dyn planguard_rules::Relations),
            ] {
                let t = Instant::now();
                let e = evaluate(&plan, Some(rel), &only, &options).unwrap();
                eprintln!("  {id} with {name}: {:?} ({} findings)", t.elapsed(), e.findings.len());
            }
        }
        let t = Instant::now();
        evaluate(&plan, Some(&graph), &RuleSet::default(), &options).unwrap();
        eprintln!("  no rules: {:?}", t.elapsed());
        let mut times = Vec::new();
        for meta in rules.rules() {
            let only = rules.only(&[&*meta.id]).unwrap();
            let t = Instant::now();
            let evaluation = evaluate(&plan, Some(&graph), &only, &options).unwrap();
            times.push((t.elapsed(), meta.id.clone(), evaluation.evaluated_count));
        }
        times.sort();
        for (elapsed, id, count) in times.iter().rev().take(12) {
            eprintln!("  {id}: {elapsed:?} over {count} resources");
        }
    }
    {
        use rayon::prelude::*;
        let types: std::collections::HashSet<&str> = rules
            .rules()
            .flat_map(|m| m.resource_types.iter().map(String::as_str))
            .collect();
        let t = Instant::now();
        let parsed: usize = plan
            .resource_changes
            .par_iter()
            .filter(|c| types.contains(c.resource_type.as_str()) && c.action().is_change())
            .map(|c| c.values().map(|v| v.after.is_object() as usize).unwrap_or(0))
            .sum();
        eprintln!(
            "parse values of {parsed} changed resources of the rules' types: {:?}",
            t.elapsed()
        );
    }
    if let Ok(ids) = std::env::var("PLANGUARD_PERF_RULES") {
        let ids: Vec<&str> = ids.split(',').collect();
        let some = rules.only(&ids).unwrap();
        for _ in 0..3 {
            let t = Instant::now();
            let evaluation = evaluate(&plan, Some(&graph), &some, &options).unwrap();
            eprintln!(
                "evaluate {} chosen rules: {:?} ({} pairs, {} findings)",
                some.len(),
                t.elapsed(),
                evaluation.evaluated_count,
                evaluation.findings.len()
            );
        }
    }
    let yaml_ids: Vec<String> = rules
        .rules()
        .filter(|m| !matches!(m.source, planguard_rules::RuleSource::Rust { .. }))
        .map(|m| m.id.to_string())
        .collect();
    let yaml = rules.only(&yaml_ids).unwrap();
    let local_ids: Vec<String> = yaml
        .rules()
        .filter(|m| !m.uses_graph)
        .map(|m| m.id.to_string())
        .collect();
    let local = rules.only(&local_ids).unwrap();
    let t = Instant::now();
    let evaluation = evaluate(&plan, Some(&graph), &local, &options).unwrap();
    eprintln!(
        "evaluate the {} YAML rules without `related`: {:?} ({} pairs)",
        local.len(),
        t.elapsed(),
        evaluation.evaluated_count
    );
    let repeat = if std::env::var_os("PLANGUARD_PERF_YAML_ONLY").is_some() {
        8
    } else {
        2
    };
    for _ in 0..repeat {
        let t = Instant::now();
        let evaluation = evaluate(&plan, Some(&graph), &yaml, &options).unwrap();
        eprintln!(
            "evaluate the {} YAML rules: {:?} ({} pairs)",
            yaml.len(),
            t.elapsed(),
            evaluation.evaluated_count
        );
    }
    if std::env::var_os("PLANGUARD_PERF_YAML_ONLY").is_some() {
        return;
    }
    for run in 0..3 {
        let t = Instant::now();
        let evaluation = evaluate(&plan, Some(&graph), &rules, &options).unwrap();
        eprintln!(
            "evaluate #{run}: {:?} on {} threads: {} rules, {} (rule, resource) pairs, {} findings ({} unknown)",
            t.elapsed(),
            rayon::current_num_threads(),
            rules.len(),
            evaluation.evaluated_count,
            evaluation.findings.len(),
            evaluation
                .findings
                .iter()
                .filter(|f| f.status == planguard_rules::Status::Unknown)
                .count()
        );
    }
}
