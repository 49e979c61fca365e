//! Storage accounts, Azure SQL databases, PostgreSQL/MySQL flexible servers, App Service
//! plans, Azure Cache for Redis.

use super::*;

pub(super) fn storage_account(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let kind = s(c, "account_kind").known().unwrap_or("StorageV2");
    let (Got::Known(tier), Got::Known(replication)) = (s(c, "account_tier"), s(c, "account_replication_type")) else {
        return Outcome::unknown("account_tier or account_replication_type is known only after apply");
    };
    let access = s(c, "access_tier").known().unwrap_or("Hot");
    let name = format!("Capacity ({kind} {tier} {replication} {access})");
    let (gb, hint) = usage_qty(ctx, "storage_gb");
    let comp = match ctx
        .catalog
        .azure_storage_capacity(region, &[kind, tier, replication, access])
    {
        Some(p) => {
            let c = super::super::tiered(name, gb, &p, region);
            match hint {
                Some(h) => c.note(h),
                None => c,
            }
        }
        None => unknown(
            name,
            "GB-month",
            format!("no Azure price in the catalog for this storage account in {region}"),
        ),
    };
    Outcome::usage(vec![comp])
}

pub(super) fn mssql_database(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = match region_via(ctx, "server_id", "azurerm_mssql_server") {
        Ok(r) => r,
        Err(o) => return o,
    };
    let sku = match s(c, "sku_name") {
        Got::Known(v) => v,
        // The provider's default for a new database.
        Got::Unset => "GP_S_Gen5_2",
        Got::Unknown => return Outcome::unknown("sku_name is known only after apply"),
    };
    if sku.starts_with("GP_S_") {
        return Outcome::unknown("serverless database: billed per vCore-second used (not modelled)");
    }
    let mut out = vec![az_priced(
        ctx,
        format!("Compute ({sku})"),
        ctx.hours(),
        AzureTable::SqlDatabaseCompute,
        &region,
        &[sku],
        || format!("SQL database SKU {sku}"),
    )];
    let vcore = ["GP_", "BC_", "HS_"].iter().any(|p| sku.starts_with(p));
    if vcore && s(c, "license_type").known() != Some("BasePrice") {
        out.push(unknown(
            "SQL licence",
            "hour",
            "the vCore licence price is not compiled into the catalog",
        ));
    }
    out.push(unknown(
        "Storage",
        "GB-month",
        "no Azure SQL storage price in the catalog",
    ));
    Outcome::new(out)
}

fn flexible_server(
    ctx: &Ctx<'_>,
    c: Cursor<'_>,
    compute: AzureTable,
    storage: AzureTable,
    storage_gb: Got<f64>,
    default_gb: f64,
) -> Outcome {
    let region = region!(ctx);
    let Got::Known(sku) = s(c, "sku_name") else {
        return Outcome::unknown("sku_name is known only after apply");
    };
    let (gb, assumed) = match storage_gb {
        Got::Known(v) => (v, None),
        _ => (
            default_gb,
            Some(format!(
                "storage size not set: {default_gb} GB assumed (the provider default)"
            )),
        ),
    };
    Outcome::new(vec![
        az_priced(
            ctx,
            format!("Compute ({sku})"),
            ctx.hours(),
            compute,
            region,
            &[sku],
            || format!("server SKU {sku}"),
        ),
        az_priced(ctx, "Storage", gb, storage, region, &[], || "server storage".into()).assumed(assumed),
    ])
}

pub(super) fn postgresql_flexible_server(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let gb = match n(c, "storage_mb") {
        Got::Known(mb) => Got::Known(mb / 1024.0),
        other => other,
    };
    flexible_server(
        ctx,
        c,
        AzureTable::PostgresCompute,
        AzureTable::PostgresStorage,
        gb,
        32.0,
    )
}

pub(super) fn mysql_flexible_server(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let gb = match block(c, "storage") {
        Got::Known(st) => n(st, "size_gb"),
        _ => Got::Unset,
    };
    flexible_server(ctx, c, AzureTable::MysqlCompute, AzureTable::MysqlStorage, gb, 20.0)
}

pub(super) fn service_plan(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (Got::Known(os), Got::Known(sku)) = (s(c, "os_type"), s(c, "sku_name")) else {
        return Outcome::unknown("os_type or sku_name is known only after apply");
    };
    let os = os.to_ascii_lowercase();
    let (workers, assumed) = match n(c, "worker_count") {
        Got::Known(v) => (v, None),
        _ => (1.0, Some("worker_count not set: 1 instance assumed".to_owned())),
    };
    Outcome::new(vec![az_priced(
        ctx,
        format!("Instance usage ({os}, {sku})"),
        ctx.hours() * workers,
        AzureTable::AppServicePlanHour,
        region,
        &[&os, sku],
        || format!("{os} plan SKU {sku}"),
    )
    .note(format!("{workers} instance(s)"))
    .assumed(assumed)])
}

pub(super) fn redis_cache(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (Got::Known(sku), Got::Known(family), Got::Known(capacity)) =
        (s(c, "sku_name"), s(c, "family"), n(c, "capacity"))
    else {
        return Outcome::unknown("sku_name, family or capacity is known only after apply");
    };
    let key = format!("{sku}_{family}{capacity}");
    // Basic: one node; Standard: primary + replica; Premium: (1 + replicas) per shard.
    let nodes = match sku {
        "Basic" => 1.0,
        "Standard" => 2.0,
        _ => {
            let shards = n(c, "shard_count").known().unwrap_or(0.0).max(1.0);
            let replicas = n(c, "replicas_per_primary").known().unwrap_or(1.0);
            shards * (1.0 + replicas)
        }
    };
    Outcome::new(vec![az_priced(
        ctx,
        format!("Cache usage ({key})"),
        ctx.hours() * nodes,
        AzureTable::RedisNodeHour,
        region,
        &[&key],
        || format!("Redis SKU {key}"),
    )
    .note(format!("{nodes} node(s)"))])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["azurerm_storage_account"],
        priced_from: r#"usage-based `storage_gb` at the tiered blob capacity price of kind/tier/replication/access tier"#,
        assumptions: r#"`account_kind` unset: StorageV2; `access_tier` unset: Hot"#,
    },
    ModelDoc {
        types: &["azurerm_mssql_database"],
        priced_from: r#"compute hours by `sku_name` (DTU and vCore); region from the server"#,
        assumptions: r#"serverless, vCore licence, storage: unknown (not in the compiled data)"#,
    },
    ModelDoc {
        types: &["azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"],
        priced_from: r#"compute hours by `sku_name` + storage GB-month"#,
        assumptions: r#"storage unset: **32 GB** PostgreSQL, **20 GB** MySQL"#,
    },
    ModelDoc {
        types: &["azurerm_service_plan"],
        priced_from: r#"`worker_count` × instance hours by `os_type` and `sku_name`"#,
        assumptions: r#"`worker_count` unset: 1"#,
    },
    ModelDoc {
        types: &["azurerm_redis_cache"],
        priced_from: r#"node hours by SKU (Basic 1 node, Standard 2, Premium (1 + replicas) per shard)"#,
        assumptions: r#""#,
    },
];
