//! The planguard rule engine: misconfiguration rules evaluated in parallel over a
//! Terraform plan.
//!
//! Rules are data: one YAML file per rule under `rules/<provider>/<service>/` (format in
//! `rules/README.md`), embedded at build time, plus user rule directories. A rule names the
//! resource types and actions it applies to and a condition on the planned values; the
//! condition is evaluated in three-valued logic, so a value known only after apply gives a
//! low-confidence `unknown` finding rather than a pass or a confident failure. Logic YAML
//! can't express lives in Rust rules ([`builtin`]) behind the same [`Rule`] trait.
//!
//! ```
//! use std::path::Path;
//! use planguard_rules::{evaluate, EvalOptions, RuleSet, Status};
//!
//! let json = br#"{"format_version": "1.2", "resource_changes": [{
//!   "address": "aws_db_instance.db", "mode": "managed", "type": "aws_db_instance", "name": "db",
//!   "change": {"actions": ["create"], "before": null,
//!              "after": {"publicly_accessible": true, "storage_encrypted": true},
//!              "after_unknown": {"id": true}, "after_sensitive": {}}}]}"#;
//! let plan = planguard_plan::parse_bytes(json, Path::new("plan.json")).unwrap().plan;
//! let rules = RuleSet::builtin().unwrap();
//! let result = evaluate(&plan, None, &rules, &EvalOptions::default()).unwrap();
//! let finding = result.findings.iter().find(|f| &*f.rule_id == "AWS-RDS-001").unwrap();
//! assert_eq!(finding.status, Status::Fail);
//! assert_eq!(finding.path, "publicly_accessible");
//! ```
#![deny(missing_docs)]

pub mod builtin;
pub mod checkov;
mod cidr;
mod cond;
pub mod error;
mod eval;
mod explain;
mod filter;
pub mod meta;
mod path;
pub mod relations;
pub mod rule;
mod ruleset;
pub mod select;
pub mod waiver;
mod yaml;

pub use cond::Tri;
pub use error::RuleError;
pub use eval::{
    evaluate, evaluate_all_values, EvalOptions, Evaluated, Evaluation, Finding, Scope, Skipped, ValueIssue,
    WaivedFinding, ANY_TYPE, UNREADABLE_VALUES,
};
pub use explain::explain;
pub use filter::RuleFilter;
pub use meta::{builtin_rule_path, service_of, Category, Peers, RuleMeta, RuleSource, Severity, DEFAULT_ACTIONS};
pub use relations::{ConfigRelations, Direction, Relation, Relations, Visit};
pub use rule::{Context, Hit, Rule, Status};
pub use ruleset::RuleSet;
pub use select::{Resolved, Selected, Selection, SelectorKind, SeverityScope};
pub use waiver::{Waiver, WaiverOutcome, WaiverState};
pub use yaml::YamlRule;
