//! EKS clusters (standard and extended support) and managed node groups.

use super::*;

/// EKS managed node group defaults (provider docs: `disk_size` 20, `instance_types` t3.medium).
pub(super) const EKS_DEFAULT_DISK_GB: f64 = 20.0;

pub(super) const EKS_DEFAULT_INSTANCE_TYPE: &str = "t3.medium";

pub(super) fn eks_node_group(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let scaling = c.get("scaling_config").at(0);
    let (count, count_assumed) = match (
        ctx.usage_num("instances"),
        n(scaling, "desired_size"),
        n(scaling, "min_size"),
    ) {
        (Some(u), _, _) => (u, None),
        (None, Got::Known(d), _) => (d, None),
        (None, _, Got::Known(m)) => (m, Some(format!("desired_size unknown until apply: min_size {m} used"))),
        _ => return Outcome::unknown("scaling_config desired_size is unknown until apply"),
    };
    let spot = s(c, "capacity_type").known() == Some("SPOT");
    let capacity_assumed = (s(c, "capacity_type") == Got::Unknown)
        .then(|| "capacity_type unknown until apply: ON_DEMAND assumed (the EKS default)".to_owned());
    let lt = find_launch_template(ctx, c, &["launch_template", "id"]);
    let mut spec = match &lt {
        Some(lt) => launch_template_spec(lt, ctx.before),
        None => LaunchSpec {
            instance_type: Got::Unset,
            source: None,
            volumes: Vec::new(),
            monitoring: false,
            spot: false,
            os: None,
        },
    };
    let types = c.get("instance_types");
    let first_type = types.at(0).as_str();
    let mut type_assumed = None;
    match first_type {
        Some(t) => {
            spec.instance_type = Got::Known(t.to_owned());
            spec.source = None;
        }
        None if matches!(spec.instance_type, Got::Known(_)) => {}
        None if types.is_unknown() && lt.is_some() => {}
        None => {
            spec.instance_type = Got::Known(EKS_DEFAULT_INSTANCE_TYPE.to_owned());
            type_assumed = Some(format!(
                "instance_types {}: {EKS_DEFAULT_INSTANCE_TYPE} assumed (the EKS default)",
                if types.is_unknown() {
                    "unknown until apply"
                } else {
                    "not set"
                }
            ));
        }
    }
    if lt.is_none() {
        let disk = match n(c, "disk_size") {
            Got::Known(d) => Volume {
                label: "disk: ".into(),
                vtype: DEFAULT_ROOT_TYPE.into(),
                size: Some(d),
                iops: Got::Unset,
                throughput: Got::Unset,
                assumed: vec![format!("volume type: {DEFAULT_ROOT_TYPE} assumed (EKS AMI default)")],
            },
            other => Volume::default_root(
                "disk: ",
                if other == Got::Unknown {
                    "disk_size unknown until apply"
                } else {
                    "disk_size not set"
                },
                EKS_DEFAULT_DISK_GB,
            ),
        };
        spec.volumes = vec![disk];
    } else if spec.volumes.is_empty() {
        spec.volumes.push(Volume::default_root(
            "disk: ",
            "launch template maps no volumes",
            EKS_DEFAULT_DISK_GB,
        ));
    }
    spec.spot = spot;
    // EKS AMI types name their OS (AL2_*, AL2023_*, BOTTLEROCKET_*, WINDOWS_*); unset is an
    // Amazon Linux default; CUSTOM leaves it to the launch template's AMI.
    spec.os = match s(c, "ami_type") {
        Got::Known(t) if t.starts_with("WINDOWS") => Some("windows".into()),
        Got::Known("CUSTOM") | Got::Unknown => None,
        _ => Some("linux".into()),
    };
    let assumed = [count_assumed, type_assumed, capacity_assumed]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let assumed = (!assumed.is_empty()).then(|| assumed.join("; "));
    let mut out = Vec::new();
    price_launch_spec(ctx, region, &spec, count, assumed, &mut out);
    Outcome::new(out)
}

/// End of standard support of each EKS Kubernetes version (AWS's published EKS release
/// calendar). Older versions are past it; newer ones are within it.
pub(super) const EKS_STANDARD_SUPPORT_END: &[(u32, &str)] = &[
    (23, "2023-10-11"),
    (24, "2024-01-31"),
    (25, "2024-05-01"),
    (26, "2024-06-11"),
    (27, "2024-07-24"),
    (28, "2024-11-26"),
    (29, "2025-03-23"),
    (30, "2025-07-23"),
    (31, "2025-11-26"),
    (32, "2026-03-23"),
    (33, "2026-07-29"),
    (34, "2026-12-02"),
];

/// The minor version of a Kubernetes version `1.NN` (`"1.29"`, `"1.29.3"`).
pub(super) fn kubernetes_minor(version: &str) -> Option<u32> {
    let mut parts = version.trim_start_matches('v').split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}

pub(super) fn eks_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    // Support status on the catalog's date, so that the estimate does not change by itself
    // with the wall clock: the catalog's prices are as of that date too.
    let today = ctx.catalog.catalog_date();
    let auto_upgrade = c.get("upgrade_policy").at(0).get("support_type").as_str() == Some("STANDARD");
    let (extended, why, assumed) = match s(c, "version") {
        Got::Known(v) => match kubernetes_minor(v) {
            Some(minor) => {
                let end = EKS_STANDARD_SUPPORT_END
                    .iter()
                    .find(|(m, _)| *m == minor)
                    .map(|(_, d)| *d);
                let past = match end {
                    Some(end) => is_after(today, end),
                    None => EKS_STANDARD_SUPPORT_END
                        .first()
                        .is_some_and(|(oldest, _)| minor < *oldest),
                };
                match (past, auto_upgrade) {
                    (true, true) => (
                        false,
                        format!("Kubernetes 1.{minor} is past standard support on {today}; upgrade_policy STANDARD: AWS upgrades the cluster instead of charging extended support"),
                        None,
                    ),
                    (true, false) => (
                        true,
                        format!(
                            "Kubernetes 1.{minor} is in extended support on {today} (standard support ended {})",
                            end.unwrap_or("before 2023-10-11")
                        ),
                        None,
                    ),
                    (false, _) => (false, format!("Kubernetes 1.{minor}: standard support on {today}"), None),
                }
            }
            None => (false, "version not of the form 1.NN: standard support".to_owned(), None),
        },
        Got::Unknown | Got::Unset => (
            false,
            "standard support".to_owned(),
            Some(
                "version not known at plan time: the latest version (standard support) assumed, as EKS creates"
                    .to_owned(),
            ),
        ),
    };
    Outcome::new(vec![priced_or(
        if extended {
            "EKS cluster (extended support)"
        } else {
            "EKS cluster"
        },
        ctx.hours(),
        ctx.catalog.eks_cluster_hour(region, extended),
        region,
        || "EKS cluster".into(),
    )
    .assumed(assumed)
    .note(why)])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_eks_cluster"],
        priced_from: r#"cluster hours: standard support ($0.10/h), or extended support ($0.60/h) when `version` is past the end of its standard support (EKS release calendar, 1.23 to 1.34) on the catalog's date, unless `upgrade_policy.support_type = STANDARD` (AWS upgrades instead)"#,
        assumptions: r#"`version` unknown/unset: the latest version (standard support), as EKS creates"#,
    },
    ModelDoc {
        types: &["aws_eks_node_group"],
        priced_from: r#"desired size x instance hours + disk; the OS from `ami_type` (`WINDOWS_*`: no prices)"#,
        assumptions: r#"`instance_types` unknown/unset: **t3.medium**; `disk_size` unknown: **20 GB gp2**; `capacity_type` unknown: ON_DEMAND; SPOT: instance hours unknown with the on-demand upper bound in the note, disks priced (partial). With a launch template: its type and volumes"#,
    },
];
