//! planguard: read a Terraform plan and tell, before `terraform apply`, what the change will
//! do, what it will break, what it will cost, and whether it may ship.
//!
//! This crate is the library facade over the focused crates (`planguard-plan`,
//! `planguard-graph`, `planguard-rules`, `planguard-cost`) and holds the report renderers
//! the `planguard` binary prints with.
#![deny(missing_docs)]

pub mod analyze;
pub mod ci;
pub mod config;
pub mod error;
pub mod guardrails;
pub mod input;
pub mod render;
pub mod sources;
pub mod style;

pub use planguard_plan as plan;

pub use analyze::{analyze, Analyzer, AnalyzerBuilder, Options, Report, SCHEMA_VERSION};
pub use config::Config;
pub use error::{AnalyzeError, ConfigError};
pub use guardrails::Verdict;
