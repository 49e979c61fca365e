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
    let start = std::time::Instant::now();
    let report = match planguard_cost::estimate(&loaded.plan, planguard_cost::Catalog::embedded(), usage.as_ref()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let elapsed = start.elapsed();
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else if args.iter().any(|a| a == "--md") {
        print!("{}", planguard_cost::render_markdown_table(&report, 20));
    } else if args.iter().any(|a| a == "--time") {
        println!("{} resources priced in {:?}", report.resources.len(), elapsed);
    } else {
        print!("{}", planguard_cost::render_text(&report, false));
    }
    ExitCode::SUCCESS
}
