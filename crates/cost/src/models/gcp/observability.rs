//! Cloud Logging buckets and sinks, Cloud Monitoring metric descriptors (usage-based).

use super::*;
use crate::report::Component;

/// Days of storage the logging charge includes; retention beyond it is billed monthly.
const INCLUDED_RETENTION_DAYS: f64 = 30.0;

fn any_region<'a>(ctx: &'a Ctx<'_>) -> &'a str {
    ctx.region().unwrap_or("global")
}

/// A log bucket: the logs streamed into it, and (with `retention_days` above 30) their
/// storage past the included 30 days. In a steady month each GiB ingested is kept
/// `retention_days - 30` extra days: GiB-months = ingested × extra days / days per month.
pub(super) fn logging_bucket_config(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = any_region(ctx);
    let cat = ctx.catalog;
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Logs ingested",
        "monthly_logging_data_gb",
        1.0,
        cat.gcp_service("logging_storage", region, &["standard"]),
        region,
    );
    match n(c, "retention_days") {
        Got::Known(days) if days > INCLUDED_RETENTION_DAYS => {
            let days_per_month = ctx.hours() / 24.0;
            let scale = (days - INCLUDED_RETENTION_DAYS) / days_per_month;
            usage_component(
                &mut out,
                ctx,
                "Retention beyond 30 days",
                "monthly_logging_data_gb",
                scale,
                cat.gcp_service("logging_retention", region, &[]),
                region,
            );
            if let Some(last) = out.last_mut() {
                *last = last.clone().note(format!(
                    "{days} days retention: each GiB ingested is stored {} extra days",
                    days - INCLUDED_RETENTION_DAYS
                ));
            }
        }
        Got::Unknown => out.push(unknown(
            "Retention beyond 30 days",
            "GiB-month",
            "retention_days is known only after apply",
        )),
        _ => {}
    }
    Outcome::usage(out)
}

/// A sink into a log bucket streams logs into bucket storage (billed); the Log Router itself
/// is free, and a sink to Cloud Storage, BigQuery or Pub/Sub is billed by that destination.
pub(super) fn logging_sink(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    match s(c, "destination") {
        Got::Known(d) if d.starts_with("logging.googleapis.com/") => {
            let region = any_region(ctx);
            let mut out = Vec::new();
            usage_component(
                &mut out,
                ctx,
                "Logs routed to a log bucket",
                "monthly_logging_data_gb",
                1.0,
                ctx.catalog.gcp_service("logging_storage", region, &["standard"]),
                region,
            );
            Outcome::usage(out)
        }
        Got::Known(_) => Outcome::free(
            "routes logs to Cloud Storage, BigQuery or Pub/Sub: the Log Router is free, the destination bills the data",
        ),
        _ => Outcome::unknown("destination is known only after apply"),
    }
}

/// Tier limits of `gcp.services.monitoring_data` (MiB per month, cumulative).
const MONITORING_TIERS: [(&str, f64); 3] = [
    ("first_100000", 100_000.0),
    ("next_150000", 250_000.0),
    ("over_250000", f64::INFINITY),
];

/// A custom metric's data, priced at the marginal per-MiB tiers.
pub(super) fn monitoring_metric_descriptor(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = any_region(ctx);
    let (mib, hint) = crate::models::usage_qty(ctx, "monthly_monitoring_data_mb");
    let mut monthly = 0.0;
    let mut from = 0.0;
    let mut first_price = None;
    for (tier, upto) in MONITORING_TIERS {
        let Some(p) = ctx.catalog.gcp_service("monitoring_data", region, &[tier]) else {
            return Outcome::usage(vec![unknown(
                "Monitoring data",
                "MiB",
                "no Cloud Monitoring price in the catalog",
            )]);
        };
        first_price.get_or_insert(p.unit_price);
        let in_tier = (mib.min(upto) - from).max(0.0);
        monthly += in_tier * p.unit_price;
        from = upto;
    }
    let comp = Component {
        name: "Monitoring data".into(),
        unit: "MiB".into(),
        quantity: Some(mib),
        unit_price: if mib > 0.0 { Some(monthly / mib) } else { first_price },
        monthly: Some(monthly),
        assumed: None,
        approximate: None,
        note: None,
    };
    Outcome::usage(vec![match hint {
        Some(h) => comp.note(h),
        None => comp,
    }])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &[
            "google_logging_billing_account_bucket_config",
            "google_logging_folder_bucket_config",
            "google_logging_organization_bucket_config",
            "google_logging_project_bucket_config",
        ],
        priced_from: r#"usage-based `monthly_logging_data_gb` at the logging storage rate (includes 30 days) + with `retention_days` > 30, retention GiB-months = GiB × (days − 30) / 30.42"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &[
            "google_logging_billing_account_sink",
            "google_logging_folder_sink",
            "google_logging_organization_sink",
            "google_logging_project_sink",
        ],
        priced_from: r#"to a log bucket: usage-based `monthly_logging_data_gb` at the logging storage rate; to Cloud Storage, BigQuery or Pub/Sub: free (the destination bills)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["google_monitoring_metric_descriptor"],
        priced_from: r#"usage-based `monthly_monitoring_data_mb` at the marginal per-MiB tiers (100,000 / 250,000 MiB)"#,
        assumptions: r#""#,
    },
];
