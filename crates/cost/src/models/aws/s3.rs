//! S3 buckets (usage-based, per storage class).

use super::*;

/// Storage classes of the usage file, with their catalog class.
pub(super) const S3_CLASSES: &[(&str, &str, &str)] = &[
    ("standard", "STANDARD", "Standard"),
    ("standard_infrequent_access", "STANDARD_IA", "Standard-IA"),
    ("one_zone_infrequent_access", "ONEZONE_IA", "One Zone-IA"),
    ("glacier_instant_retrieval", "GLACIER_IR", "Glacier Instant Retrieval"),
    ("glacier_flexible_retrieval", "GLACIER", "Glacier Flexible Retrieval"),
    ("glacier_deep_archive", "DEEP_ARCHIVE", "Glacier Deep Archive"),
];

pub(super) fn s3_bucket(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    let any_class = ctx.usage.is_some_and(|u| {
        S3_CLASSES.iter().any(|(k, _, _)| u.object(k).is_some()) || u.object("intelligent_tiering").is_some()
    });
    for (key, class, label) in S3_CLASSES {
        let given = ctx.usage.and_then(|u| u.object(key));
        if given.is_none() && (any_class || *key != "standard") {
            continue;
        }
        let Some(p) = ctx.catalog.s3(region, class) else {
            if given.is_some() {
                out.push(unknown(
                    format!("{label} storage"),
                    "GB-month",
                    format!("no S3 {class} price in the catalog for {region}"),
                ));
            }
            continue;
        };
        let q = |k: &str| given.and_then(|g| g.number(k));
        let hint = |c: Component, k: &str| {
            if given.is_none() {
                c.note(format!("usage-based: set {key}.{k} in the usage file"))
            } else {
                c
            }
        };
        out.push(hint(
            tiered(
                format!("{label} storage"),
                q("storage_gb").unwrap_or(0.0),
                &p.storage,
                region,
            ),
            "storage_gb",
        ));
        if let Some(t1) = &p.tier1_requests {
            out.push(hint(
                priced(
                    format!("{label} PUT, COPY, POST, LIST requests"),
                    q("monthly_tier_1_requests").unwrap_or(0.0) / 1000.0,
                    t1,
                    region,
                ),
                "monthly_tier_1_requests",
            ));
        }
        if let Some(t2) = &p.tier2_requests {
            out.push(hint(
                priced(
                    format!("{label} GET, SELECT and other requests"),
                    q("monthly_tier_2_requests").unwrap_or(0.0) / 1000.0,
                    t2,
                    region,
                ),
                "monthly_tier_2_requests",
            ));
        }
        if let (Some(r), Some(gb)) = (&p.retrieval, q("monthly_data_retrieval_gb")) {
            out.push(priced(format!("{label} data retrieval"), gb, r, region));
        }
        for (k, what) in [
            ("monthly_select_data_scanned_gb", "scanned"),
            ("monthly_select_data_returned_gb", "returned"),
        ] {
            if let Some(gb) = q(k) {
                let mut comp = unknown(
                    format!("{label} S3 Select data {what}"),
                    "GB",
                    "no S3 Select price in the catalog",
                );
                comp.quantity = Some(gb);
                out.push(comp);
            }
        }
    }
    if let Some(it) = ctx.usage.and_then(|u| u.object("intelligent_tiering")) {
        for (key, class, label) in [
            (
                "frequent_access_storage_gb",
                "intelligent_tiering",
                "Intelligent-Tiering frequent access storage",
            ),
            (
                "infrequent_access_storage_gb",
                "intelligent_tiering_infrequent",
                "Intelligent-Tiering infrequent access storage",
            ),
        ] {
            if let Some(gb) = it.number(key) {
                match ctx.catalog.s3(region, class) {
                    Some(p) => out.push(tiered(label, gb, &p.storage, region)),
                    None => out.push(unknown(label, "GB-month", format!("no S3 {class} price for {region}"))),
                }
            }
        }
        if let Some(p) = ctx.catalog.s3(region, "intelligent_tiering") {
            if let (Some(m), Some(objects)) = (&p.monitoring, it.number("monthly_monitored_objects")) {
                out.push(priced("Intelligent-Tiering monitoring", objects / 1000.0, m, region));
            }
            if let (Some(t1), Some(r)) = (&p.tier1_requests, it.number("monthly_tier_1_requests")) {
                out.push(priced(
                    "Intelligent-Tiering PUT, COPY, POST, LIST requests",
                    r / 1000.0,
                    t1,
                    region,
                ));
            }
            if let (Some(t2), Some(r)) = (&p.tier2_requests, it.number("monthly_tier_2_requests")) {
                out.push(priced(
                    "Intelligent-Tiering GET, SELECT and other requests",
                    r / 1000.0,
                    t2,
                    region,
                ));
            }
        }
    }
    Outcome::usage(out)
}

pub(super) fn bucket_analytics(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    storage_management(
        ctx,
        "Objects monitored (Storage Class Analysis)",
        "monthly_monitored_objects",
        "analytics",
    )
}

pub(super) fn bucket_inventory(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    storage_management(
        ctx,
        "Objects listed (S3 Inventory)",
        "monthly_listed_objects",
        "inventory",
    )
}

fn storage_management(ctx: &Ctx<'_>, name: &str, key: &str, feature: &str) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    let price = ctx.catalog.aws_service("s3_storage_management", region, &[feature]);
    usage_component(&mut out, ctx, name, key, 1e-6, price, region);
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_s3_bucket"],
        priced_from: r#"usage-based, per storage class object (`standard`, `standard_infrequent_access`, `one_zone_infrequent_access`, `glacier_instant_retrieval`, `glacier_flexible_retrieval`, `glacier_deep_archive`, `intelligent_tiering`): storage (tiered), tier 1/2 requests, retrieval, monitoring; S3 Select `monthly_select_data_scanned_gb` / `monthly_select_data_returned_gb`: read, but unknown (no S3 Select price in the catalog): partial"#,
        assumptions: r#"no usage: STANDARD unit prices shown at quantity 0"#,
    },
    ModelDoc {
        types: &["aws_s3_bucket_analytics_configuration"],
        priced_from: r#"usage-based: objects monitored (`monthly_monitored_objects`, per 1M)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_s3_bucket_inventory"],
        priced_from: r#"usage-based: objects listed (`monthly_listed_objects`, per 1M)"#,
        assumptions: r#""#,
    },
];
