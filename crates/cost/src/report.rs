//! The result of [`estimate`](crate::estimate): what the plan costs per month before and
//! after apply, per resource and in total, and what the estimate leaves out.
//!
//! # JSON format
//!
//! `serde_json::to_string(&report)` writes (keys in this order; money in the catalog's
//! currency per month; every number rounded to 4 decimals, except `unit_price`, rounded to 10,
//! the catalog's precision, so that per-request prices don't print as 0; `?` marks a key
//! omitted when it has no value):
//!
//! ```jsonc
//! {
//!   "currency": "USD",
//!   "catalog_date": "2026-11-25",
//!   "monthly_before": 70.08,        // sum over resources of their monthly_before (known parts)
//!   "monthly_after": 140.16,
//!   "monthly_delta": 70.08,         // monthly_after - monthly_before
//!   "resources": [{                 // every managed resource instance, sorted by address
//!     "address": "aws_instance.web",
//!     "type": "aws_instance",
//!     "module": "",                 // module instance address, "" for the root module
//!     "action": "update",           // the plan's action (create, update, delete-then-create, ...)
//!     "deposed"?: "00000001",       // deposed key, for a deposed object
//!     "monthly_before": 70.08,      // null when a price-setting value is unknown (status unknown)
//!     "monthly_after": 140.16,
//!     "monthly_delta": 70.08,       // null when either side is null
//!     "status": "priced",           // priced | free | usage-based | unknown | unsupported
//!     "reason"?: "...",             // why unknown / unsupported / free
//!     "components": [{              // the after side (empty for a delete)
//!       "name": "Instance usage (m5.xlarge, on-demand, Linux)",
//!       "unit": "hour",
//!       "quantity": 730,            // per month, in `unit`; null when unknown
//!       "unit_price": 0.192,        // 10 decimals; null when unknown
//!       "monthly": 140.16,          // null when unknown
//!       "assumed"?: "...",          // the default used for a value unknown until apply
//!       "approximate"?: "...",      // e.g. a fallback region's price was used
//!       "note"?: "..."              // usage hints, why unknown
//!     }],
//!     "components_before"?: [...]   // the before side (prior state), omitted for a create
//!   }],
//!   "unsupported": [{"type": "azurerm_key_vault", "count": 2,
//!                    "addresses": ["..."], "reason": "no cost model for this resource type"}],
//!   "usage_based": [{"address": "aws_lambda_function.api", "type": "aws_lambda_function",
//!                    "usage_given": false}],
//!   "warnings": ["usage file: unknown key ..."]
//! }
//! ```
//!
//! Status of a resource: `priced` (every price-setting value known or defaulted), `free` (the
//! type costs nothing by itself, e.g. `aws_vpc`), `usage-based` (no fixed cost; priced only
//! from the usage file), `unknown` (a price-setting value is unknown until apply and has no
//! default, the region is unknown, or the catalog has no price: see `reason` and the component
//! notes), `unsupported` (no cost model for the type). The totals add the known parts only;
//! `unknown` resources are listed in the text report and counted in `warnings`.

use serde::{Serialize, Serializer};

/// Whole report of one estimate.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CostReport {
    /// Currency of every amount (`USD`).
    pub currency: String,
    /// Date of the price catalog.
    pub catalog_date: String,
    /// Monthly cost of the resources as they are before apply.
    #[serde(serialize_with = "money")]
    pub monthly_before: f64,
    /// Monthly cost after apply.
    #[serde(serialize_with = "money")]
    pub monthly_after: f64,
    /// `monthly_after - monthly_before`.
    #[serde(serialize_with = "money")]
    pub monthly_delta: f64,
    /// True when a resource in the totals is `partial` (some of its components are unknown):
    /// the totals are then lower bounds ("at least"). Omitted when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub totals_at_least: bool,
    /// Every managed resource instance of the plan, sorted by address.
    pub resources: Vec<ResourceCost>,
    /// Resource types without a cost model, with their instances.
    pub unsupported: Vec<UnsupportedType>,
    /// Resources whose cost depends on usage.
    pub usage_based: Vec<UsageBased>,
    /// Things the user should know: usage file keys that were not understood, usage entries
    /// matching nothing, resources with unknown cost.
    pub warnings: Vec<String>,
}

/// The cost of one resource instance.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ResourceCost {
    /// Full instance address.
    pub address: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Module instance address, `""` for the root module.
    pub module: String,
    /// The plan's action on this instance (`create`, `update`, `delete-then-create`, ...).
    pub action: String,
    /// The deposed key when this is a deposed object (left by `create_before_destroy`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deposed: Option<String>,
    /// Monthly cost before apply; `None` when unknown.
    #[serde(serialize_with = "opt_money")]
    pub monthly_before: Option<f64>,
    /// Monthly cost after apply; `None` when unknown.
    #[serde(serialize_with = "opt_money")]
    pub monthly_after: Option<f64>,
    /// `monthly_after - monthly_before`; `None` when either is unknown.
    #[serde(serialize_with = "opt_money")]
    pub monthly_delta: Option<f64>,
    /// How the cost was established.
    pub status: Status,
    /// Why the status is unknown, partial, unsupported or free.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Why the figures are approximate: the region has no prices in the catalog (the fallback
    /// region is named), or some components use another region's price.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate: Option<String>,
    /// Price components of the after side (empty when the resource is deleted).
    pub components: Vec<Component>,
    /// Price components of the before side (prior state); `None` for a create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components_before: Option<Vec<Component>>,
}

/// How a resource's cost was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Priced from its attributes (and usage, where given).
    Priced,
    /// Costs nothing by itself.
    Free,
    /// No fixed cost; priced from the usage file only.
    UsageBased,
    /// Some components are priced, others unknown (named in `reason`): the monthly figures
    /// are lower bounds.
    Partial,
    /// A price-setting value is unknown (no default), or no price exists.
    Unknown,
    /// No cost model for the type.
    Unsupported,
}

impl Status {
    /// The JSON spelling (`priced`, `free`, `usage-based`, `partial`, `unknown`, `unsupported`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Priced => "priced",
            Status::Free => "free",
            Status::UsageBased => "usage-based",
            Status::Partial => "partial",
            Status::Unknown => "unknown",
            Status::Unsupported => "unsupported",
        }
    }
}

/// One priced line of a resource: a quantity per month times a unit price.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Component {
    /// What is charged, e.g. `Instance usage (m5.large, on-demand, Linux)`.
    pub name: String,
    /// The unit of `quantity` and `unit_price` (catalog vocabulary: `hour`, `GB-month`, ...).
    pub unit: String,
    /// Monthly quantity in `unit`; `None` when unknown.
    #[serde(serialize_with = "opt_num")]
    pub quantity: Option<f64>,
    /// Price per `unit`; for a tiered price, the average over `quantity`. `None` when unknown.
    /// Written with 10 decimals, the catalog's precision (Lambda: 0.0000166667 per GB-second).
    #[serde(serialize_with = "opt_price")]
    pub unit_price: Option<f64>,
    /// Monthly cost; `None` when unknown.
    #[serde(serialize_with = "opt_money")]
    pub monthly: Option<f64>,
    /// The default used for a value unknown until apply (or unset), in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumed: Option<String>,
    /// Why the figure is approximate (fallback region price, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate: Option<String>,
    /// Anything else: usage hints, why the figure is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Component {
    /// True when the component could not be priced.
    pub fn is_unknown(&self) -> bool {
        self.monthly.is_none()
    }
}

/// A resource type without a cost model.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnsupportedType {
    /// The resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Number of instances in the plan.
    pub count: usize,
    /// Their addresses, sorted.
    pub addresses: Vec<String>,
    /// Why there is no cost model.
    pub reason: String,
}

/// A resource whose cost depends on usage.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UsageBased {
    /// Instance address.
    pub address: String,
    /// Resource type.
    #[serde(rename = "type")]
    pub resource_type: String,
    /// True when the usage file gave quantities for it.
    pub usage_given: bool,
}

/// Rounds to 4 decimals for output, deterministically (half away from zero) and without
/// a negative zero.
pub(crate) fn round4(x: f64) -> f64 {
    let r = (x * 10_000.0).round() / 10_000.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn num<S: Serializer>(x: f64, s: S) -> Result<S::Ok, S::Error> {
    let r = round4(x);
    // Integral values are written without a fraction (730, not 730.0).
    if r.fract() == 0.0 && r.abs() < 9.0e15 {
        s.serialize_i64(r as i64)
    } else {
        s.serialize_f64(r)
    }
}

fn money<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    num(*x, s)
}

fn opt_money<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => num(*v, s),
        None => s.serialize_none(),
    }
}

fn opt_num<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    opt_money(x, s)
}

/// Rounds a unit price to 10 decimals: 4 would turn per-request and per-GB-second prices
/// into 0.
fn opt_price<S: Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(v) => {
            let r = (v * 1e10).round() / 1e10;
            if r.fract() == 0.0 && r.abs() < 9.0e15 {
                s.serialize_i64(r as i64)
            } else {
                s.serialize_f64(if r == 0.0 { 0.0 } else { r })
            }
        }
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_deterministic() {
        assert_eq!(round4(70.08000000001), 70.08);
        assert_eq!(round4(-0.00001), 0.0);
        assert_eq!(round4(0.00005), 0.0001);
        let json = serde_json::to_string(&Component {
            name: "x".into(),
            unit: "hour".into(),
            quantity: Some(730.0),
            unit_price: Some(0.0104),
            monthly: Some(7.592000000000001),
            assumed: None,
            approximate: None,
            note: None,
        })
        .unwrap();
        assert_eq!(
            json,
            r#"{"name":"x","unit":"hour","quantity":730,"unit_price":0.0104,"monthly":7.592}"#
        );
    }
}
