//! Criterion benchmarks of every planguard stage on synthetic plans of 1k and 10k resources
//! (and 100k with `PLANGUARD_BENCH_100K=1`), in MB/s of plan JSON, beside the floor any
//! serde-based reader stands on: `serde_json::from_slice::<serde_json::Value>` of the same
//! bytes (`value`).
//!
//! ```text
//! cargo bench -p planguard-bench --bench stages                 # 1k and 10k
//! PLANGUARD_BENCH_100K=1 cargo bench -p planguard-bench --bench stages -- /100k
//! PLANGUARD_BENCH_SIZES=2000,20000 cargo bench -p planguard-bench --bench stages
//! ```
//!
//! Benchmark ids are `STAGE/SIZE`:
//!
//! | stage | what is timed |
//! |-------|---------------|
//! | `value` | `serde_json::from_slice::<Value>` (baseline) |
//! | `parse` | `planguard_plan::parse_document` into the typed [`Plan`] (the bytes in memory, shared by the plan's values as the CLI's memory map is) |
//! | `values` | one serial pass of `ResourceChange::values()` over every resource change (each stage reading attribute values pays this per pass) |
//! | `summary` | `planguard_plan::Summary::of` |
//! | `graph` | `planguard_graph::Graph::build` |
//! | `rules` | `planguard_rules::evaluate` with the built-in rule pack, given the graph |
//! | `cost` | `planguard_cost::estimate` with the embedded catalog |
//! | `analyze` | `planguard::Analyzer::analyze` (graph, rules, cost, summary, guardrails, impact) on a parsed plan |
//! | `check` | bytes to JSON report: `parse_document` + `analyze` + `render_json` (`planguard check --format json` without the file read) |
//! | `render_json`, `render_text`, `render_markdown`, `render_sarif`, `render_junit` | one renderer on the report |
//!
//! Outputs are dropped outside the timed region (`BatchSize::PerIteration`), for the baseline
//! as for the stages. Plans are cached under `target/bench-plans/` (see
//! [`planguard_bench::plans`]).

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkGroup, Criterion, SamplingMode, Throughput};
use planguard_bench::plans;
use planguard_plan::{Document, Plan};

/// One benchmarked plan and everything later stages take as input.
struct Input {
    label: String,
    bytes: Arc<Document>,
    plan: Plan,
}

fn sizes() -> Vec<usize> {
    if let Ok(list) = std::env::var("PLANGUARD_BENCH_SIZES") {
        return list.split(',').filter_map(|s| s.trim().parse().ok()).collect();
    }
    let mut sizes = vec![1_000, 10_000];
    if std::env::var_os("PLANGUARD_BENCH_100K").is_some_and(|v| v != "0") {
        sizes.push(100_000);
    }
    sizes
}

fn load(resources: usize) -> Input {
    let bytes = Document::new(plans::cached(resources, 1).expect("generating the synthetic plan"));
    let plan = planguard_plan::parse_document(Arc::clone(&bytes), Path::new("plan.json"), &Default::default())
        .expect("the synthetic plan parses")
        .plan;
    Input {
        label: plans::label(resources),
        bytes,
        plan,
    }
}

/// Sampling suited to one iteration's cost: many quick samples for 1k, ten flat samples of
/// one iteration each for the big plans.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, input: &Input) {
    group.throughput(Throughput::Bytes(input.bytes.bytes().len() as u64));
    if input.bytes.bytes().len() < 8 << 20 {
        group.sampling_mode(SamplingMode::Auto);
        group.sample_size(20);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(4));
    } else {
        group.sampling_mode(SamplingMode::Flat);
        group.sample_size(10);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(if input.bytes.bytes().len() > 100 << 20 {
            20
        } else {
            5
        }));
    }
}

/// Times `f` on `input` as benchmark `stage/SIZE`, dropping its output untimed.
fn bench<O>(c: &mut Criterion, stage: &str, input: &Input, mut f: impl FnMut() -> O) {
    let mut group = c.benchmark_group(stage);
    configure(&mut group, input);
    group.bench_function(&input.label, |b| {
        b.iter_batched(|| (), |()| black_box(f()), BatchSize::PerIteration)
    });
    group.finish();
}

fn stages(c: &mut Criterion) {
    let rules = planguard_rules::RuleSet::builtin().expect("the built-in rules load");
    #[cfg(feature = "facade")]
    let analyzer = planguard::Analyzer::builder()
        .build()
        .expect("the default analyzer builds");
    for resources in sizes() {
        let input = load(resources);
        let path = Path::new("plan.json");

        bench(c, "value", &input, || {
            serde_json::from_slice::<serde_json::Value>(input.bytes.bytes()).expect("valid JSON")
        });
        bench(c, "parse", &input, || {
            planguard_plan::parse_document(Arc::clone(&input.bytes), path, &Default::default()).expect("parses")
        });
        bench(c, "values", &input, || {
            let mut n = 0usize;
            for rc in &input.plan.resource_changes {
                if let Ok(v) = rc.values() {
                    black_box(&v);
                    n += 1;
                }
            }
            n
        });
        bench(c, "summary", &input, || {
            planguard_plan::Summary::of(&input.plan).expect("summary")
        });
        let options = planguard_graph::GraphOptions::default();
        bench(c, "graph", &input, || {
            planguard_graph::Graph::build(&input.plan, &options).expect("builds")
        });
        let graph = planguard_graph::Graph::build(&input.plan, &options)
            .expect("builds")
            .graph;
        let eval_options = planguard_rules::EvalOptions::default();
        bench(c, "rules", &input, || {
            planguard_rules::evaluate(&input.plan, Some(&graph), &rules, &eval_options).expect("evaluates")
        });
        drop(graph);

        #[cfg(feature = "cost")]
        {
            let catalog = planguard_cost::Catalog::embedded();
            bench(c, "cost", &input, || {
                planguard_cost::estimate(&input.plan, catalog, None).expect("estimates")
            });
        }

        #[cfg(feature = "facade")]
        {
            use planguard::render::{self, Outcome};
            bench(c, "analyze", &input, || {
                analyzer.analyze(&input.plan, "plan.json").expect("analyzes")
            });
            bench(c, "check", &input, || {
                let plan = planguard_plan::parse_document(Arc::clone(&input.bytes), path, &Default::default())
                    .expect("parses")
                    .plan;
                let report = analyzer.analyze(&plan, "plan.json").expect("analyzes");
                let outcomes = [Outcome::Analyzed(Box::new(report))];
                let json = render::render_json(&outcomes);
                // Everything made is dropped untimed, as the CLI leaves it to the exit.
                (plan, outcomes, json)
            });
            let report = analyzer.analyze(&input.plan, "plan.json").expect("analyzes");
            let outcomes = vec![Outcome::Analyzed(Box::new(report))];
            bench(c, "render_json", &input, || render::render_json(&outcomes));
            bench(c, "render_text", &input, || {
                render::check::render(
                    &outcomes,
                    analyzer.rules(),
                    planguard::style::Painter::new(false),
                    false,
                )
            });
            bench(c, "render_markdown", &input, || render::markdown::render(&outcomes));
            let locator = render::Locator::new(Path::new(env!("CARGO_MANIFEST_DIR")));
            bench(c, "render_sarif", &input, || {
                render::sarif::render(&outcomes, analyzer.rules(), &locator)
            });
            bench(c, "render_junit", &input, || render::junit::render(&outcomes));
        }
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
