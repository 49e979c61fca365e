//! planguard: read a Terraform plan and tell, before `terraform apply`, what the change will
//! do, what it will break, what it will cost, and whether it may ship.
//!
//! This crate is the library facade over the focused crates (`planguard-plan`,
//! `planguard-graph`, `planguard-rules`, `planguard-cost`) and holds the report renderers
//! the `planguard` binary prints with.
#![deny(missing_docs)]

pub mod ci;
pub mod config;
pub mod error;
pub mod guardrails;
pub mod input;
pub mod render;
pub mod style;

pub use planguard_plan as plan;
