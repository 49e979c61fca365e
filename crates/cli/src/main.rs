//! The `planguard` command: argument parsing and printing only; everything else lives in the
//! library crates.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use planguard::input::load_plan;
use planguard::plan::{LoadOptions, Loaded, Summary};
use planguard::style::Painter;

/// Exit code: every enforced guardrail passed.
const EXIT_PASS: u8 = 0;
/// Exit code: usage or input error.
const EXIT_ERROR: u8 = 2;

#[derive(Parser)]
#[command(
    name = "planguard",
    version,
    about = "Review a Terraform plan before apply: changes, blast radius, misconfigurations, cost and guardrails",
    long_about = None,
    after_help = "Produce plan JSON with: terraform plan -out=tfplan && terraform show -json tfplan > plan.json\n\
                  Exit codes: 0 pass, 1 guardrail violated, 2 usage or input error."
)]
struct Cli {
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    /// Colour when printing to a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum SummaryFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Print what a plan will do: counts by action, each change, drift and output changes.
    Summary {
        /// The plan JSON (`terraform show -json` output), or `-` for standard input.
        plan: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
        /// Run `terraform show -json` on a binary plan file instead of failing.
        #[arg(long)]
        terraform: bool,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { EXIT_ERROR } else { EXIT_PASS });
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    match run(cli.command, Painter::new(color)) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("planguard: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(command: Command, paint: Painter) -> Result<u8, String> {
    match command {
        Command::Summary { plan, format, terraform } => {
            let loaded = load(&plan, terraform)?;
            let summary = Summary::of(&loaded.plan).map_err(|e| format!("{plan}: {e}"))?;
            let text = match format {
                SummaryFormat::Text => {
                    planguard::render::summary::render_text(&summary, &loaded.origin.display().to_string(), paint)
                }
                SummaryFormat::Json => to_json(&summary)?,
            };
            print(&text)?;
            Ok(EXIT_PASS)
        }
    }
}

fn load(arg: &str, run_terraform: bool) -> Result<Loaded, String> {
    let loaded = load_plan(arg, &LoadOptions { run_terraform }).map_err(|e| e.to_string())?;
    for warning in &loaded.warnings {
        eprintln!("planguard: warning: {}", warning.message);
    }
    Ok(loaded)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string_pretty(value)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| format!("cannot write JSON: {e}"))
}

fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`planguard ... | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}
