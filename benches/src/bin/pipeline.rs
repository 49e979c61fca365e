//! `pipeline`: runs planguard's stages once over one plan and prints how long each took
//! and the process's resident memory after it, for profiling (`perf record`, `valgrind`)
//! and for peak memory (`/usr/bin/time -v`).
//!
//! ```text
//! pipeline PLAN.json [--stages read,value,parse,graph,rules,cost,analyze,render]
//! pipeline --resources 10000 --stages parse,analyze,render-json
//! ```
//!
//! Stages run in the order given; `read` and `parse` are done first whenever a later stage
//! needs them. `value` is the baseline: `serde_json::from_slice::<serde_json::Value>` of the
//! same bytes, dropped before the next stage. `values` is one serial pass of
//! `ResourceChange::values()` over every resource change (what each stage that reads
//! attribute values pays per pass). `render` renders every report format,
//! `render-json` only the JSON report (what `planguard check --format json` writes).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::Parser;

#[derive(Parser)]
#[command(name = "pipeline", about = "run planguard's stages once and time them")]
struct Cli {
    /// The plan file (or use --resources for a cached synthetic plan).
    plan: Option<PathBuf>,
    /// Use the cached synthetic plan with this many resources.
    #[arg(long, conflicts_with = "plan")]
    resources: Option<usize>,
    /// Generator seed for --resources.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Comma-separated stages: read, skip, value, parse, values, graph, impact, rules, cost,
    /// analyze, render, render-json.
    #[arg(long, default_value = "read,value,parse,graph,rules,cost,analyze,render")]
    stages: String,
    /// Run the stage list this many times (timings of the last run are printed).
    #[arg(long, default_value_t = 1)]
    repeat: usize,
}

/// `VmRSS` and `VmHWM` of this process in MB (Linux).
fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// User plus system CPU time of this process (all threads), from `/proc/self/stat`, in
/// clock ticks of 10 ms (Linux's `USER_HZ` is 100).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

struct Row {
    name: String,
    wall: Duration,
    cpu: Duration,
    rss: f64,
    hwm: f64,
}

struct Timer {
    bytes: usize,
    rows: Vec<Row>,
}

impl Timer {
    fn run<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let cpu = cpu_time();
        let start = Instant::now();
        let out = f();
        let wall = start.elapsed();
        let cpu = cpu_time().saturating_sub(cpu);
        let (rss, hwm) = rss_mb();
        self.rows.push(Row {
            name: name.to_string(),
            wall,
            cpu,
            rss,
            hwm,
        });
        out
    }

    fn print(&self) {
        let mb = self.bytes as f64 / 1e6;
        eprintln!("plan: {:.1} MB", mb);
        eprintln!(
            "{:<13} {:>9} {:>9} {:>7} {:>9} {:>9}",
            "stage", "ms", "MB/s", "cores", "rss MB", "peak MB"
        );
        let mut total = Duration::ZERO;
        for r in &self.rows {
            total += r.wall;
            let secs = r.wall.as_secs_f64();
            eprintln!(
                "{:<13} {:>9.1} {:>9.1} {:>7.2} {:>9.1} {:>9.1}",
                r.name,
                secs * 1e3,
                mb / secs,
                r.cpu.as_secs_f64() / secs,
                r.rss,
                r.hwm
            );
        }
        eprintln!("{:<13} {:>9.1}", "total", total.as_secs_f64() * 1e3);
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let path = match (&cli.plan, cli.resources) {
        (Some(p), _) => p.clone(),
        (None, Some(n)) => match planguard_bench::plans::cached_path(n, cli.seed) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("pipeline: generating the plan: {e}");
                return ExitCode::FAILURE;
            }
        },
        (None, None) => {
            eprintln!("pipeline: give a plan file or --resources N");
            return ExitCode::FAILURE;
        }
    };
    let stages: Vec<&str> = cli.stages.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    let mut timer = Timer {
        bytes: 0,
        rows: Vec::new(),
    };
    for _ in 0..cli.repeat.max(1) {
        timer.rows.clear();
        if let Err(e) = run(&path, &stages, &mut timer) {
            eprintln!("pipeline: {e}");
            return ExitCode::FAILURE;
        }
    }
    timer.print();
    ExitCode::SUCCESS
}

fn run(path: &Path, stages: &[&str], timer: &mut Timer) -> Result<(), String> {
    // As the CLI reads: mapped, so `read` costs little and the page faults land in `parse`.
    let bytes = timer
        .run("read", || planguard_plan::Document::open(path))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    timer.bytes = bytes.bytes().len();
    // The plan's values point into the document: it lives as long as they do anyway.
    let bytes = Some(bytes);
    let mut plan = None;
    for stage in stages {
        match *stage {
            "read" => {}
            "skip" => {
                // The floor of any serial serde_json pass: validating and skipping every byte.
                let b = bytes.as_deref().ok_or("the bytes were dropped")?.bytes();
                let r = timer.run("skip", || serde_json::from_slice::<serde::de::IgnoredAny>(b));
                r.map_err(|e| e.to_string())?;
            }
            "value" => {
                let b = bytes.as_deref().ok_or("the bytes were dropped")?.bytes();
                let v = timer.run("value", || serde_json::from_slice::<serde_json::Value>(b));
                let v = v.map_err(|e| e.to_string())?;
                timer.run("value-drop", || drop(black_box(v)));
            }
            _ => {
                if plan.is_none() {
                    let document = bytes.as_ref().ok_or("the bytes were dropped")?;
                    let loaded = timer
                        .run("parse", || {
                            planguard_plan::parse_document(std::sync::Arc::clone(document), path, &Default::default())
                        })
                        .map_err(|e| e.to_string())?;
                    plan = Some(loaded.plan);
                }
                let plan = plan.as_ref().expect("parsed above");
                stage_on_plan(stage, plan, path, timer)?;
            }
        }
    }
    Ok(())
}

fn stage_on_plan(stage: &str, plan: &planguard_plan::Plan, path: &Path, timer: &mut Timer) -> Result<(), String> {
    match stage {
        "parse" => {}
        "values" => {
            let n = timer.run("values", || {
                let mut n = 0usize;
                for rc in &plan.resource_changes {
                    if let Ok(v) = rc.values() {
                        black_box(&v);
                        n += 1;
                    }
                }
                n
            });
            black_box(n);
        }
        "graph" => {
            let built = timer
                .run("graph", || {
                    planguard_graph::Graph::build(plan, &planguard_graph::GraphOptions::default())
                })
                .map_err(|e| e.to_string())?;
            black_box(&built);
        }
        "impact" => {
            // What `Analyzer::analyze` does with the graph after building it: the changes in
            // dependency order with their blast radius, and the Mermaid view of changed nodes.
            let graph = planguard_graph::Graph::build(plan, &planguard_graph::GraphOptions::default())
                .map_err(|e| e.to_string())?
                .graph;
            let order = timer.run("topo", || graph.topological_changes()).unwrap_or_default();
            let reached = timer.run("blast-radius", || {
                order
                    .iter()
                    .filter(|&&id| graph.node(id).change_index.is_some())
                    .map(|&id| graph.blast_radius(id).nodes.len())
                    .sum::<usize>()
            });
            eprintln!("impact: {} changes, {reached} nodes reached", order.len());
            let mermaid = timer.run("mermaid", || {
                graph.to_mermaid(&planguard_graph::View {
                    changed_only: true,
                    ..planguard_graph::View::default()
                })
            });
            black_box(mermaid.len());
            timer.run("graph-drop", || drop(graph));
        }
        "rules" => {
            let rules = planguard_rules::RuleSet::builtin().map_err(|e| e.to_string())?;
            let built = planguard_graph::Graph::build(plan, &planguard_graph::GraphOptions::default())
                .map_err(|e| e.to_string())?;
            let eval = timer
                .run("rules", || {
                    planguard_rules::evaluate(
                        plan,
                        Some(&built.graph),
                        &rules,
                        &planguard_rules::EvalOptions::default(),
                    )
                })
                .map_err(|e| e.to_string())?;
            eprintln!("rules: {} findings", eval.findings.len());
        }
        #[cfg(feature = "cost")]
        "cost" => {
            let catalog = planguard_cost::Catalog::embedded();
            let cost = timer
                .run("cost", || planguard_cost::estimate(plan, catalog, None))
                .map_err(|e| e.to_string())?;
            black_box(&cost);
        }
        #[cfg(feature = "facade")]
        "analyze" | "render" | "render-json" => {
            let analyzer = planguard::Analyzer::builder().build().map_err(|e| e.to_string())?;
            let file = path.display().to_string();
            let report = timer
                .run("analyze", || analyzer.analyze(plan, &file))
                .map_err(|e| e.to_string())?;
            eprintln!("analyze: {} findings", report.findings.len());
            if stage == "analyze" {
                return Ok(());
            }
            let outcomes = vec![planguard::render::Outcome::Analyzed(Box::new(report))];
            let json = timer.run("render-json", || planguard::render::render_json(&outcomes));
            black_box(json.len());
            if stage == "render" {
                let text = timer.run("render-text", || {
                    planguard::render::check::render(
                        &outcomes,
                        analyzer.rules(),
                        planguard::style::Painter::new(false),
                        false,
                    )
                });
                black_box(text.len());
                let md = timer.run("render-md", || planguard::render::markdown::render(&outcomes));
                black_box(md.len());
                let locator = planguard::render::Locator::new(Path::new("."));
                let sarif = timer.run("render-sarif", || {
                    planguard::render::sarif::render(&outcomes, analyzer.rules(), &locator)
                });
                black_box(sarif.len());
                let junit = timer.run("render-junit", || planguard::render::junit::render(&outcomes));
                black_box(junit.len());
            }
        }
        other => {
            if cfg!(not(feature = "facade")) && matches!(other, "cost" | "analyze" | "render" | "render-json") {
                eprintln!("pipeline: stage `{other}` needs a feature this build lacks; skipped");
                return Ok(());
            }
            return Err(format!("unknown stage `{other}`"));
        }
    }
    let _ = path;
    Ok(())
}

// The CLI's allocator, so that stage times and memory are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
