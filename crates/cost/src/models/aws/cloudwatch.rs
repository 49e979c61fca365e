//! CloudWatch metric alarms and log groups.

use super::*;

pub(super) fn metric_alarm(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let queries = blocks(c, "metric_query").unwrap_or_default();
    let metrics = queries
        .iter()
        .filter(|q| matches!(block(**q, "metric"), Got::Known(_)))
        .count()
        .max(1) as f64;
    let high_res = n(c, "period").known().is_some_and(|p| p < 60.0);
    // Anomaly detection alarms are billed as three metrics (the metric and its two bands).
    let anomaly = matches!(s(c, "threshold_metric_id"), Got::Known(_));
    let billed = if anomaly { metrics * 3.0 } else { metrics };
    let (price, label) = if high_res {
        (CloudWatchPrice::HighResolutionAlarm, "high resolution")
    } else {
        (CloudWatchPrice::StandardAlarm, "standard resolution")
    };
    Outcome::new(vec![priced_or(
        format!("Alarm metrics ({label})"),
        billed,
        ctx.catalog.cloudwatch(region, price),
        region,
        || "CloudWatch alarm".into(),
    )])
}

pub(super) fn log_group(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Data ingested",
        "monthly_data_ingested_gb",
        1.0,
        cat.cloudwatch(region, CloudWatchPrice::LogsIngested),
        region,
    );
    usage_component(
        &mut out,
        ctx,
        "Archival storage",
        "storage_gb",
        1.0,
        cat.cloudwatch(region, CloudWatchPrice::LogsStored),
        region,
    );
    usage_component(
        &mut out,
        ctx,
        "Insights queries data scanned",
        "monthly_data_scanned_gb",
        1.0,
        cat.cloudwatch(region, CloudWatchPrice::LogsInsightsScanned),
        region,
    );
    Outcome::usage(out)
}

pub(super) fn dashboard(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Dashboard",
        1.0,
        ctx.catalog.cloudwatch(region, CloudWatchPrice::Dashboard),
        region,
        || "CloudWatch dashboard".into(),
    )
    .note(
        "the account's first 3 dashboards are free; not applied per dashboard, as Infracost",
    )])
}

pub(super) fn event_bus(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    for (name, key, event) in [
        ("Custom events", "monthly_custom_events", "custom"),
        ("Partner events", "monthly_third_party_events", "partner"),
    ] {
        let price = ctx.catalog.aws_service("eventbridge_events", region, &[event]);
        usage_component(&mut out, ctx, name, key, 1e-6, price, region);
    }
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_cloudwatch_metric_alarm"],
        priced_from: r#"alarm metrics (metric queries with a metric, else 1; x3 for anomaly detection); high resolution when `period` < 60"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_cloudwatch_log_group"],
        priced_from: r#"usage-based: ingested, stored, Insights scanned"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_cloudwatch_dashboard"],
        priced_from: r#"1 dashboard-month"#,
        assumptions: r#"the free tier (3 dashboards per account) is not applied"#,
    },
    ModelDoc {
        types: &["aws_cloudwatch_event_bus"],
        priced_from: r#"usage-based: custom events (`monthly_custom_events`) and partner events (`monthly_third_party_events`), per 1M"#,
        assumptions: r#"events from AWS services are free; archive and schema discovery usage keys are read but not priced"#,
    },
];
