//! RDS DB instances, Aurora cluster instances and clusters.

use super::*;

/// The vCPUs of an RDS instance class from its size (AWS's naming: `large` 2, `xlarge` 4,
/// `Nxlarge` 4N; burstable `micro`/`small`/`medium` 2, `db.t2.micro`/`small` 1). `None` for
/// sizes the rule does not cover (`metal`, previous-generation `m1`/`m2`/`m3`).
pub(super) fn rds_vcpus(class: &str) -> Option<f64> {
    let rest = class.strip_prefix("db.")?;
    let (family, size) = rest.split_once('.')?;
    if matches!(family, "m1" | "m2" | "m3") {
        return None;
    }
    match size {
        "micro" | "small" if family == "t2" => Some(1.0),
        "micro" | "small" | "medium" if family.starts_with('t') => Some(2.0),
        "large" => Some(2.0),
        "xlarge" => Some(4.0),
        _ => size
            .strip_suffix("xlarge")
            .and_then(|n| n.parse::<f64>().ok())
            .map(|n| n * 4.0),
    }
}

/// End of RDS standard support per engine and major version (AWS's published RDS release
/// calendars); Extended Support runs from the next day, its year 3 two years later.
pub(super) const RDS_STANDARD_SUPPORT_END: &[(&str, &str, &str)] = &[
    ("mysql", "5.7", "2024-02-29"),
    ("mysql", "8.0", "2026-07-31"),
    ("postgres", "11", "2024-02-29"),
    ("postgres", "12", "2025-02-28"),
    ("postgres", "13", "2026-02-28"),
    ("postgres", "14", "2027-02-28"),
    ("postgres", "15", "2028-02-29"),
    ("postgres", "16", "2029-02-28"),
];

/// The major version RDS support is tracked by: `5.7` for MySQL, `11` for PostgreSQL.
pub(super) fn rds_major_version<'v>(engine: &str, version: &'v str) -> &'v str {
    let mut dots = version.match_indices('.').map(|(i, _)| i);
    let cut = if engine == "mysql" { dots.nth(1) } else { dots.next() };
    cut.map_or(version, |i| &version[..i])
}

/// RDS Extended Support of the engine version, on the catalog's date: `Some((year3, text))`
/// when the version is past standard support and extended support is not disabled.
pub(super) fn rds_extended_support(
    ctx: &Ctx<'_>,
    c: Cursor<'_>,
    engine: &str,
) -> (Option<(bool, String)>, Option<String>) {
    let engine = if engine == "postgresql" { "postgres" } else { engine };
    if !matches!(engine, "mysql" | "postgres") {
        return (None, None);
    }
    let version =
        match s(c, "engine_version") {
            Got::Known(v) => v,
            Got::Unknown | Got::Unset => return (
                None,
                Some(
                    "engine_version not known at plan time: the engine's default version (standard support) assumed"
                        .to_owned(),
                ),
            ),
        };
    let major = rds_major_version(engine, version);
    let Some((_, _, end)) = RDS_STANDARD_SUPPORT_END
        .iter()
        .find(|(e, m, _)| *e == engine && *m == major)
    else {
        return (None, None);
    };
    let today = ctx.catalog.catalog_date();
    if !is_after(today, end) {
        return (None, None);
    }
    if s(c, "engine_lifecycle_support").known() == Some("open-source-rds-extended-support-disabled") {
        return (None, None);
    }
    let year3_start = format!(
        "{}{}",
        end.get(..4).and_then(|y| y.parse::<u32>().ok()).map_or(0, |y| y + 2),
        end.get(4..).unwrap_or("")
    );
    let year3 = is_after(today, &year3_start);
    let text = format!(
        "{engine} {major} is in RDS Extended Support on {today} (standard support ended {end}; {})",
        if year3 { "year 3 price" } else { "year 1-2 price" }
    );
    (Some((year3, text)), None)
}

/// The catalog's engine of an RDS instance: the open-source engines as they are; SQL Server
/// (licence included, RDS's only model); Oracle SE2 by `license_model` (licence included or
/// BYOL: the prices differ, so an unknown model is unknown); Oracle EE (BYOL only). Db2 and
/// RDS Custom pass through (no price: unknown).
fn rds_price_engine(engine: &str, license_model: Got<&str>) -> Result<String, String> {
    const BYOL: &str = "bring-your-own-license";
    let plain = engine.strip_suffix("-cdb").unwrap_or(engine);
    match (plain, license_model) {
        ("oracle-se2", Got::Known("license-included")) => Ok("oracle-se2".into()),
        ("oracle-se2", Got::Known(BYOL)) => Ok("oracle-se2-byol".into()),
        ("oracle-se2", _) => {
            Err("license_model not known at plan time: Oracle SE2 licence-included and BYOL prices differ".into())
        }
        ("oracle-ee", Got::Known(m)) if m != BYOL => {
            Err(format!("Oracle EE with license_model {m}: RDS offers BYOL only"))
        }
        ("oracle-ee", _) => Ok("oracle-ee-byol".into()),
        (e, Got::Known(BYOL)) if e.starts_with("sqlserver-") => {
            Err("SQL Server bring-your-own-license: the catalog has licence-included prices only".into())
        }
        _ => Ok(engine.to_owned()),
    }
}

pub(super) fn db_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    let engine = match s(c, "engine") {
        Got::Known(e) => e,
        _ => return Outcome::unknown("engine unknown until apply (a replica takes its source's engine)"),
    };
    let class = s(c, "instance_class").known();
    let (multi_az, az_assumed) = match b(c, "multi_az") {
        Got::Known(m) => (m, None),
        Got::Unknown => (
            false,
            Some("multi_az unknown until apply: single-AZ assumed (the default)".to_owned()),
        ),
        Got::Unset => (false, None),
    };
    let deployment = if multi_az { "Multi-AZ" } else { "Single-AZ" };
    let instances = if multi_az { 2.0 } else { 1.0 };
    match (class, rds_price_engine(engine, s(c, "license_model"))) {
        (Some(class), Err(why)) => out.push(unknown(
            format!("Database instance ({engine}, {class}, {deployment})"),
            "hour",
            why,
        )),
        (Some(class), Ok(price_engine)) => out.push(
            priced_or(
                format!("Database instance ({price_engine}, {class}, {deployment})"),
                ctx.hours(),
                ctx.catalog.rds_instance_hour(region, &price_engine, class, multi_az),
                region,
                || format!("RDS {price_engine} {class} {deployment}"),
            )
            .assumed(az_assumed.clone()),
        ),
        (None, _) => out.push(unknown(
            format!("Database instance ({engine}, {deployment})"),
            "hour",
            "instance_class is known only after apply and has no default",
        )),
    }
    let vcpus = ctx.usage_num("vcpu_count").or_else(|| class.and_then(rds_vcpus));
    let (extended, version_assumed) = rds_extended_support(ctx, c, engine);
    if let Some(c0) = out.first_mut() {
        *c0 = c0.clone().assumed(version_assumed);
    }
    if let Some((year3, text)) = extended {
        let name = "Extended support";
        match (vcpus, ctx.catalog.rds_extended_support_vcpu_hour(region, year3)) {
            (Some(v), Some(p)) => out.push(
                priced(name, v * instances * ctx.hours(), &p, region)
                    .note(format!("{text}; {v} vCPU(s) x {instances} instance(s)")),
            ),
            (None, _) => out.push(unknown(
                name,
                "vCPU-hour",
                format!("{text}; the vCPU count of the class is unknown (set vcpu_count in the usage file)"),
            )),
            (_, None) => out.push(unknown(
                name,
                "vCPU-hour",
                format!("{text}; no extended support price in the catalog for {region}"),
            )),
        }
    }
    let iops = n(c, "iops");
    let (storage_type, st_assumed) = match s(c, "storage_type") {
        Got::Known(t) => (t.to_owned(), None),
        other => {
            let t = if matches!(iops, Got::Known(i) if i > 0.0) {
                "io1"
            } else {
                "gp2"
            };
            let why = if other == Got::Unknown {
                "unknown until apply"
            } else {
                "not set"
            };
            (
                t.to_owned(),
                Some(format!(
                    "storage_type {why}: {t} assumed (AWS provider 5.x default: gp2, io1 when iops is set)"
                )),
            )
        }
    };
    let provisioned_iops = matches!(storage_type.as_str(), "io1" | "io2");
    let mut storage_assumed: Vec<String> = [az_assumed, st_assumed].into_iter().flatten().collect();
    // A replica or a restore inherits its storage. The provider plans `snapshot_identifier`
    // as unknown when it is not configured, so only a known one counts.
    let restored = s(c, "replicate_source_db") != Got::Unset
        || matches!(s(c, "snapshot_identifier"), Got::Known(_))
        || matches!(block(c, "restore_to_point_in_time"), Got::Known(_));
    let open_engine = matches!(engine, "mysql" | "mariadb" | "postgres" | "postgresql");
    let size = match n(c, "allocated_storage") {
        Got::Known(v) => Some(v),
        _ if !restored && open_engine && storage_type == "gp2" => {
            storage_assumed.push(format!(
                "allocated_storage not known at plan time: {RDS_DEFAULT_STORAGE_GB} GB assumed (the RDS default for gp2 {engine})"
            ));
            Some(RDS_DEFAULT_STORAGE_GB)
        }
        _ => None,
    };
    // AWS rejects io1/io2 below 100 GB and 1000 IOPS: a smaller figure is priced at the minimum.
    let size = match size {
        Some(gb) if provisioned_iops && gb < RDS_PIOPS_MIN_GB => {
            storage_assumed.push(format!(
                "{gb} GB is below the {storage_type} minimum: {RDS_PIOPS_MIN_GB} GB priced (AWS enforces it)"
            ));
            Some(RDS_PIOPS_MIN_GB)
        }
        other => other,
    };
    let iops = match iops {
        Got::Known(i) if provisioned_iops && i < RDS_PIOPS_MIN_IOPS => Got::Known(RDS_PIOPS_MIN_IOPS),
        other => other,
    };
    if storage_type == "gp3" && iops == Got::Unknown {
        storage_assumed.push("iops unknown until apply: the included gp3 baseline assumed".into());
    }
    if storage_type == "gp3" && n(c, "storage_throughput") == Got::Unknown {
        storage_assumed.push("storage_throughput unknown until apply: the included gp3 baseline assumed".into());
    }
    let storage_assumed = (!storage_assumed.is_empty()).then(|| storage_assumed.join("; "));
    let Some(prices) = ctx.catalog.rds_storage(region, &storage_type, multi_az) else {
        out.push(unknown(
            format!("Storage ({storage_type}, {deployment})"),
            "GB-month",
            format!("no price in the catalog for RDS {storage_type} storage in {region}"),
        ));
        rds_extras(ctx, c, region, class, vcpus, &mut out);
        return Outcome::new(out);
    };
    match size {
        Some(gb) => out.push(
            priced(
                format!("Storage ({storage_type}, {deployment})"),
                gb,
                &prices.storage,
                region,
            )
            .assumed(storage_assumed),
        ),
        None => out.push(unknown(
            format!("Storage ({storage_type}, {deployment})"),
            "GB-month",
            "allocated_storage unknown until apply (a replica or restore inherits it; no default for this engine and storage type)",
        )),
    }
    match (storage_type.as_str(), iops) {
        ("gp3", Got::Known(i)) => {
            // gp3 on RDS includes 3000 IOPS / 125 MiB/s below 400 GB, 12000 / 500 from 400 GB.
            let large = size.is_some_and(|gb| gb >= 400.0);
            let baseline = if large { 12000.0 } else { 3000.0 };
            if let (Some(p), true) = (&prices.provisioned_iops, i > baseline) {
                out.push(
                    priced("Provisioned IOPS above baseline (gp3)", i - baseline, p, region)
                        .note(format!("{baseline} IOPS included")),
                );
            }
            if let (Some(p), Got::Known(tp)) = (&prices.throughput, n(c, "storage_throughput")) {
                let base_tp = if large { 500.0 } else { 125.0 };
                if tp > base_tp {
                    out.push(
                        priced("Throughput above baseline (gp3)", tp - base_tp, p, region)
                            .note(format!("{base_tp} MiB/s included")),
                    );
                }
            }
        }
        ("io1" | "io2", Got::Known(i)) => {
            if let Some(p) = &prices.provisioned_iops {
                let mut comp = priced(format!("Provisioned IOPS ({storage_type})"), i, p, region);
                if n(c, "iops").known().is_some_and(|given| given < RDS_PIOPS_MIN_IOPS) {
                    comp = comp.note(format!(
                        "below the {storage_type} minimum: {RDS_PIOPS_MIN_IOPS} IOPS priced (AWS enforces it)"
                    ));
                }
                out.push(comp);
            }
        }
        ("io1" | "io2", _) => out.push(unknown(
            format!("Provisioned IOPS ({storage_type})"),
            "IOPS-month",
            "iops unknown until apply and has no default",
        )),
        _ => {}
    }
    if prices.io_requests.is_some() {
        usage_component(
            &mut out,
            ctx,
            "I/O requests (magnetic)",
            "monthly_standard_io_requests",
            1e-6,
            prices.io_requests.clone(),
            region,
        );
    }
    if let Some(gb) = ctx.usage_num("additional_backup_storage_gb") {
        out.push(priced_or(
            "Additional backup storage",
            gb,
            ctx.catalog.rds_backup_storage(region),
            region,
            || "RDS backup storage".into(),
        ));
    }
    rds_extras(ctx, c, region, class, vcpus, &mut out);
    Outcome::new(out)
}

/// RDS's default `allocated_storage` for gp2 MySQL, MariaDB and PostgreSQL (the console's and
/// the API's documented default).
pub(super) const RDS_DEFAULT_STORAGE_GB: f64 = 20.0;

/// Minimums AWS enforces for RDS Provisioned IOPS storage (io1, io2).
pub(super) const RDS_PIOPS_MIN_GB: f64 = 100.0;

pub(super) const RDS_PIOPS_MIN_IOPS: f64 = 1000.0;

/// Performance Insights long-term retention and T-class CPU credits (RDS and Aurora instances).
pub(super) fn rds_extras(
    ctx: &Ctx<'_>,
    c: Cursor<'_>,
    region: &str,
    class: Option<&str>,
    vcpus: Option<f64>,
    out: &mut Vec<Component>,
) {
    let retention = n(c, "performance_insights_retention_period").known().unwrap_or(7.0);
    if b(c, "performance_insights_enabled").known() == Some(true) && retention > 7.0 {
        // Retention is 7 days (free), a number of months of 31 days, or 731 days (2 years).
        let months = if retention >= 731.0 {
            24.0
        } else {
            (retention / 31.0).round().max(1.0)
        };
        let name = format!("Performance Insights long-term retention ({months} months)");
        let first = ctx.catalog.rds_performance_insights_vcpu_month(region, true);
        let additional = ctx.catalog.rds_performance_insights_vcpu_month(region, false);
        match (vcpus, first, additional) {
            (Some(v), Some(f), Some(a)) => {
                let per_vcpu = f.unit_price + (months - 1.0) * a.unit_price;
                out.push(Component {
                    name,
                    unit: "vCPU-month".into(),
                    quantity: Some(v),
                    unit_price: Some(per_vcpu),
                    monthly: Some(per_vcpu * v),
                    assumed: None,
                    approximate: None,
                    note: Some(format!(
                        "per vCPU: first month {} + {} additional month(s) x {}",
                        f.unit_price,
                        months - 1.0,
                        a.unit_price
                    )),
                });
            }
            (None, _, _) => out.push(unknown(
                name,
                "vCPU-month",
                "the vCPU count of the class is unknown (set vcpu_count in the usage file)",
            )),
            _ => out.push(unknown(
                name,
                "vCPU-month",
                format!("no Performance Insights price in the catalog for {region}"),
            )),
        }
    }
    let burstable = class.is_some_and(|k| ["db.t2.", "db.t3.", "db.t4g."].iter().any(|p| k.starts_with(p)));
    if let (true, Some(_)) = (burstable, ctx.usage_num("monthly_cpu_credit_hrs")) {
        out.push(unknown(
            "CPU credits (unlimited mode)",
            "vCPU-hour",
            "no RDS CPU credit price in the catalog (the EC2 rate does not apply to RDS)",
        ));
    }
}

/// True when the cluster of an Aurora instance uses I/O-Optimized storage; `None` unknown.
pub(super) fn aurora_io_optimized(ctx: &Ctx<'_>, c: Cursor<'_>) -> (bool, Option<String>) {
    let cluster = match s(c, "cluster_identifier") {
        Got::Known(id) => ctx.refs.by_id(ctx.plan, "aws_rds_cluster", id),
        _ => None,
    }
    .or_else(|| {
        ctx.refs
            .follow(ctx.plan, ctx.rc, &["cluster_identifier"], "aws_rds_cluster")
    });
    let Some(cluster) = cluster else {
        return (
            false,
            Some("cluster not found in the plan: Aurora Standard storage configuration assumed".into()),
        );
    };
    let cc = if ctx.before {
        cluster.values.before()
    } else {
        cluster.values.after()
    };
    match s(cc, "storage_type") {
        Got::Known(t) => (t == "aurora-iopt1", None),
        Got::Unset => (false, None),
        Got::Unknown => (
            false,
            Some("cluster storage_type unknown until apply: Aurora Standard assumed (the default)".into()),
        ),
    }
}

pub(super) fn rds_cluster_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let engine = match s(c, "engine") {
        Got::Known(e) => e,
        _ => return Outcome::unknown("engine unknown until apply"),
    };
    let class = match s(c, "instance_class") {
        Got::Known(k) => k,
        _ => return Outcome::unknown("instance_class is known only after apply and has no default"),
    };
    if class == "db.serverless" {
        return Outcome::usage(vec![unknown(
            "Aurora Serverless v2 capacity",
            "ACU-hour",
            "Serverless v2 capacity depends on load; not modelled from usage yet",
        )]);
    }
    let (io_opt, assumed) = aurora_io_optimized(ctx, c);
    let config = if io_opt { "I/O-Optimized" } else { "Standard" };
    let price = if engine.starts_with("aurora") {
        ctx.catalog.aurora_instance_hour(region, engine, class, io_opt)
    } else {
        ctx.catalog.rds_instance_hour(region, engine, class, false)
    };
    let mut out = vec![priced_or(
        format!("Database instance ({engine}, {class}, {config})"),
        ctx.hours(),
        price,
        region,
        || format!("{engine} {class}"),
    )
    .assumed(assumed)];
    let vcpus = ctx.usage_num("vcpu_count").or_else(|| rds_vcpus(class));
    rds_extras(ctx, c, region, Some(class), vcpus, &mut out);
    Outcome::new(out)
}

pub(super) fn rds_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let engine = s(c, "engine").known().unwrap_or("aurora-mysql");
    if !engine.starts_with("aurora") {
        return Outcome::unknown(format!(
            "Multi-AZ DB cluster ({engine}): not in the catalog; its instances are priced here"
        ));
    }
    let io_opt = s(c, "storage_type").known() == Some("aurora-iopt1");
    let mut out = Vec::new();
    let storage = if io_opt {
        AuroraUsage::StorageIoOptimized
    } else {
        AuroraUsage::StorageStandard
    };
    usage_component(
        &mut out,
        ctx,
        "Storage",
        "storage_gb",
        1.0,
        ctx.catalog.aurora_usage(region, storage),
        region,
    );
    if !io_opt {
        let rw = ctx.usage_num("write_requests_per_sec").unwrap_or(0.0)
            + ctx.usage_num("read_requests_per_sec").unwrap_or(0.0);
        if let Some(p) = ctx.catalog.aurora_usage(region, AuroraUsage::IoRequests) {
            let mut comp = priced("I/O requests", rw * seconds_per_month(ctx) / 1e6, &p, region);
            if ctx.usage_num("write_requests_per_sec").is_none() && ctx.usage_num("read_requests_per_sec").is_none() {
                comp = comp.note("usage-based: set write_requests_per_sec and read_requests_per_sec in the usage file");
            }
            out.push(comp);
        }
    }
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_db_instance"],
        priced_from: r#"instance hours (mysql, postgres, mariadb; SQL Server Express/Web/Standard/Enterprise licence included; Oracle SE2 licence included or BYOL by `license_model`, Oracle EE BYOL; single/multi-AZ, licensed Multi-AZ in eu-west-1 only), storage, gp3 IOPS/throughput above the baseline (3000/125 below 400 GB, 12000/500 from 400 GB), io1/io2 IOPS (at least AWS's minimums: 100 GB, 1000 IOPS), magnetic I/O and backup storage from usage; RDS Extended Support (per vCPU-hour, both instances of a Multi-AZ pair, year 1-2 or year 3 price) when `engine_version` is past standard support on the catalog's date (MySQL 5.7, 8.0; PostgreSQL 11 to 16 calendar), unless `engine_lifecycle_support` disables it; Performance Insights long-term retention (`performance_insights_retention_period` > 7: first month + additional months per vCPU; eu-west-1 prices, elsewhere unknown); vCPUs from the class size (large 2, xlarge 4, Nxlarge 4N) or usage `vcpu_count`"#,
        assumptions: r#"`multi_az` unknown: **single-AZ**; `storage_type` unknown/unset: **gp2, or io1 when `iops` is set** (AWS provider 5.x); gp3 `iops`/`storage_throughput` unknown: the baseline; `allocated_storage` unknown for gp2 MySQL/MariaDB/PostgreSQL that is not a replica or restore: **20 GB** (the RDS default); `engine_version` unknown: the default version (standard support). Unknown parts (`instance_class`, a replica's or restore's storage, Oracle SE2 with `license_model` unknown, SQL Server BYOL, licensed Multi-AZ outside eu-west-1, Db2 instance hours, T-class CPU credits from `monthly_cpu_credit_hrs`: no RDS credit price in the catalog) are named and the rest kept: partial"#,
    },
    ModelDoc {
        types: &["aws_rds_cluster_instance"],
        priced_from: r#"Aurora instance hours (Standard or I/O-Optimized from the cluster's `storage_type`, found by id or reference); Performance Insights long-term retention and T-class CPU credits as for `aws_db_instance`"#,
        assumptions: r#"cluster storage config unknown: Standard. `db.serverless`: usage-based (not modelled)"#,
    },
    ModelDoc {
        types: &["aws_rds_cluster"],
        priced_from: r#"usage-based: Aurora storage (`storage_gb`), I/O (`write_requests_per_sec` + `read_requests_per_sec` x 2 628 000 s)"#,
        assumptions: r#""#,
    },
];
