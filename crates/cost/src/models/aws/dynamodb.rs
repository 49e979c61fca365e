//! DynamoDB tables (provisioned and on-demand).

use super::*;

pub(super) fn dynamodb_table(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let mut out = Vec::new();
    let on_demand = s(c, "billing_mode").known() == Some("PAY_PER_REQUEST");
    if on_demand {
        usage_component(
            &mut out,
            ctx,
            "Write request units (on-demand)",
            "monthly_write_request_units",
            1e-6,
            cat.dynamodb(region, DynamoDbPrice::OnDemandWriteRequests),
            region,
        );
        usage_component(
            &mut out,
            ctx,
            "Read request units (on-demand)",
            "monthly_read_request_units",
            1e-6,
            cat.dynamodb(region, DynamoDbPrice::OnDemandReadRequests),
            region,
        );
    } else {
        let mut wcu = n(c, "write_capacity").known().unwrap_or(0.0);
        let mut rcu = n(c, "read_capacity").known().unwrap_or(0.0);
        if let Some(gsis) = blocks(c, "global_secondary_index") {
            for g in gsis {
                wcu += n(g, "write_capacity").known().unwrap_or(0.0);
                rcu += n(g, "read_capacity").known().unwrap_or(0.0);
            }
        }
        out.push(priced_or(
            "Write capacity (provisioned)",
            wcu * ctx.hours(),
            cat.dynamodb(region, DynamoDbPrice::ProvisionedWcuHour),
            region,
            || "DynamoDB WCU".into(),
        ));
        out.push(priced_or(
            "Read capacity (provisioned)",
            rcu * ctx.hours(),
            cat.dynamodb(region, DynamoDbPrice::ProvisionedRcuHour),
            region,
            || "DynamoDB RCU".into(),
        ));
    }
    usage_component(
        &mut out,
        ctx,
        "Storage",
        "storage_gb",
        1.0,
        cat.dynamodb(region, DynamoDbPrice::Storage),
        region,
    );
    for (name, key, price) in [
        (
            "Point-in-time recovery storage",
            "pitr_backup_storage_gb",
            DynamoDbPrice::PitrStorage,
        ),
        (
            "On-demand backup storage",
            "on_demand_backup_storage_gb",
            DynamoDbPrice::BackupStorage,
        ),
        ("Restored data", "monthly_data_restored_gb", DynamoDbPrice::Restore),
    ] {
        if ctx.usage_num(key).is_some() {
            usage_component(&mut out, ctx, name, key, 1.0, cat.dynamodb(region, price), region);
        }
    }
    if ctx.usage_num("monthly_streams_read_request_units").is_some() {
        usage_component(
            &mut out,
            ctx,
            "Streams read request units",
            "monthly_streams_read_request_units",
            1e-6,
            cat.dynamodb(region, DynamoDbPrice::StreamsReadRequests),
            region,
        );
    }
    if on_demand {
        Outcome::usage(out)
    } else {
        Outcome::new(out)
    }
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_dynamodb_table"],
    priced_from: r#"PROVISIONED: (table + GSI) WCU and RCU hours; PAY_PER_REQUEST: usage-based read/write request units; storage, PITR, backups, restores, streams from usage"#,
    assumptions: r#""#,
}];
