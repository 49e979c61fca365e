//! Pub/Sub topics and subscriptions (usage-based throughput and storage).

use super::*;

/// Throughput is billed per TiB; the usage file gives TB (Infracost's `monthly_message_data_tb`),
/// read as TiB.
pub(super) fn pubsub_topic(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    pubsub(ctx, "basic", "Message throughput")
}

pub(super) fn pubsub_subscription(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let (kind, name) = if matches!(block(c, "bigquery_config"), Got::Known(_)) {
        ("bigquery_subscription", "BigQuery subscription throughput")
    } else if matches!(block(c, "cloud_storage_config"), Got::Known(_)) {
        ("cloud_storage_subscription", "Cloud Storage subscription throughput")
    } else {
        ("basic", "Message throughput")
    };
    pubsub(ctx, kind, name)
}

fn pubsub(ctx: &Ctx<'_>, kind: &str, name: &str) -> Outcome {
    let region = ctx.region().unwrap_or("global");
    let cat = ctx.catalog;
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        name,
        "monthly_message_data_tb",
        1.0,
        cat.gcp_service("pubsub_throughput", region, &[kind]),
        region,
    );
    usage_component(
        &mut out,
        ctx,
        "Message storage",
        "storage_gb",
        1.0,
        cat.gcp_service("pubsub_storage", region, &[]),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_pubsub_subscription", "google_pubsub_topic"],
    priced_from: r#"usage-based throughput `monthly_message_data_tb` (per TiB; BigQuery and Cloud Storage subscriptions at their rate) + retained-message storage `storage_gb`"#,
    assumptions: r#""#,
}];
