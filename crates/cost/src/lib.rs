//! Offline monthly cost estimate of a Terraform plan.
//!
//! [`estimate()`] prices every managed resource instance of a plan before and after the
//! change, from the offline [`Catalog`] and an optional [`Usage`] file, into a [`CostReport`];
//! [`render_text`] and [`render_markdown_table`] print it, and `serde_json` writes it in the
//! format documented in [`report`]. The modules:
//!
//! * [`estimate()`]: the estimator and its per-type cost models (listed, with every default
//!   assumed for values unknown until apply, in `crates/cost/README.md`).
//! * [`usage`]: the usage file, in Infracost's format.
//! * [`report`]: the report and its JSON.
//! * [`render`]: text and Markdown.
//! * [`catalog`]: the embedded catalog of public on-demand list prices (AWS and Google Cloud,
//!   USD) and typed lookups such as [`Catalog::ec2_instance_hour`]; every lookup returns a
//!   [`Price`] that names its unit, its source and whether a fallback region was used. The
//!   catalog file format is documented in `crates/cost/CATALOG.md`.
//! * [`error`]: the crate's error type, [`CostError`].
//!
//! ```
//! use std::path::Path;
//! use planguard_cost::{estimate, render_text, Catalog, Usage};
//!
//! let json = br#"{"format_version": "1.2",
//!   "configuration": {"provider_config": {"aws": {"name": "aws",
//!       "expressions": {"region": {"constant_value": "us-east-1"}}}},
//!     "root_module": {"resources": [
//!       {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance",
//!        "name": "web", "provider_config_key": "aws"},
//!       {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
//!        "name": "f", "provider_config_key": "aws"}]}},
//!   "resource_changes": [
//!     {"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
//!      "change": {"actions": ["update"],
//!        "before": {"instance_type": "m5.large", "root_block_device": [{"volume_size": 8, "volume_type": "gp3"}]},
//!        "after": {"instance_type": "m5.xlarge", "root_block_device": [{"volume_size": 8, "volume_type": "gp3"}]},
//!        "after_unknown": {}}},
//!     {"address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function",
//!      "name": "f", "change": {"actions": ["create"], "before": null,
//!        "after": {"memory_size": 1024}, "after_unknown": {}}}]}"#;
//! let plan = planguard_plan::parse_bytes(json, Path::new("plan.json")).unwrap().plan;
//! let usage = Usage::from_slice(
//!     b"version: 0.1\nresource_usage:\n  aws_lambda_function.f:\n    monthly_requests: 1000000\n",
//!     "usage.yml",
//! )
//! .unwrap();
//! let report = estimate(&plan, Catalog::embedded(), Some(&usage)).unwrap();
//! // m5.large 0.096 $/h * 730 h = 70.08 -> m5.xlarge 0.192 * 730 = 140.16; 8 GB gp3 * 0.08 = 0.64
//! assert!((report.resources[0].monthly_delta.unwrap() - 70.08).abs() < 1e-9);
//! // Lambda: 1M requests * 0.20 $ per 1M; no duration given, so 0 GB-seconds
//! assert!((report.resources[1].monthly_after.unwrap() - 0.20).abs() < 1e-9);
//! assert!(render_text(&report, false).contains("+70.08"));
//! ```
#![deny(missing_docs)]

pub mod catalog;
pub mod error;
mod estimate;
mod models;
mod region;
pub mod render;
pub mod report;
pub mod usage;

pub use catalog::{
    AuroraUsage, AzureTable, Catalog, CloudNatPrices, CloudWatchPrice, Confidence, DynamoDbPrice, EbsPrices,
    FargatePrices, KmsPrice, LambdaPrices, LoadBalancerKind, LoadBalancerPrices, MachineSpec, NatGatewayPrices, Price,
    RdsStoragePrices, Route53Price, S3Prices, SecretsManagerPrice, Source, TableInfo, Tier, TieredPrice,
};
pub use error::CostError;
pub use estimate::estimate;
pub use models::{free_types, modelled_types, priced_types_markdown};
pub use render::{render_markdown_table, render_text, render_text_body};
pub use report::{Component, CostReport, ResourceCost, Status, UnsupportedType, UsageBased};
pub use usage::{Usage, UsageEntry, UsageValue};
