//! planguard: read a Terraform plan and tell, before `terraform apply`, what the change will
//! do, what it will break, what it will cost, and whether it may ship.
//!
//! This crate is the library facade over the focused crates (`planguard-plan`,
//! `planguard-graph`, `planguard-rules`, `planguard-cost`) and holds the guardrails and the
//! report renderers the `planguard` binary prints with. [`Analyzer`] is the one entry point:
//! it loads configuration, rules, prices and usage once, then analyses any number of plans:
//! it parses, builds the dependency graph, runs the rules and the cost estimate in parallel,
//! and evaluates the guardrails into a [`Report`] whose JSON is `planguard check --format json`.
//!
//! ```
//! use std::path::Path;
//! use planguard::{Analyzer, Config, Verdict};
//!
//! let config = Config::from_str_at(
//!     "version: 1\nguardrails:\n  - name: budget\n    type: cost\n    max_monthly_increase: 50\n",
//!     Path::new(".planguard.yaml"),
//! )
//! .unwrap();
//! let analyzer = Analyzer::builder().config(config).build().unwrap();
//! let plan = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/terraform/aws-network/plan.json"));
//! let report = analyzer.analyze_file(plan).unwrap();
//! // A NAT gateway, a load balancer and instances: well over $50 a month.
//! assert!(report.cost.monthly_delta > 50.0);
//! assert_eq!(report.verdict, Verdict::Fail);
//! // The config defines no policy guardrail, so the default policy (fail on critical and
//! // high findings) runs first, then the budget.
//! let names: Vec<&str> = report.guardrails.iter().map(|g| g.name.as_str()).collect();
//! assert_eq!(names, ["default-policy", "budget"]);
//! assert!(!report.guardrails[1].passed);
//! ```
//!
//! The focused crates are re-exported ([`plan`], [`graph`], [`rules`], [`cost`]), so an
//! embedder (and the `planguard` binary, which uses nothing else) needs only this crate.
//!
//! `examples/embed.rs` is a complete program that embeds planguard.
#![deny(missing_docs)]

pub mod analyze;
pub mod baseline;
pub mod ci;
pub mod config;
pub mod error;
pub mod guardrails;
pub mod inline_skips;
pub mod input;
pub mod policies;
pub mod render;
pub mod rules;
pub mod sources;
pub mod style;

pub use planguard_comment as comment;
pub use planguard_cost as cost;
pub use planguard_graph as graph;
pub use planguard_plan as plan;
pub use planguard_policy as policy;

pub use analyze::{
    analyze, load_rules, Analyzer, AnalyzerBuilder, ConfigUsed, Options, Report, FAIL_ON_GUARDRAIL, SCHEMA_VERSION,
};
pub use config::Config;
pub use error::{AnalyzeError, ConfigError};
pub use guardrails::Verdict;
