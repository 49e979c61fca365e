//! Compute Engine: instances, disks, external addresses, Cloud NAT.

use super::*;

/// Boot disk GCE creates when the plan doesn't say: public images are 10 GB, `pd-standard`
/// is the API default type.
pub(super) const DEFAULT_BOOT_GB: f64 = 10.0;

pub(super) const DEFAULT_DISK_TYPE: &str = "pd-standard";

/// Size of one local SSD partition.
pub(super) const LOCAL_SSD_GB: f64 = 375.0;

/// `projects/p/zones/z/diskTypes/pd-ssd` and `pd-ssd` both give `pd-ssd`.
pub(super) fn last_segment(v: &str) -> &str {
    v.rsplit('/').next().unwrap_or(v)
}

pub(super) fn disk_component(
    ctx: &Ctx<'_>,
    region: &str,
    label: &str,
    disk_type: &str,
    size: f64,
    regional: bool,
    assumed: Option<String>,
) -> crate::report::Component {
    let kind = if regional { "regional" } else { "zonal" };
    priced_or(
        format!("{label} ({disk_type}, {kind})"),
        size,
        ctx.catalog.gcp_disk(region, disk_type, regional),
        region,
        || format!("{disk_type} {kind} disk"),
    )
    .assumed(assumed)
}

pub(super) fn compute_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(machine_type) = s(c, "machine_type") else {
        return Outcome::unknown("machine_type is known only after apply and has no default");
    };
    let machine_type = last_segment(machine_type);
    if let Got::Known(sched) = block(c, "scheduling") {
        let spot = s(sched, "provisioning_model").known() == Some("SPOT");
        if spot || crate::models::b(sched, "preemptible").known() == Some(true) {
            return Outcome::unknown("Spot/preemptible VM: the catalog has on-demand prices only");
        }
    }
    let hours = ctx.usage_num("monthly_hrs").unwrap_or(ctx.hours());
    let mut out = vec![priced_or(
        format!("Instance usage ({machine_type}, on-demand)"),
        hours,
        ctx.catalog.gcp_machine_hour(region, machine_type),
        region,
        || format!("machine type {machine_type}"),
    )];
    let params = c.get("boot_disk").at(0).get("initialize_params").at(0);
    let mut assumed = Vec::new();
    let disk_type = match s(params, "type") {
        Got::Known(t) => last_segment(t).to_owned(),
        other => {
            assumed.push(format!(
                "boot disk type {}: {DEFAULT_DISK_TYPE} assumed",
                if other == Got::Unknown {
                    "unknown until apply"
                } else {
                    "not set"
                }
            ));
            DEFAULT_DISK_TYPE.to_owned()
        }
    };
    let size = match n(params, "size") {
        Got::Known(v) => v,
        other => {
            assumed.push(format!(
                "boot disk size {}: {DEFAULT_BOOT_GB} GB assumed (public image size)",
                if other == Got::Unknown {
                    "unknown until apply"
                } else {
                    "not set"
                }
            ));
            DEFAULT_BOOT_GB
        }
    };
    out.push(disk_component(
        ctx,
        region,
        "Boot disk",
        &disk_type,
        size,
        false,
        (!assumed.is_empty()).then(|| assumed.join("; ")),
    ));
    let scratch = blocks(c, "scratch_disk").map_or(0, |v| v.len());
    if scratch > 0 {
        out.push(disk_component(
            ctx,
            region,
            &format!("Local SSD x{scratch}"),
            "local-ssd",
            LOCAL_SSD_GB * scratch as f64,
            false,
            None,
        ));
    }
    if blocks(c, "guest_accelerator").is_some_and(|g| !g.is_empty()) {
        out.push(unknown("GPUs", "hour", "no GPU prices in the catalog"));
    }
    Outcome::new(out)
}

pub(super) fn compute_disk(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let regional = ctx.rc.resource_type == "google_compute_region_disk";
    let (disk_type, type_assumed) = match s(c, "type") {
        Got::Known(t) => (last_segment(t).to_owned(), None),
        Got::Unset => (DEFAULT_DISK_TYPE.to_owned(), None),
        Got::Unknown => (
            DEFAULT_DISK_TYPE.to_owned(),
            Some(format!(
                "type unknown until apply: {DEFAULT_DISK_TYPE} assumed (the default)"
            )),
        ),
    };
    let (size, size_assumed) = match n(c, "size") {
        Got::Known(v) => (v, None),
        _ if matches!(s(c, "image"), Got::Known(_)) => (
            DEFAULT_BOOT_GB,
            Some(format!(
                "size unknown until apply: {DEFAULT_BOOT_GB} GB assumed (public image size)"
            )),
        ),
        _ => {
            return Outcome::unknown(
                "size is known only after apply (snapshot or default size) and has no default here",
            )
        }
    };
    let assumed = [type_assumed, size_assumed].into_iter().flatten().collect::<Vec<_>>();
    Outcome::new(vec![disk_component(
        ctx,
        region,
        "Persistent disk",
        &disk_type,
        size,
        regional,
        (!assumed.is_empty()).then(|| assumed.join("; ")),
    )])
}

pub(super) fn compute_address(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if s(c, "address_type").known() == Some("INTERNAL") {
        return Outcome::free("internal addresses are free");
    }
    let region = region!(ctx);
    let in_use = c
        .get("users")
        .known()
        .and_then(|v| v.as_array())
        .is_some_and(|u| !u.is_empty());
    let (state, assumed) = if in_use {
        ("in use", None)
    } else {
        (
            "in use",
            Some("attachment unknown at plan time: in-use rate assumed (an unattached static address costs twice as much)".to_owned()),
        )
    };
    Outcome::new(vec![priced_or(
        format!("Static external IP ({state})"),
        ctx.hours(),
        ctx.catalog.gcp_external_ip(region, true),
        region,
        || "external IP".into(),
    )
    .assumed(assumed)])
}

/// The region whose external-IP rate prices a global address: the IP table is regional, and
/// Google publishes one static-address rate for regional and global addresses.
const GLOBAL_ADDRESS_RATE_REGION: &str = "us-central1";

pub(super) fn compute_global_address(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if s(c, "address_type").known() == Some("INTERNAL") {
        return Outcome::free("internal addresses (VPC peering, Private Service Connect ranges) are free");
    }
    Outcome::new(vec![priced_or(
        "Static external IP (global, in use)",
        ctx.hours(),
        ctx.catalog.gcp_external_ip(GLOBAL_ADDRESS_RATE_REGION, true),
        GLOBAL_ADDRESS_RATE_REGION,
        || "external IP".into(),
    )
    .assumed(Some(format!(
        "a global address, priced at the {GLOBAL_ADDRESS_RATE_REGION} in-use external-IP rate; attachment unknown at plan time (an unattached static address costs twice as much)"
    )))])
}

pub(super) fn router_nat(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Some(p) = ctx.catalog.gcp_cloud_nat(region) else {
        return Outcome::unknown(format!("no Cloud NAT price in the catalog for {region}"));
    };
    // The catalog's gateway rate is the cap reached at 32 VMs; below that GCP bills per VM.
    let gateway = match ctx.usage_num("assigned_vms") {
        Some(vms) => {
            let mut c = priced(
                "NAT gateway (assigned VMs)",
                ctx.hours() * vms.min(32.0) / 32.0,
                &p.gateway_hour,
                region,
            );
            c = c.note(format!("{vms} VM(s); billed per VM up to 32"));
            c
        }
        None => priced("NAT gateway", ctx.hours(), &p.gateway_hour, region).assumed(Some(
            "assigned_vms not given: the 32-VM cap assumed (an upper bound)".into(),
        )),
    };
    let mut out = vec![gateway];
    usage_component(
        &mut out,
        ctx,
        "Data processed",
        "monthly_data_processed_gb",
        1.0,
        p.data_processed,
        region,
    );
    Outcome::new(out)
}

/// Snapshot storage is what the snapshot holds (compressed, incremental): known only from usage.
pub(super) fn compute_snapshot(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (gb, hint) = crate::models::usage_qty(ctx, "storage_gb");
    let comp = priced_or(
        "Snapshot storage",
        gb,
        ctx.catalog.gcp_disk(region, "snapshot", false),
        region,
        || "snapshot storage".into(),
    );
    Outcome::usage(vec![match hint {
        Some(h) if comp.monthly.is_some() => comp.note(h),
        _ => comp,
    }])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["google_compute_instance"],
        priced_from: r#"machine type hours (on-demand, no sustained-use discount); boot disk; local SSDs (375 GB each)"#,
        assumptions: r#"boot disk type unknown/unset: **pd-standard**; size: **10 GB** (public image); spot/preemptible, GPUs, custom types: unknown"#,
    },
    ModelDoc {
        types: &["google_compute_disk", "google_compute_region_disk"],
        priced_from: r#"GB-month by type (zonal/regional)"#,
        assumptions: r#"type unknown: pd-standard; size unknown with an image: 10 GB; blank disk size unknown: unknown"#,
    },
    ModelDoc {
        types: &["google_compute_snapshot"],
        priced_from: r#"usage-based `storage_gb` at the snapshot GB-month price"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["google_compute_address"],
        priced_from: r#"in-use external IP hours; INTERNAL free"#,
        assumptions: r#"attachment unknown: in-use rate (an unused static address costs twice as much)"#,
    },
    ModelDoc {
        types: &["google_compute_global_address"],
        priced_from: r#"in-use external IP hours at the us-central1 rate (the IP table is regional); INTERNAL free"#,
        assumptions: r#"attachment unknown: in-use rate"#,
    },
    ModelDoc {
        types: &["google_compute_router_nat"],
        priced_from: r#"gateway hours (per VM up to 32 from `assigned_vms`) + data processed"#,
        assumptions: r#"`assigned_vms` not given: the 32-VM cap (an upper bound)"#,
    },
];
