//! `cargo run -p planguard-cost --example estimate -- PLAN.json [USAGE.yml] [--json|--md]`:
//! prints the cost report of a plan (a development aid; the CLI is `planguard`).

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(plan_path) = args.first() else {
        eprintln!("usage: estimate PLAN.json [USAGE.yml] [--json|--md]");
        return ExitCode::from(2);
    };
    let loaded = match planguard_plan::load_file(Path::new(plan_path), &Default::default()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let usage = match args.iter().skip(1).find(|a| !a.starts_with("--")) {
        Some(p) => match planguard_cost::Usage::from_path(p) {
            Ok(u) => Some(u),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let cpu0 = cpu_seconds();
    let start = std::time::Instant::now();
    let report = match planguard_cost::estimate(&loaded.plan, planguard_cost::Catalog::embedded(), usage.as_ref()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let elapsed = start.elapsed();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else if args.iter().any(|a| a == "--md") {
        print!("{}", planguard_cost::render_markdown_table(&report, 20));
    } else if args.iter().any(|a| a == "--time") {
        println!(
            "{} resources priced in {:.3} s wall, {:.2} s CPU on {} threads",
            report.resources.len(),
            elapsed.as_secs_f64(),
            cpu.unwrap_or(f64::NAN),
            rayon::current_num_threads()
        );
    } else {
        print!("{}", planguard_cost::render_text(&report, false));
    }
    ExitCode::SUCCESS
}

/// CPU time (user + system) of this process in seconds, from /proc (Linux).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
