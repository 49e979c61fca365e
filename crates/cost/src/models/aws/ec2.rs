//! EC2 instances: instance hours, CPU credits, detailed monitoring, EBS-optimized fees, launch templates and configurations.

use super::*;

/// Root volume AWS creates when the plan doesn't say: the AMI's mapping decides; most public
/// AMIs map an 8 GB gp2 root (Infracost assumes the same).
pub(super) const DEFAULT_ROOT_TYPE: &str = "gp2";

pub(super) const DEFAULT_ROOT_GB: f64 = 8.0;

/// Metrics EC2 detailed monitoring publishes per instance (billed as custom metrics).
pub(super) const DETAILED_MONITORING_METRICS: f64 = 7.0;

/// Instance hours of `count` instances. The operating system is the AMI's, which the plan
/// does not show: Linux is assumed (and said) unless the usage file sets `operating_system`.
pub(super) fn compute(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, label: &str) -> Component {
    compute_os(ctx, region, instance_type, count, label, None)
}

/// Like [`compute`], with the operating system known from the plan (`os_from_plan`, e.g. an
/// EKS node group's `ami_type`).
pub(super) fn compute_os(
    ctx: &Ctx<'_>,
    region: &str,
    instance_type: &str,
    count: f64,
    label: &str,
    os_from_plan: Option<&str>,
) -> Component {
    let from_usage = ctx.usage.and_then(|u| u.text("operating_system"));
    let os = from_usage.or(os_from_plan).unwrap_or("linux").to_ascii_lowercase();
    let os_assumed = (from_usage.is_none() && os_from_plan.is_none()).then(|| {
        "operating system not in the plan (the AMI decides): Linux assumed; the usage file's operating_system sets another".to_owned()
    });
    let hours = ctx.usage_num("monthly_hrs").unwrap_or(ctx.hours());
    let name = format!("{label}Instance usage (Linux, on-demand, {instance_type})");
    if os == "windows" {
        // Windows Server, licence included (the catalog's `windows` key of the same table).
        return priced_or(
            format!("{label}Instance usage (Windows, on-demand, {instance_type})"),
            hours * count,
            ctx.catalog.ec2_windows_instance_hour(region, instance_type),
            region,
            || format!("EC2 {instance_type} Windows"),
        );
    }
    if os != "linux" {
        return unknown(
            format!("{label}Instance usage ({os}, on-demand, {instance_type})"),
            "hour",
            format!("operating_system {os}: the catalog has Linux and Windows prices only"),
        );
    }
    priced_or(
        name,
        hours * count,
        ctx.catalog.ec2_instance_hour(region, instance_type),
        region,
        || format!("EC2 {instance_type}"),
    )
    .assumed(os_assumed)
}

/// Spot capacity: no spot prices offline, so the instance hours are unknown; the note gives
/// the on-demand cost as the upper bound (spot prices never exceed on-demand).
pub(super) fn spot_compute(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, why: &str) -> Component {
    let bound = ctx
        .catalog
        .ec2_instance_hour(region, instance_type)
        .map(|p| p.cost(ctx.hours() * count));
    let bound = match bound {
        Some(b) => format!("; at most {b:.2}/month at the on-demand price (an upper bound)"),
        None => String::new(),
    };
    unknown(
        format!("Instance usage (spot, {instance_type})"),
        "hour",
        format!("{why}: the catalog has no spot prices{bound}"),
    )
    .note(format!("{count} instance(s)"))
}

pub(super) fn detailed_monitoring(ctx: &Ctx<'_>, region: &str, count: f64, label: &str, out: &mut Vec<Component>) {
    let name = format!("{label}CloudWatch detailed monitoring (7 metrics)");
    match ctx.catalog.cloudwatch_custom_metrics(region) {
        Some(p) => {
            // The account-wide metric tiers are unknowable here: first-tier rate.
            let price = p.first_tier();
            out.push(priced(name, DETAILED_MONITORING_METRICS * count, &price, region));
        }
        None => out.push(unknown(
            name,
            "metric-month",
            format!("no CloudWatch metric price in {region}"),
        )),
    }
}

pub(super) fn is_burstable(instance_type: &str) -> bool {
    ["t2.", "t3.", "t3a.", "t4g."]
        .iter()
        .any(|p| instance_type.starts_with(p))
}

pub(super) fn cpu_credits(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, out: &mut Vec<Component>) {
    if !is_burstable(instance_type) {
        return;
    }
    let (Some(hrs), Some(vcpus)) = (ctx.usage_num("monthly_cpu_credit_hrs"), ctx.usage_num("vcpu_count")) else {
        return;
    };
    out.push(priced_or(
        "CPU credits (unlimited mode)",
        hrs * vcpus * count,
        ctx.catalog.ec2_cpu_credit_vcpu_hour(region, "linux"),
        region,
        || "CPU credits".into(),
    ));
}

/// What an instance (or a group of identical instances) runs, wherever it was read from.
pub(super) struct LaunchSpec {
    pub(super) instance_type: Got<String>,
    /// Where the type came from, e.g. `launch template aws_launch_template.app`.
    pub(super) source: Option<String>,
    pub(super) volumes: Vec<Volume>,
    pub(super) monitoring: bool,
    /// The launch template asks for spot capacity (`instance_market_options`).
    pub(super) spot: bool,
    /// The operating system when the plan tells it (an EKS node group's `ami_type`).
    pub(super) os: Option<String>,
}

/// Reads a launch template's instance type, volumes and monitoring.
pub(super) fn launch_template_spec(lt: &Referenced<'_>, before: bool) -> LaunchSpec {
    let c = if before { lt.values.before() } else { lt.values.after() };
    let mut volumes = Vec::new();
    if let Some(mappings) = blocks(c, "block_device_mappings") {
        for (i, m) in mappings.into_iter().enumerate() {
            if let Got::Known(ebs) = block(m, "ebs") {
                volumes.push(Volume::read(
                    ebs,
                    format!("block_device_mappings[{i}]: "),
                    "volume_type",
                    "volume_size",
                    Some(DEFAULT_ROOT_GB),
                    "not set (the AMI's snapshot size)",
                ));
            }
        }
    }
    let monitoring = match block(c, "monitoring") {
        Got::Known(m) => b(m, "enabled").known().unwrap_or(false),
        _ => false,
    };
    let spot = match block(c, "instance_market_options") {
        Got::Known(m) => s(m, "market_type").known() == Some("spot"),
        _ => false,
    };
    LaunchSpec {
        instance_type: s(c, "instance_type").map_owned(),
        source: Some(format!("launch template {}", lt.rc.address)),
        volumes,
        monitoring,
        spot,
        os: None,
    }
}

/// Reads a launch configuration's instance type, volumes and monitoring.
pub(super) fn launch_configuration_spec(lc: &Referenced<'_>, before: bool) -> LaunchSpec {
    let c = if before { lc.values.before() } else { lc.values.after() };
    let mut volumes = Vec::new();
    match block(c, "root_block_device") {
        Got::Known(root) => volumes.push(Volume::read(
            root,
            "root_block_device: ".into(),
            "volume_type",
            "volume_size",
            Some(DEFAULT_ROOT_GB),
            "unknown until apply (the AMI decides)",
        )),
        _ => volumes.push(Volume::default_root(
            "root_block_device: ",
            "root volume not configured",
            DEFAULT_ROOT_GB,
        )),
    }
    if let Some(list) = blocks(c, "ebs_block_device") {
        for (i, e) in list.into_iter().enumerate() {
            volumes.push(Volume::read(
                e,
                format!("ebs_block_device[{i}]: "),
                "volume_type",
                "volume_size",
                None,
                "",
            ));
        }
    }
    LaunchSpec {
        instance_type: s(c, "instance_type").map_owned(),
        source: Some(format!("launch configuration {}", lc.rc.address)),
        volumes,
        // The launch configuration's `enable_monitoring` defaults to true.
        monitoring: b(c, "enable_monitoring").known().unwrap_or(true),
        // A spot price set on a launch configuration requests spot instances.
        spot: matches!(s(c, "spot_price"), Got::Known(_)),
        os: None,
    }
}

/// Finds the launch template of a `launch_template` block at `path` (in values and in the
/// configuration): by known id or name, else by following the configuration's references.
pub(super) fn find_launch_template<'p>(ctx: &Ctx<'p>, c: Cursor<'_>, path: &[&str]) -> Option<Referenced<'p>> {
    let mut cur = c;
    for step in &path[..path.len().saturating_sub(1)] {
        cur = cur.get(step).at(0);
    }
    let leaf_block = cur;
    for key in ["id", "name", "launch_template_id", "launch_template_name"] {
        if let Some(v) = leaf_block.get(key).as_str() {
            if let Some(found) = ctx.refs.by_id(ctx.plan, "aws_launch_template", v) {
                return Some(found);
            }
        }
    }
    for key in ["id", "name", "launch_template_id", "launch_template_name"] {
        let mut full: Vec<&str> = path[..path.len().saturating_sub(1)].to_vec();
        full.push(key);
        if let Some(found) = ctx.refs.follow(ctx.plan, ctx.rc, &full, "aws_launch_template") {
            return Some(found);
        }
    }
    None
}

pub(super) fn price_launch_spec(
    ctx: &Ctx<'_>,
    region: &str,
    spec: &LaunchSpec,
    count: f64,
    count_assumed: Option<String>,
    out: &mut Vec<Component>,
) -> Option<String> {
    let source = spec
        .source
        .as_deref()
        .map(|s| format!(" (from {s})"))
        .unwrap_or_default();
    match &spec.instance_type {
        Got::Known(t) if spec.spot => {
            out.push(
                spot_compute(ctx, region, t, count, &format!("spot capacity{source}")).assumed(count_assumed.clone()),
            );
        }
        Got::Known(t) => {
            out.push(
                compute_os(ctx, region, t, count, "", spec.os.as_deref())
                    .assumed(count_assumed.clone())
                    .note(format!("{count} instance(s){source}")),
            );
            cpu_credits(ctx, region, t, count, out);
        }
        Got::Unknown => {
            let reason = format!("instance_type{source} is known only after apply and has no default");
            out.push(unknown("Instance usage", "hour", reason.clone()));
            return Some(reason);
        }
        Got::Unset => {
            let reason = format!("no instance type found{source}");
            out.push(unknown("Instance usage", "hour", reason.clone()));
            return Some(reason);
        }
    }
    for v in &spec.volumes {
        volume_components(ctx, region, v, count, out);
    }
    if spec.monitoring {
        detailed_monitoring(ctx, region, count, "", out);
    }
    None
}

pub(super) fn instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    // Dedicated tenancy and spot change the instance-hour price only: volumes, monitoring
    // and addresses are still priced, and the resource is partial.
    let tenancy = match s(c, "tenancy") {
        Got::Known(t) if t != "default" => Some(t),
        _ => None,
    };
    let spot = match block(c, "instance_market_options") {
        Got::Known(m) => s(m, "market_type").known() == Some("spot"),
        _ => false,
    };
    let instance_type = match s(c, "instance_type") {
        Got::Known(t) => Got::Known(t.to_owned()),
        other => {
            // An instance launched from a launch template takes its type from there.
            match find_launch_template(ctx, c, &["launch_template", "id"]) {
                Some(lt) => {
                    let spec = launch_template_spec(&lt, ctx.before);
                    match spec.instance_type {
                        Got::Known(t) => {
                            let from = format!("instance type from launch template {}", lt.rc.address);
                            out.push(if spot || spec.spot {
                                spot_compute(ctx, region, &t, 1.0, &format!("spot ({from})"))
                            } else {
                                compute(ctx, region, &t, 1.0, "").note(from)
                            });
                            Got::Unset
                        }
                        x => x,
                    }
                }
                None => other.map_owned(),
            }
        }
    };
    match &instance_type {
        Got::Known(t) if tenancy.is_some() => out.push(unknown(
            format!("Instance usage ({}, {t})", tenancy.unwrap_or_default()),
            "hour",
            format!(
                "tenancy {}: the catalog has shared-tenancy prices only",
                tenancy.unwrap_or_default()
            ),
        )),
        Got::Known(t) if spot => out.push(spot_compute(ctx, region, t, 1.0, "spot instance")),
        Got::Known(t) => {
            out.push(compute(ctx, region, t, 1.0, ""));
            cpu_credits(ctx, region, t, 1.0, &mut out);
        }
        Got::Unknown => out.push(unknown(
            "Instance usage",
            "hour",
            "instance_type is known only after apply and has no default",
        )),
        Got::Unset if out.is_empty() => out.push(unknown("Instance usage", "hour", "no instance_type set")),
        Got::Unset => {}
    }
    let root = match block(c, "root_block_device") {
        Got::Known(root) => Volume::read(
            root,
            "root_block_device: ".into(),
            "volume_type",
            "volume_size",
            Some(DEFAULT_ROOT_GB),
            "unknown until apply (the AMI decides)",
        ),
        Got::Unknown => Volume::default_root(
            "root_block_device: ",
            "root volume unknown until apply",
            DEFAULT_ROOT_GB,
        ),
        Got::Unset => Volume::default_root("root_block_device: ", "root volume not configured", DEFAULT_ROOT_GB),
    };
    volume_components(ctx, region, &root, 1.0, &mut out);
    if let Some(list) = blocks(c, "ebs_block_device") {
        for (i, e) in list.into_iter().enumerate() {
            let v = Volume::read(
                e,
                format!("ebs_block_device[{i}]: "),
                "volume_type",
                "volume_size",
                None,
                "",
            );
            volume_components(ctx, region, &v, 1.0, &mut out);
        }
    }
    if b(c, "monitoring").known() == Some(true) {
        detailed_monitoring(ctx, region, 1.0, "", &mut out);
    }
    if let (Got::Known(t), Some(true)) = (&instance_type, b(c, "ebs_optimized").known()) {
        ebs_optimized_fee(ctx, region, t, 1.0, &mut out);
    }
    // An auto-assigned public IPv4 address is billed like any other since 2024-02-01. Only a
    // known `true` counts: the subnet's default is not in the plan.
    if b(c, "associate_public_ip_address").known() == Some(true) {
        out.push(priced_or(
            "Public IPv4 address (auto-assigned)",
            ctx.hours(),
            ctx.catalog.public_ipv4_hour(region),
            region,
            || "public IPv4".into(),
        ));
    }
    Outcome::new(out)
}

/// The region whose table lists which previous-generation types have an EBS-optimized fee.
pub(super) const EBS_OPTIMIZED_FEE_LIST_REGION: &str = "eu-west-1";

/// The hourly EBS-optimized fee of previous-generation types launched EBS-optimized (current
/// generations include it at no charge). A type with a fee in the catalog's listing region but
/// no price in `region` is unknown, not free.
pub(super) fn ebs_optimized_fee(
    ctx: &Ctx<'_>,
    region: &str,
    instance_type: &str,
    count: f64,
    out: &mut Vec<Component>,
) {
    let name = format!("EBS-optimized fee ({instance_type}, previous generation)");
    match ctx.catalog.ec2_ebs_optimized_hour(region, instance_type) {
        Some(p) => out.push(priced(name, ctx.hours() * count, &p, region)),
        None if ctx
            .catalog
            .ec2_ebs_optimized_hour(EBS_OPTIMIZED_FEE_LIST_REGION, instance_type)
            .is_some() =>
        {
            out.push(unknown(
                name,
                "hour",
                format!(
                    "no EBS-optimized fee price in the catalog for {region} (only {EBS_OPTIMIZED_FEE_LIST_REGION})"
                ),
            ));
        }
        None => {}
    }
}

/// A Dedicated Host: one host-hour price per instance family (the instances placed on it are
/// included). `instance_family`, or the family of `instance_type`.
pub(super) fn ec2_host(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let family = match (s(c, "instance_family"), s(c, "instance_type")) {
        (Got::Known(f), _) => f.to_owned(),
        (_, Got::Known(t)) => t.split('.').next().unwrap_or(t).to_owned(),
        _ => return Outcome::unknown("instance_family and instance_type are unknown until apply"),
    };
    let name = format!("Dedicated Host ({family})");
    match ctx.catalog.ec2_dedicated_host_hour(region, &family) {
        Some(p) => Outcome::new(vec![
            priced(name, ctx.hours(), &p, region).note("the instances placed on the host are included")
        ]),
        None => Outcome::new(vec![unknown(
            name,
            "hour",
            format!("no Dedicated Host price in the catalog for {family} in {region} (eu-west-1 only)"),
        )]),
    }
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_instance"],
        priced_from: r#"instance type hours (Linux, or Windows licence included when the usage file sets `operating_system: windows`; shared tenancy); root volume; each `ebs_block_device` (storage, io1/io2 IOPS, gp3 IOPS above 3000 and throughput above 125 MiB/s); detailed monitoring (7 custom metrics at the first-tier rate); T-family CPU credits from usage (`monthly_cpu_credit_hrs` x `vcpu_count`); an auto-assigned public IPv4 address when `associate_public_ip_address` is known true ($0.005/h; the subnet default is not in the plan, so it is not assumed); the hourly EBS-optimized fee of previous-generation types with `ebs_optimized = true` (m3.xlarge, r3.xlarge, ...: eu-west-1 prices; another region: unknown); `monthly_hrs`, `operating_system` from usage"#,
        assumptions: r#"operating system: **Linux** (the AMI decides; said on every instance unless the usage file sets `operating_system`; `windows`: the Windows price; another OS: instance hours unknown, no prices); root volume not planned: **8 GB gp2** (most public AMIs map 8 GB gp2; Infracost assumes the same; gp3 AMIs would cost 0.64 instead of 0.80); gp3 `iops`/`throughput` unknown: the included baseline; `monitoring` unknown: false (basic, free); `tenancy` unknown: default. `instance_type` unknown: the instance's launch template (found by id or by the configuration's reference); otherwise instance hours **unknown** (the volumes stay: partial). Spot (`instance_market_options`) and dedicated/host tenancy: instance hours unknown (spot: the on-demand cost in the note as an upper bound), the rest priced: partial"#,
    },
    ModelDoc {
        types: &["aws_ec2_host"],
        priced_from: r#"host hours by `instance_family` (or the family of `instance_type`); the instances on the host are included (eu-west-1 prices, 77 families)"#,
        assumptions: r#"another region: unknown (no prices)"#,
    },
];
