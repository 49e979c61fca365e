//! Embedding planguard in another tool: analyse a plan against a configuration given in code
//! and act on the verdict.
//!
//! ```sh
//! cargo run -p planguard --example embed -- fixtures/terraform/aws-network/plan.json
//! ```

use std::path::Path;
use std::process::ExitCode;

use planguard::{Analyzer, Config, Verdict};

const CONFIG: &str = r#"
version: 1
guardrails:
  - name: no-critical
    type: policy
    severity: critical
  - name: budget
    type: cost
    mode: warn
    max_monthly_increase: 250
"#;

fn main() -> ExitCode {
    let Some(plan) = std::env::args().nth(1) else {
        eprintln!("usage: embed PLAN.json");
        return ExitCode::from(2);
    };
    let config = match Config::from_str_at(CONFIG, Path::new("embedded-config.yaml")) {
        Ok(config) => config,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let analyzer = match Analyzer::builder().config(config).build() {
        Ok(analyzer) => analyzer,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let report = match analyzer.analyze_file(Path::new(&plan)) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "{}: {} changes, {} findings, monthly cost {:+.2} {}",
        report.file,
        report.impact.changes.len(),
        report.findings.len(),
        report.cost.monthly_delta,
        report.cost.currency
    );
    for guardrail in &report.guardrails {
        println!(
            "  {:<12} {}",
            guardrail.name,
            if guardrail.passed { "passed" } else { "failed" }
        );
    }
    match report.verdict {
        Verdict::Fail => ExitCode::from(1),
        Verdict::Warn | Verdict::Pass => ExitCode::SUCCESS,
    }
}
