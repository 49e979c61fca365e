//! Offline monthly cost estimate of a Terraform plan.
//!
//! [`estimate`] prices every managed resource of a plan before and after the change, from
//! the offline [`Catalog`] and an optional [`Usage`] file, into a [`CostReport`] (its JSON
//! format is documented in [`report`]); [`render_text`] and [`render_markdown_table`] print
//! it. The modules:
//!
//! * [`estimate()`]: the estimator and its per-type cost models (documented in
//!   `crates/cost/README.md`, with every default assumed for values unknown until apply).
//! * [`usage`]: the usage file (Infracost's format).
//! * [`report`]: the report and its JSON.
//! * [`render`]: text and Markdown.
//!
//! * [`catalog`]: the embedded catalog of public on-demand list prices (AWS
//!   and Google Cloud, USD) and typed lookups such as
//!   [`Catalog::ec2_instance_hour`] or [`Catalog::rds_instance_hour`]. Every
//!   lookup returns a [`Price`] that names its unit, its source and whether a
//!   fallback region was used.
//! * [`error`]: the crate's error type, [`CostError`].
//!
//! The catalog file format is documented in `crates/cost/CATALOG.md`.
//!
//! ```
//! use planguard_cost::Catalog;
//!
//! let catalog = Catalog::embedded();
//! let nat = catalog.nat_gateway("us-east-1").expect("NAT gateway is priced");
//! assert_eq!(nat.hour.unit_price, 0.045);
//! let monthly = nat.hour.cost(catalog.hours_per_month());
//! assert!((monthly - 32.85).abs() < 1e-9);
//! ```
#![deny(missing_docs)]

pub mod catalog;
pub mod error;
mod estimate;
mod models;
pub mod render;
pub mod report;
pub mod usage;

pub use catalog::{
    AuroraUsage, Catalog, CloudNatPrices, CloudWatchPrice, Confidence, DynamoDbPrice, EbsPrices, FargatePrices,
    KmsPrice, LambdaPrices, LoadBalancerKind, LoadBalancerPrices, MachineSpec, NatGatewayPrices, Price,
    RdsStoragePrices, Route53Price, S3Prices, SecretsManagerPrice, Source, TableInfo, Tier, TieredPrice,
};
pub use error::CostError;
pub use estimate::estimate;
pub use models::{free_types, modelled_types};
pub use render::{render_markdown_table, render_text};
pub use report::{Component, CostReport, ResourceCost, Status, UnsupportedType, UsageBased};
pub use usage::{Usage, UsageEntry, UsageValue};
