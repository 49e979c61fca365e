//! Offline monthly cost estimate of a Terraform plan.
//!
//! This crate currently provides the price catalog that cost models build on:
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

pub use catalog::{
    AuroraUsage, Catalog, CloudNatPrices, CloudWatchPrice, Confidence, DynamoDbPrice, EbsPrices, FargatePrices,
    KmsPrice, LambdaPrices, LoadBalancerKind, LoadBalancerPrices, MachineSpec, NatGatewayPrices, Price,
    RdsStoragePrices, Route53Price, S3Prices, SecretsManagerPrice, Source, TableInfo, Tier, TieredPrice,
};
pub use error::CostError;
