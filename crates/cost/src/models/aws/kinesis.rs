//! Kinesis Data Streams.

use super::*;

pub(super) fn kinesis_stream(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let mode = match block(c, "stream_mode_details") {
        Got::Known(d) => s(d, "stream_mode"),
        Got::Unset => Got::Unset,
        Got::Unknown => Got::Unknown,
    };
    // The provider leaves stream_mode_details unknown until apply when it is not set; AWS then
    // creates a PROVISIONED stream of shard_count shards.
    let mut mode_assumed = None;
    let mode = match (mode, n(c, "shard_count")) {
        (Got::Unknown, Got::Known(_)) => {
            mode_assumed = Some("stream_mode unknown until apply: PROVISIONED assumed (shard_count is set)".to_owned());
            Got::Known("PROVISIONED")
        }
        (m, _) => m,
    };
    let mut out = Vec::new();
    match mode {
        Got::Known("ON_DEMAND") => {
            out.push(priced_or(
                "Stream (on-demand)",
                ctx.hours(),
                cat.aws_service("kinesis_on_demand_stream_hour", region, &[]),
                region,
                || "Kinesis on-demand stream".into(),
            ));
            for (name, key, dir) in [
                ("Data ingested", "monthly_on_demand_data_in_gb", "in"),
                ("Data retrieved", "monthly_on_demand_data_out_gb", "out"),
            ] {
                let price = cat.aws_service("kinesis_on_demand_data", region, &[dir]);
                usage_component(&mut out, ctx, name, key, 1.0, price, region);
            }
        }
        Got::Known("PROVISIONED") | Got::Unset => {
            let shard_price = cat.aws_service("kinesis_provisioned", region, &["shard_hour"]);
            let shards = n(c, "shard_count");
            match shards {
                Got::Known(count) => out.push(
                    priced_or("Shards", count * ctx.hours(), shard_price, region, || {
                        "Kinesis shard hours".into()
                    })
                    .assumed(mode_assumed),
                ),
                _ => out.push(unknown("Shards", "hour", "shard_count unknown until apply or unset")),
            }
            // Retention above the included 24 hours, up to 7 days, is billed per shard-hour;
            // beyond 7 days it is billed per GB stored, which the catalog has no price for.
            match (n(c, "retention_period"), shards) {
                (Got::Known(h), Got::Known(count)) if h > 24.0 => {
                    out.push(priced_or(
                        "Extended retention (up to 7 days)",
                        count * ctx.hours(),
                        cat.aws_service("kinesis_provisioned", region, &["extended_retention_shard_hour"]),
                        region,
                        || "Kinesis extended retention".into(),
                    ));
                    if h > 168.0 {
                        out.push(unknown(
                            "Long-term retention (beyond 7 days)",
                            "GB-month",
                            "no price in the catalog for long-term retention storage",
                        ));
                    }
                }
                (Got::Unknown, _) => out.push(unknown(
                    "Extended retention",
                    "hour",
                    "retention_period unknown until apply",
                )),
                _ => {}
            }
            usage_component(
                &mut out,
                ctx,
                "PUT payload units",
                "monthly_put_payload_units",
                1e-6,
                cat.aws_service("kinesis_put_payload_units", region, &[]),
                region,
            );
        }
        Got::Known(_) => return Outcome::unknown("stream_mode is neither PROVISIONED nor ON_DEMAND"),
        Got::Unknown => return Outcome::unknown("stream_mode unknown until apply"),
    }
    Outcome::new(out)
}

pub(super) fn firehose_delivery_stream(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Data ingested",
        "monthly_data_ingested_gb",
        1.0,
        ctx.catalog.aws_service("firehose_ingested", region, &[]),
        region,
    );
    Outcome::usage(
        out.into_iter()
            .map(|c| c.note("first 500 TB tier; format conversion and VPC delivery not priced"))
            .collect(),
    )
}

pub(super) fn kinesisanalyticsv2_application(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let flink = s(c, "runtime_environment")
        .known()
        .is_some_and(|r| r.starts_with("FLINK"));
    // KPUs: from usage, else the parallelism configuration (parallelism / per-KPU, rounded up),
    // else AWS's default of parallelism 1 at 1 per KPU.
    let (kpus, assumed) = match ctx.usage_num("kinesis_processing_units") {
        Some(k) => (k, None),
        None => {
            let parallelism = match block(c, "application_configuration") {
                Got::Known(ac) => match block(ac, "flink_application_configuration") {
                    Got::Known(f) => match block(f, "parallelism_configuration") {
                        Got::Known(p) if s(p, "configuration_type").known() == Some("CUSTOM") => {
                            (n(p, "parallelism").known(), n(p, "parallelism_per_kpu").known())
                        }
                        _ => (None, None),
                    },
                    _ => (None, None),
                },
                _ => (None, None),
            };
            match parallelism {
                (Some(p), per) => ((p / per.unwrap_or(1.0).max(1.0)).ceil(), None),
                _ => (
                    1.0,
                    Some("kinesis_processing_units not given: 1 KPU assumed (parallelism 1, the default)".to_owned()),
                ),
            }
        }
    };
    let orchestration = if flink { 1.0 } else { 0.0 };
    let mut out = vec![priced_or(
        "Kinesis processing units",
        (kpus + orchestration) * ctx.hours(),
        cat.aws_service("kinesis_analytics_kpu_hour", region, &[]),
        region,
        || "Managed Flink KPU".into(),
    )
    .assumed(assumed)];
    if flink {
        out.push(priced_or(
            "Running application storage",
            kpus * 50.0,
            cat.aws_service("kinesis_analytics_storage", region, &[]),
            region,
            || "Managed Flink storage".into(),
        ));
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_kinesisanalyticsv2_application"],
        priced_from: r#"(KPUs + 1 orchestration KPU for Flink) x 730 KPU-hours + 50 GB running storage per KPU; KPUs from usage `kinesis_processing_units`, else `parallelism` / `parallelism_per_kpu` (CUSTOM configuration)"#,
        assumptions: r#"no usage and no custom parallelism: 1 KPU"#,
    },
    ModelDoc {
        types: &["aws_kinesis_firehose_delivery_stream"],
        priced_from: r#"usage-based: data ingested (`monthly_data_ingested_gb`) at the first tier"#,
        assumptions: r#"format conversion, dynamic partitioning and VPC delivery not priced"#,
    },
    ModelDoc {
        types: &["aws_kinesis_stream"],
        priced_from: r#"PROVISIONED: `shard_count` x 730 shard-hours; extended retention shard-hours when `retention_period` > 24 h; PUT payload units (`monthly_put_payload_units`, 25 KB each). ON_DEMAND: stream hours + data ingested / retrieved (`monthly_on_demand_data_in_gb`, `monthly_on_demand_data_out_gb`)"#,
        assumptions: r#"`stream_mode_details` unset or unknown with `shard_count` set: PROVISIONED; `shard_count` unknown: shard hours unknown (partial); retention beyond 7 days (per GB stored) and enhanced fan-out: not priced (unknown component)"#,
    },
];
