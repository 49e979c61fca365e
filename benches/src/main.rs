//! `planguard-bench gen --resources N --seed S [--out FILE]`: writes a synthetic plan.

use clap::{Parser, Subcommand};
use planguard_bench::synth::{generate_to, SynthOptions};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "planguard-bench", about = "planguard benchmark helpers")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Write a deterministic synthetic `terraform show -json` plan.
    Gen {
        /// Number of resource instances (entries in resource_changes).
        #[arg(long, default_value_t = 1000)]
        resources: usize,
        /// PRNG seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output file (stdout when absent).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Print the statistics as JSON on stderr.
        #[arg(long)]
        stats: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.cmd {
        Cmd::Gen {
            resources,
            seed,
            out,
            stats,
        } => {
            let opts = SynthOptions { resources, seed };
            let result = match &out {
                Some(path) => File::create(path).and_then(|f| {
                    let mut w = BufWriter::with_capacity(1 << 20, f);
                    let s = generate_to(&opts, &mut w)?;
                    w.flush()?;
                    Ok(s)
                }),
                None => {
                    let stdout = io::stdout();
                    let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
                    generate_to(&opts, &mut w).and_then(|s| w.flush().map(|_| s))
                }
            };
            match result {
                Ok(s) => {
                    if stats {
                        eprintln!("{}", serde_json::to_string_pretty(&s).unwrap_or_default());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("planguard-bench gen: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}
