//! EBS volumes and snapshots: storage, IOPS, throughput, I/O requests.

use super::*;

/// One EBS volume's attributes as planned.
pub(super) struct Volume {
    pub(super) label: String,
    pub(super) vtype: String,
    pub(super) size: Option<f64>,
    pub(super) iops: Got<f64>,
    pub(super) throughput: Got<f64>,
    pub(super) assumed: Vec<String>,
}

impl Volume {
    /// Reads a block (`root_block_device[0]`, `ebs_block_device[i]`, a launch template's
    /// `block_device_mappings[i].ebs[0]`), filling AWS defaults where allowed.
    pub(super) fn read(
        c: Cursor<'_>,
        label: String,
        type_key: &str,
        size_key: &str,
        default_size: Option<f64>,
        size_default_reason: &str,
    ) -> Volume {
        let mut assumed = Vec::new();
        let vtype = match s(c, type_key) {
            Got::Known(t) => t.to_owned(),
            Got::Unknown => {
                assumed.push(format!(
                    "{type_key} unknown until apply: {DEFAULT_ROOT_TYPE} assumed (the AMI decides)"
                ));
                DEFAULT_ROOT_TYPE.to_owned()
            }
            Got::Unset => {
                assumed.push(format!(
                    "{type_key} not set: {DEFAULT_ROOT_TYPE} assumed (the AMI decides)"
                ));
                DEFAULT_ROOT_TYPE.to_owned()
            }
        };
        let size = match n(c, size_key) {
            Got::Known(v) => Some(v),
            _ => default_size.inspect(|d| assumed.push(format!("{size_key} {size_default_reason}: {d} GB assumed"))),
        };
        Volume {
            label,
            vtype,
            size,
            iops: n(c, "iops"),
            throughput: n(c, "throughput"),
            assumed,
        }
    }

    pub(super) fn default_root(label: &str, reason: &str, size: f64) -> Volume {
        Volume {
            label: label.to_owned(),
            vtype: DEFAULT_ROOT_TYPE.to_owned(),
            size: Some(size),
            iops: Got::Unset,
            throughput: Got::Unset,
            assumed: vec![format!(
                "{reason}: {size} GB {DEFAULT_ROOT_TYPE} assumed (the AMI decides)"
            )],
        }
    }
}

/// Storage, IOPS and throughput of `count` identical volumes.
pub(super) fn volume_components(ctx: &Ctx<'_>, region: &str, v: &Volume, count: f64, out: &mut Vec<Component>) {
    let label = &v.label;
    let prices = ctx.catalog.ebs(region, &v.vtype);
    let mut assumed = v.assumed.clone();
    if let Some(p) = &prices {
        // gp3 includes a baseline; a value unknown until apply is the provider's default,
        // which is that baseline.
        let free_iops = p
            .iops
            .as_ref()
            .is_some_and(|t| t.tiers.first().is_some_and(|t| t.price == 0.0));
        if free_iops && v.iops == Got::Unknown {
            assumed.push("iops unknown until apply: the included 3000 IOPS baseline assumed".into());
        }
        if p.throughput.is_some() && v.throughput == Got::Unknown {
            assumed.push("throughput unknown until apply: the included 125 MiB/s baseline assumed".into());
        }
    }
    let assumed = (!assumed.is_empty()).then(|| assumed.join("; "));
    let Some(prices) = prices else {
        out.push(unknown(
            format!("{label}Storage ({})", v.vtype),
            "GB-month",
            format!("no price in the catalog for EBS volume type {} in {region}", v.vtype),
        ));
        return;
    };
    match v.size {
        Some(size) => out.push(
            priced(
                format!("{label}Storage ({})", v.vtype),
                size * count,
                &prices.storage,
                region,
            )
            .assumed(assumed),
        ),
        None => out.push(unknown(
            format!("{label}Storage ({})", v.vtype),
            "GB-month",
            "volume size unknown until apply (taken from the snapshot) and has no default",
        )),
    }
    if let Some(iops_price) = &prices.iops {
        let free_baseline = iops_price.tiers.first().is_some_and(|t| t.price == 0.0);
        match v.iops {
            Got::Known(iops) => {
                let mut c = tiered(
                    format!("{label}Provisioned IOPS ({})", v.vtype),
                    iops * count,
                    iops_price,
                    region,
                );
                // Tiers apply per volume, so price one volume and scale.
                c.monthly = Some(iops_price.cost(iops) * count);
                c.unit_price = Some(if iops > 0.0 { iops_price.cost(iops) / iops } else { 0.0 });
                if free_baseline {
                    c = c.note("first 3000 IOPS per volume included");
                }
                out.push(c);
            }
            _ if free_baseline => {}
            _ => out.push(unknown(
                format!("{label}Provisioned IOPS ({})", v.vtype),
                "IOPS-month",
                "iops unknown until apply and has no default for this volume type",
            )),
        }
    }
    if let (Some(tp_price), Got::Known(tp)) = (&prices.throughput, v.throughput) {
        let mut c = tiered(format!("{label}Throughput ({})", v.vtype), tp * count, tp_price, region);
        c.monthly = Some(tp_price.cost(tp) * count);
        c.unit_price = Some(if tp > 0.0 { tp_price.cost(tp) / tp } else { 0.0 });
        out.push(c.note("first 125 MiB/s per volume included"));
    }
    if prices.io_requests.is_some() {
        usage_component(
            out,
            ctx,
            &format!("{label}I/O requests ({})", v.vtype),
            "monthly_standard_io_requests",
            count / 1e6,
            prices.io_requests.clone(),
            region,
        );
    }
}

pub(super) fn ebs_volume(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    let mut v = Volume::read(c, String::new(), "type", "size", None, "");
    // aws_ebs_volume's `type` defaults to gp2 in the EC2 API, not to the AMI's choice.
    v.assumed
        .iter_mut()
        .for_each(|a| *a = a.replace("(the AMI decides)", "(the EC2 API default)"));
    volume_components(ctx, region, &v, 1.0, &mut out);
    Outcome::new(out)
}

pub(super) fn ebs_snapshot(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let archive = s(c, "storage_tier").known() == Some("archive");
    match n(c, "volume_size") {
        Got::Known(gb) => Outcome::new(vec![priced_or(
            "Snapshot storage",
            gb,
            ctx.catalog.ebs_snapshot(region, archive),
            region,
            || "EBS snapshot storage".into(),
        )
        .note("full volume size: an upper bound, snapshots are incremental")]),
        _ => Outcome::unknown("volume_size is known only after apply (taken from the volume)"),
    }
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_ebs_volume"],
        priced_from: r#"storage, IOPS, throughput as above; magnetic I/O from `monthly_standard_io_requests`"#,
        assumptions: r#"`type` unknown: **gp2** (EC2 API default); gp3 `iops`/`throughput` unknown: the included 3000 IOPS / 125 MiB/s baseline (`assumed`); size unknown (from a snapshot): unknown"#,
    },
    ModelDoc {
        types: &["aws_ebs_snapshot", "aws_ebs_snapshot_copy"],
        priced_from: r#"full `volume_size` at the snapshot rate (an upper bound)"#,
        assumptions: r#"size unknown: unknown"#,
    },
];
