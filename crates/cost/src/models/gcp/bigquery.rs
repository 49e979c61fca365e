//! BigQuery tables (usage-based storage).

use super::*;

/// BigQuery's default dataset location.
const DEFAULT_LOCATION: &str = "US";

pub(super) fn bigquery_table(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let dataset = ctx
        .refs
        .follow(ctx.plan, ctx.rc, &["dataset_id"], "google_bigquery_dataset");
    let (location, assumed) = match dataset {
        Some(found) => {
            let side = if ctx.before {
                found.values.before()
            } else {
                found.values.after()
            };
            match s(side, "location") {
                Got::Known(l) => (l.to_ascii_lowercase(), None),
                Got::Unset => (DEFAULT_LOCATION.to_ascii_lowercase(), None),
                Got::Unknown => return Outcome::unknown("the dataset's location is known only after apply"),
            }
        }
        None => (
            DEFAULT_LOCATION.to_ascii_lowercase(),
            Some(format!(
                "dataset_id references no google_bigquery_dataset in this plan: {DEFAULT_LOCATION} assumed (BigQuery's default)"
            )),
        ),
    };
    let cat = ctx.catalog;
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Active storage",
        "storage_gb",
        1.0,
        cat.gcp_service("bigquery_storage", &location, &["active"]),
        &location,
    );
    usage_component(
        &mut out,
        ctx,
        "Long-term storage",
        "monthly_long_term_storage_gb",
        1.0,
        cat.gcp_service("bigquery_storage", &location, &["long_term"]),
        &location,
    );
    if let (Some(first), Some(text)) = (out.first_mut(), assumed) {
        *first = first.clone().assumed(Some(text));
    }
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_bigquery_table"],
    priced_from: r#"usage-based active storage `storage_gb` (per GB-month, at the dataset's location; US/EU multi-region rate, other locations flagged `approximate`)"#,
    assumptions: r#"dataset not in the plan: US; `monthly_long_term_storage_gb`: unknown (no price in the catalog)"#,
}];
