//! AWS cost models.
//!
//! Defaults used when a price-setting value is unknown until apply (or unset, where AWS
//! decides) are documented in `crates/cost/README.md` and written into each component's
//! `assumed` text.

use std::collections::HashMap;

use planguard_plan::Cursor;

use super::{
    b, block, blocks, n, priced, priced_or, s, tiered, unknown, usage_component, usage_qty, ComponentExt, Ctx, Got,
    Model, Outcome, Referenced,
};
use crate::catalog::{
    AuroraUsage, CloudWatchPrice, DynamoDbPrice, KmsPrice, LoadBalancerKind, Route53Price, SecretsManagerPrice,
};
use crate::report::Component;

pub(crate) fn register(m: &mut HashMap<&'static str, Model>) {
    m.insert("aws_instance", instance);
    m.insert("aws_ebs_volume", ebs_volume);
    m.insert("aws_db_instance", db_instance);
    m.insert("aws_rds_cluster_instance", rds_cluster_instance);
    m.insert("aws_rds_cluster", rds_cluster);
    m.insert("aws_nat_gateway", nat_gateway);
    m.insert("aws_eip", eip);
    m.insert("aws_lb", load_balancer);
    m.insert("aws_alb", load_balancer);
    m.insert("aws_elb", classic_load_balancer);
    m.insert("aws_eks_cluster", eks_cluster);
    m.insert("aws_eks_node_group", eks_node_group);
    m.insert("aws_elasticache_cluster", elasticache_cluster);
    m.insert("aws_elasticache_replication_group", elasticache_replication_group);
    m.insert("aws_autoscaling_group", autoscaling_group);
    m.insert("aws_kms_key", kms_key);
    m.insert("aws_secretsmanager_secret", secretsmanager_secret);
    m.insert("aws_route53_zone", route53_zone);
    m.insert("aws_route53_record", route53_record);
    m.insert("aws_cloudwatch_metric_alarm", metric_alarm);
    m.insert("aws_cloudwatch_log_group", log_group);
    m.insert("aws_dynamodb_table", dynamodb_table);
    m.insert("aws_lambda_function", lambda_function);
    m.insert("aws_s3_bucket", s3_bucket);
    m.insert("aws_sqs_queue", sqs_queue);
    m.insert("aws_sns_topic", sns_topic);
    m.insert("aws_ebs_snapshot", ebs_snapshot);
    m.insert("aws_ecr_repository", ecr_repository);
    m.insert("aws_efs_file_system", efs_file_system);
    m.insert("aws_vpc_endpoint", vpc_endpoint);
}

macro_rules! region {
    ($ctx:expr) => {
        match $ctx.region() {
            Ok(r) => r,
            Err(o) => return o,
        }
    };
}

/// Seconds in a month of 730 hours.
fn seconds_per_month(ctx: &Ctx<'_>) -> f64 {
    ctx.hours() * 3600.0
}

// ---------------------------------------------------------------------------
// EC2 and EBS building blocks
// ---------------------------------------------------------------------------

/// Root volume AWS creates when the plan doesn't say: the AMI's mapping decides; most public
/// AMIs map an 8 GB gp2 root (Infracost assumes the same).
const DEFAULT_ROOT_TYPE: &str = "gp2";
const DEFAULT_ROOT_GB: f64 = 8.0;
/// EKS managed node group defaults (provider docs: `disk_size` 20, `instance_types` t3.medium).
const EKS_DEFAULT_DISK_GB: f64 = 20.0;
const EKS_DEFAULT_INSTANCE_TYPE: &str = "t3.medium";
/// Metrics EC2 detailed monitoring publishes per instance (billed as custom metrics).
const DETAILED_MONITORING_METRICS: f64 = 7.0;

/// Instance hours of `count` instances. The operating system is the AMI's, which the plan
/// does not show: Linux is assumed (and said) unless the usage file sets `operating_system`.
fn compute(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, label: &str) -> Component {
    compute_os(ctx, region, instance_type, count, label, None)
}

/// Like [`compute`], with the operating system known from the plan (`os_from_plan`, e.g. an
/// EKS node group's `ami_type`).
fn compute_os(
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
    if os != "linux" {
        return unknown(
            format!("{label}Instance usage ({os}, on-demand, {instance_type})"),
            "hour",
            format!("operating_system {os}: the catalog has Linux prices only"),
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
fn spot_compute(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, why: &str) -> Component {
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

/// One EBS volume's attributes as planned.
struct Volume {
    label: String,
    vtype: String,
    size: Option<f64>,
    iops: Got<f64>,
    throughput: Got<f64>,
    assumed: Vec<String>,
}

impl Volume {
    /// Reads a block (`root_block_device[0]`, `ebs_block_device[i]`, a launch template's
    /// `block_device_mappings[i].ebs[0]`), filling AWS defaults where allowed.
    fn read(
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

    fn default_root(label: &str, reason: &str, size: f64) -> Volume {
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
fn volume_components(ctx: &Ctx<'_>, region: &str, v: &Volume, count: f64, out: &mut Vec<Component>) {
    let label = &v.label;
    let prices = ctx.catalog.ebs(region, &v.vtype);
    let mut assumed = v.assumed.clone();
    if let Some(p) = &prices {
        // gp3 includes a baseline; a value unknown until apply is the provider's default,
        // which is that baseline.
        let free_iops = p.iops.as_ref().is_some_and(|t| t.tiers.first().is_some_and(|t| t.price == 0.0));
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

fn detailed_monitoring(ctx: &Ctx<'_>, region: &str, count: f64, label: &str, out: &mut Vec<Component>) {
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

fn is_burstable(instance_type: &str) -> bool {
    ["t2.", "t3.", "t3a.", "t4g."]
        .iter()
        .any(|p| instance_type.starts_with(p))
}

fn cpu_credits(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, out: &mut Vec<Component>) {
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
struct LaunchSpec {
    instance_type: Got<String>,
    /// Where the type came from, e.g. `launch template aws_launch_template.app`.
    source: Option<String>,
    volumes: Vec<Volume>,
    monitoring: bool,
    /// The launch template asks for spot capacity (`instance_market_options`).
    spot: bool,
    /// The operating system when the plan tells it (an EKS node group's `ami_type`).
    os: Option<String>,
}

/// Reads a launch template's instance type, volumes and monitoring.
fn launch_template_spec(lt: &Referenced<'_>, before: bool) -> LaunchSpec {
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
fn launch_configuration_spec(lc: &Referenced<'_>, before: bool) -> LaunchSpec {
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

trait MapOwned {
    fn map_owned(self) -> Got<String>;
}

impl MapOwned for Got<&str> {
    fn map_owned(self) -> Got<String> {
        match self {
            Got::Known(v) => Got::Known(v.to_owned()),
            Got::Unknown => Got::Unknown,
            Got::Unset => Got::Unset,
        }
    }
}

/// Finds the launch template of a `launch_template` block at `path` (in values and in the
/// configuration): by known id or name, else by following the configuration's references.
fn find_launch_template<'p>(ctx: &Ctx<'p>, c: Cursor<'_>, path: &[&str]) -> Option<Referenced<'p>> {
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

fn price_launch_spec(
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

// ---------------------------------------------------------------------------
// Compute
// ---------------------------------------------------------------------------

fn instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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
                Some(lt) => match launch_template_spec(&lt, ctx.before).instance_type {
                    Got::Known(t) => {
                        out.push(
                            compute(ctx, region, &t, 1.0, "")
                                .note(format!("instance type from launch template {}", lt.rc.address)),
                        );
                        Got::Unset
                    }
                    x => x,
                },
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
const EBS_OPTIMIZED_FEE_LIST_REGION: &str = "eu-west-1";

/// The hourly EBS-optimized fee of previous-generation types launched EBS-optimized (current
/// generations include it at no charge). A type with a fee in the catalog's listing region but
/// no price in `region` is unknown, not free.
fn ebs_optimized_fee(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, out: &mut Vec<Component>) {
    const TABLE: &str = "aws.ec2.ebs_optimized_hour";
    let name = format!("EBS-optimized fee ({instance_type}, previous generation)");
    match ctx.catalog.lookup(TABLE, region, &[instance_type]) {
        Some(p) => out.push(priced(name, ctx.hours() * count, &p, region)),
        None if ctx
            .catalog
            .lookup(TABLE, EBS_OPTIMIZED_FEE_LIST_REGION, &[instance_type])
            .is_some() =>
        {
            out.push(unknown(
                name,
                "hour",
                format!("no EBS-optimized fee price in the catalog for {region} (only {EBS_OPTIMIZED_FEE_LIST_REGION})"),
            ));
        }
        None => {}
    }
}

fn ebs_volume(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

fn autoscaling_group(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (count, count_assumed) = match (ctx.usage_num("instances"), n(c, "desired_capacity"), n(c, "min_size")) {
        (Some(u), _, _) => (u, None),
        (None, Got::Known(d), _) => (d, None),
        (None, _, Got::Known(m)) => (
            m,
            Some(format!("desired_capacity not known at plan time: min_size {m} used")),
        ),
        _ => return Outcome::unknown("desired_capacity and min_size are unknown until apply"),
    };
    let spec = if let Some(lt) = find_launch_template(ctx, c, &["launch_template", "id"]) {
        Some(launch_template_spec(&lt, ctx.before))
    } else if let Some(lt) = find_launch_template(
        ctx,
        c,
        &[
            "mixed_instances_policy",
            "launch_template",
            "launch_template_specification",
            "launch_template_id",
        ],
    ) {
        Some(launch_template_spec(&lt, ctx.before))
    } else {
        let lc = match s(c, "launch_configuration") {
            Got::Known(name) => ctx.refs.by_id(ctx.plan, "aws_launch_configuration", name),
            _ => None,
        }
        .or_else(|| {
            ctx.refs
                .follow(ctx.plan, ctx.rc, &["launch_configuration"], "aws_launch_configuration")
        });
        lc.map(|lc| launch_configuration_spec(&lc, ctx.before))
    };
    let Some(mut spec) = spec else {
        return Outcome::unknown(
            "launch template or configuration not found in the plan (created elsewhere or referenced through a module output)",
        );
    };
    if spec.volumes.is_empty() {
        spec.volumes.push(Volume::default_root(
            "root volume: ",
            "launch template maps no volumes",
            DEFAULT_ROOT_GB,
        ));
    }
    let mut out = Vec::new();
    match block(c, "mixed_instances_policy") {
        Got::Known(policy) => price_mixed_instances(ctx, region, &spec, policy, count, count_assumed, &mut out),
        _ => {
            price_launch_spec(ctx, region, &spec, count, count_assumed, &mut out);
        }
    }
    Outcome::new(out)
}

/// One instance type a mixed instances policy may launch, with its capacity weight.
struct Override {
    instance_type: String,
    weight: f64,
}

/// A mixed instances policy: the desired capacity (in capacity units when the overrides
/// carry weights) splits into on-demand units (`on_demand_base_capacity`, then
/// `on_demand_percentage_above_base_capacity` of the rest; AWS defaults 0 and 100) and spot
/// units. On-demand units launch the first override (`prioritized`, the default) or the
/// cheapest per capacity unit (`lowest-price`), as `units / weight` instances of it. Spot
/// units have no offline price: unknown, with the on-demand upper bound of the dearest override
/// per unit in the note.
fn price_mixed_instances(
    ctx: &Ctx<'_>,
    region: &str,
    spec: &LaunchSpec,
    policy: Cursor<'_>,
    units: f64,
    count_assumed: Option<String>,
    out: &mut Vec<Component>,
) {
    let mut overrides: Vec<Override> = Vec::new();
    for o in blocks(policy.get("launch_template").at(0), "override").unwrap_or_default() {
        if let Got::Known(t) = s(o, "instance_type") {
            let weight = n(o, "weighted_capacity").known().filter(|w| *w > 0.0).unwrap_or(1.0);
            overrides.push(Override {
                instance_type: t.to_owned(),
                weight,
            });
        }
    }
    if overrides.is_empty() {
        match &spec.instance_type {
            Got::Known(t) => overrides.push(Override {
                instance_type: t.clone(),
                weight: 1.0,
            }),
            _ => {
                price_launch_spec(ctx, region, spec, units, count_assumed, out);
                return;
            }
        }
    }
    let dist = policy.get("instances_distribution").at(0);
    let mut assumed: Vec<String> = count_assumed.into_iter().collect();
    let mut setting = |key: &str, default: f64| match n(dist, key) {
        Got::Known(v) => v,
        Got::Unknown => {
            assumed.push(format!("{key} unknown until apply: {default} assumed (the AWS default)"));
            default
        }
        Got::Unset => default,
    };
    let base = setting("on_demand_base_capacity", 0.0);
    let pct = setting("on_demand_percentage_above_base_capacity", 100.0);
    let on_demand_units = units.min(base) + (units - base).max(0.0) * pct / 100.0;
    let spot_units = (units - on_demand_units).max(0.0);
    let per_unit = |o: &Override| {
        ctx.catalog
            .ec2_instance_hour(region, &o.instance_type)
            .map(|p| p.unit_price / o.weight)
    };
    let lowest_price = s(dist, "on_demand_allocation_strategy").known() == Some("lowest-price");
    let on_demand = if lowest_price {
        overrides
            .iter()
            .filter_map(|o| per_unit(o).map(|u| (u, o)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, o)| o)
            .or(overrides.first())
    } else {
        overrides.first()
    };
    let assumed = (!assumed.is_empty()).then(|| assumed.join("; "));
    let mut instances = 0.0;
    if let Some(o) = on_demand.filter(|_| on_demand_units > 0.0) {
        let n_od = on_demand_units / o.weight;
        instances += n_od;
        out.push(
            compute(ctx, region, &o.instance_type, n_od, "")
                .assumed(assumed.clone())
                .note(format!(
                    "{n_od} on-demand instance(s) for {on_demand_units} of {units} capacity unit(s), weight {} (mixed_instances_policy, {} strategy)",
                    o.weight,
                    if lowest_price { "lowest-price" } else { "prioritized" }
                )),
        );
        cpu_credits(ctx, region, &o.instance_type, n_od, out);
    }
    if spot_units > 0.0 {
        let bound = overrides
            .iter()
            .map(|o| per_unit(o))
            .collect::<Option<Vec<f64>>>()
            .and_then(|v| v.into_iter().reduce(f64::max))
            .map(|u| format!("; at most {:.2}/month at the dearest override's on-demand price per unit (an upper bound)", u * spot_units * ctx.hours()))
            .unwrap_or_default();
        let types: Vec<&str> = overrides.iter().map(|o| o.instance_type.as_str()).collect();
        out.push(
            unknown(
                format!("Instance usage (spot, {})", types.join(", ")),
                "hour",
                format!("{spot_units} spot capacity unit(s) (mixed_instances_policy): the catalog has no spot prices{bound}"),
            )
            .assumed(assumed.clone()),
        );
        // Volumes: spot units as instances of the first override.
        instances += spot_units / overrides[0].weight;
    }
    for v in &spec.volumes {
        volume_components(ctx, region, v, instances, out);
    }
    if spec.monitoring {
        detailed_monitoring(ctx, region, instances, "", out);
    }
}

fn eks_node_group(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

// ---------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------

/// The vCPUs of an RDS instance class from its size (AWS's naming: `large` 2, `xlarge` 4,
/// `Nxlarge` 4N; burstable `micro`/`small`/`medium` 2, `db.t2.micro`/`small` 1). `None` for
/// sizes the rule does not cover (`metal`, previous-generation `m1`/`m2`/`m3`).
fn rds_vcpus(class: &str) -> Option<f64> {
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
const RDS_STANDARD_SUPPORT_END: &[(&str, &str, &str)] = &[
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
fn rds_major_version<'v>(engine: &str, version: &'v str) -> &'v str {
    let mut dots = version.match_indices('.').map(|(i, _)| i);
    let cut = if engine == "mysql" { dots.nth(1) } else { dots.next() };
    cut.map_or(version, |i| &version[..i])
}

/// RDS Extended Support of the engine version, on the catalog's date: `Some((year3, text))`
/// when the version is past standard support and extended support is not disabled.
fn rds_extended_support(ctx: &Ctx<'_>, c: Cursor<'_>, engine: &str) -> (Option<(bool, String)>, Option<String>) {
    let engine = if engine == "postgresql" { "postgres" } else { engine };
    if !matches!(engine, "mysql" | "postgres") {
        return (None, None);
    }
    let version = match s(c, "engine_version") {
        Got::Known(v) => v,
        Got::Unknown | Got::Unset => {
            return (
                None,
                Some("engine_version not known at plan time: the engine's default version (standard support) assumed".to_owned()),
            )
        }
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
    let year3_start = format!("{}{}", end.get(..4).and_then(|y| y.parse::<u32>().ok()).map_or(0, |y| y + 2), end.get(4..).unwrap_or(""));
    let year3 = is_after(today, &year3_start);
    let text = format!(
        "{engine} {major} is in RDS Extended Support on {today} (standard support ended {end}; {})",
        if year3 { "year 3 price" } else { "year 1-2 price" }
    );
    (Some((year3, text)), None)
}

fn db_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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
    match class {
        Some(class) => out.push(
            priced_or(
                format!("Database instance ({engine}, {class}, {deployment})"),
                ctx.hours(),
                ctx.catalog.rds_instance_hour(region, engine, class, multi_az),
                region,
                || format!("RDS {engine} {class} {deployment}"),
            )
            .assumed(az_assumed.clone()),
        ),
        None => out.push(unknown(
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
            storage_assumed.push(format!("{gb} GB is below the {storage_type} minimum: {RDS_PIOPS_MIN_GB} GB priced (AWS enforces it)"));
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
                    comp = comp.note(format!("below the {storage_type} minimum: {RDS_PIOPS_MIN_IOPS} IOPS priced (AWS enforces it)"));
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
const RDS_DEFAULT_STORAGE_GB: f64 = 20.0;
/// Minimums AWS enforces for RDS Provisioned IOPS storage (io1, io2).
const RDS_PIOPS_MIN_GB: f64 = 100.0;
const RDS_PIOPS_MIN_IOPS: f64 = 1000.0;

/// Performance Insights long-term retention and T-class CPU credits (RDS and Aurora instances).
fn rds_extras(
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
        let months = if retention >= 731.0 { 24.0 } else { (retention / 31.0).round().max(1.0) };
        let name = format!("Performance Insights long-term retention ({months} months)");
        const TABLE: &str = "aws.rds.performance_insights_vcpu_month";
        let first = ctx.catalog.lookup(TABLE, region, &["first"]);
        let additional = ctx.catalog.lookup(TABLE, region, &["additional"]);
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
fn aurora_io_optimized(ctx: &Ctx<'_>, c: Cursor<'_>) -> (bool, Option<String>) {
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

fn rds_cluster_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

fn rds_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

fn elasticache_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if let Got::Known(group) = s(c, "replication_group_id") {
        return Outcome::free(format!("member of replication group {group}: priced on the group"));
    }
    let region = region!(ctx);
    let (engine, engine_assumed) = match s(c, "engine") {
        Got::Known(e) => (e, None),
        Got::Unknown => ("redis", Some("engine unknown until apply: redis assumed".to_owned())),
        Got::Unset => ("redis", None),
    };
    let Got::Known(node_type) = s(c, "node_type") else {
        return Outcome::unknown("node_type is known only after apply and has no default");
    };
    let (nodes, nodes_assumed) = match n(c, "num_cache_nodes") {
        Got::Known(v) => (v, None),
        Got::Unknown => (1.0, Some("num_cache_nodes unknown until apply: 1 assumed".to_owned())),
        Got::Unset => (1.0, None),
    };
    let assumed = [engine_assumed, nodes_assumed]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>();
    let assumed = (!assumed.is_empty()).then(|| assumed.join("; "));
    elasticache_nodes(ctx, region, engine, node_type, nodes, assumed)
}

fn elasticache_nodes(
    ctx: &Ctx<'_>,
    region: &str,
    engine: &str,
    node_type: &str,
    nodes: f64,
    assumed: Option<String>,
) -> Outcome {
    let mut out = vec![priced_or(
        format!("ElastiCache ({engine}, {node_type})"),
        ctx.hours() * nodes,
        ctx.catalog.elasticache_node_hour(region, engine, node_type),
        region,
        || format!("ElastiCache {engine} {node_type}"),
    )
    .assumed(assumed)
    .note(format!("{nodes} node(s)"))];
    if engine != "memcached" {
        if let Some(gb) = ctx.usage_num("snapshot_storage_size_gb") {
            out.push(priced_or(
                "Backup storage",
                gb,
                ctx.catalog.elasticache_backup_storage(region),
                region,
                || "ElastiCache backup storage".into(),
            ));
        }
    }
    Outcome::new(out)
}

fn elasticache_replication_group(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let engine = s(c, "engine").known().unwrap_or("redis");
    let Got::Known(node_type) = s(c, "node_type") else {
        return Outcome::unknown("node_type is known only after apply and has no default");
    };
    let (nodes, assumed) = match (n(c, "num_cache_clusters"), n(c, "num_node_groups")) {
        (Got::Known(v), _) => (v, None),
        (_, Got::Known(groups)) => {
            let replicas = n(c, "replicas_per_node_group").known().unwrap_or(0.0);
            (groups * (replicas + 1.0), None)
        }
        _ => (
            1.0,
            Some("num_cache_clusters and num_node_groups unknown until apply: 1 node assumed".to_owned()),
        ),
    };
    elasticache_nodes(ctx, region, engine, node_type, nodes, assumed)
}

fn dynamodb_table(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

// ---------------------------------------------------------------------------
// Networking
// ---------------------------------------------------------------------------

fn nat_gateway(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Some(p) = ctx.catalog.nat_gateway(region) else {
        return Outcome::unknown(format!("no NAT gateway price in the catalog for {region}"));
    };
    let mut out = vec![priced("NAT gateway", ctx.hours(), &p.hour, region)];
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

fn eip(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    if let Got::Known(_) = s(c, "customer_owned_ipv4_pool") {
        return Outcome::free("customer-owned IP pool (Outposts)");
    }
    let attached = [s(c, "instance"), s(c, "network_interface"), s(c, "association_id")]
        .iter()
        .any(|g| matches!(g, Got::Known(_)));
    let state = if attached { "attached" } else { "idle or attached" };
    Outcome::new(vec![priced_or(
        format!("Public IPv4 address ({state})"),
        ctx.hours(),
        ctx.catalog.public_ipv4_hour(region),
        region,
        || "public IPv4".into(),
    )
    .note("every public IPv4 address costs the same since 2024-02-01, idle or attached")])
}

fn load_balancer(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (kind_name, assumed) = match s(c, "load_balancer_type") {
        Got::Known(k) => (k, None),
        Got::Unset => ("application", None),
        Got::Unknown => (
            "application",
            Some("load_balancer_type unknown until apply: application assumed (the default)".to_owned()),
        ),
    };
    let Some(kind) = LoadBalancerKind::from_name(kind_name) else {
        return Outcome::unknown(format!("unknown load_balancer_type {kind_name}"));
    };
    let Some(p) = ctx.catalog.load_balancer(region, kind) else {
        return Outcome::unknown(format!(
            "no {kind_name} load balancer price in the catalog for {region}"
        ));
    };
    let label = match kind {
        LoadBalancerKind::Application => "Application load balancer",
        LoadBalancerKind::Network => "Network load balancer",
        LoadBalancerKind::Gateway => "Gateway load balancer",
        LoadBalancerKind::Classic => "Classic load balancer",
    };
    let mut out = vec![priced(label, ctx.hours(), &p.hour, region).assumed(assumed)];
    if let Some(lcu_price) = &p.capacity_unit_hour {
        let (lcu_hours, given) = capacity_unit_hours(ctx, kind);
        let mut comp = priced("Capacity units", lcu_hours, lcu_price, region);
        if !given {
            comp = comp.note(
                "usage-based: set new_connections, active_connections, processed_bytes_gb, rule_evaluations (per month) or capacity_units in the usage file",
            );
        }
        out.push(comp);
    }
    Outcome::new(out)
}

/// Capacity-unit hours per month from the usage file's monthly quantities (Infracost's keys):
/// AWS bills each hour the largest dimension, so the month's LCU-hours are the largest
/// dimension's monthly total over what one LCU-hour covers:
///
/// * `new_connections` (per month) / (25 per second x 3600) for an ALB (NLB 800/s, GWLB 600/s);
/// * `active_connections` (per month, the sum of the per-minute counts) / (3,000 x 60)
///   for an ALB (NLB 100,000, GWLB 60,000 per minute);
/// * `processed_bytes_gb` (per month) / 1 GB;
/// * `rule_evaluations` (per month, ALB only) / (1,000 per second x 3600).
///
/// `capacity_units` (planguard's key) gives the average capacity units directly (x 730 h).
/// `processed_bytes_gb: 1000` is 1,000 LCU-hours: 8.00 at 0.008 per LCU-hour.
fn capacity_unit_hours(ctx: &Ctx<'_>, kind: LoadBalancerKind) -> (f64, bool) {
    let (new_per_s, active_per_min) = match kind {
        LoadBalancerKind::Network => (800.0, 100_000.0),
        LoadBalancerKind::Gateway => (600.0, 60_000.0),
        _ => (25.0, 3000.0),
    };
    let u = |k| ctx.usage_num(k);
    if let Some(units) = u("capacity_units") {
        return (units * ctx.hours(), true);
    }
    let dims = [
        u("new_connections").map(|v| v / (new_per_s * 3600.0)),
        u("active_connections").map(|v| v / (active_per_min * 60.0)),
        u("processed_bytes_gb"),
        u("rule_evaluations")
            .filter(|_| kind == LoadBalancerKind::Application)
            .map(|v| v / (1000.0 * 3600.0)),
    ];
    match dims.into_iter().flatten().reduce(f64::max) {
        Some(lcu_hours) => (lcu_hours, true),
        None => (0.0, false),
    }
}

fn classic_load_balancer(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Some(p) = ctx.catalog.load_balancer(region, LoadBalancerKind::Classic) else {
        return Outcome::unknown(format!("no classic load balancer price in the catalog for {region}"));
    };
    let mut out = vec![priced("Classic load balancer", ctx.hours(), &p.hour, region)];
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

fn route53_zone(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    match ctx.catalog.route53_hosted_zones() {
        Some(p) => Outcome::new(vec![
            priced("Hosted zone", 1.0, &p.first_tier(), "global").note("rate of the first 25 zones of the account")
        ]),
        None => Outcome::unknown("no Route 53 hosted zone price in the catalog"),
    }
}

fn route53_record(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if matches!(block(c, "alias"), Got::Known(_)) {
        return Outcome::free("alias records to AWS resources are queried for free");
    }
    let mut out = Vec::new();
    for (name, key, price) in [
        (
            "Standard queries",
            "monthly_standard_queries",
            Route53Price::StandardQueries,
        ),
        (
            "Latency-based queries",
            "monthly_latency_based_queries",
            Route53Price::LatencyQueries,
        ),
        ("Geo DNS queries", "monthly_geo_queries", Route53Price::GeoQueries),
    ] {
        if key == "monthly_standard_queries" || ctx.usage_num(key).is_some() {
            usage_component(&mut out, ctx, name, key, 1e-6, ctx.catalog.route53(price), "global");
        }
    }
    Outcome::usage(out)
}

// ---------------------------------------------------------------------------
// Containers, serverless, messaging
// ---------------------------------------------------------------------------

/// End of standard support of each EKS Kubernetes version (AWS's published EKS release
/// calendar). Older versions are past it; newer ones are within it.
const EKS_STANDARD_SUPPORT_END: &[(u32, &str)] = &[
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
fn kubernetes_minor(version: &str) -> Option<u32> {
    let mut parts = version.trim_start_matches('v').split('.');
    (parts.next()? == "1").then_some(())?;
    parts.next()?.parse().ok()
}

/// True when a date (`YYYY-MM-DD`) is after another: ISO dates compare as text.
fn is_after(date: &str, than: &str) -> bool {
    date > than
}

fn eks_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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
                    None => EKS_STANDARD_SUPPORT_END.first().is_some_and(|(oldest, _)| minor < *oldest),
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
            Some("version not known at plan time: the latest version (standard support) assumed, as EKS creates".to_owned()),
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

fn lambda_function(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let arch = c.get("architectures").at(0).as_str().unwrap_or("x86_64");
    let Some(p) = ctx.catalog.lambda(region, arch) else {
        return Outcome::unknown(format!("no Lambda price in the catalog for {region} ({arch})"));
    };
    let (memory_mb, mem_assumed) = match n(c, "memory_size") {
        Got::Known(m) => (m, None),
        Got::Unknown => (
            128.0,
            Some("memory_size unknown until apply: 128 MB assumed (the default)".to_owned()),
        ),
        Got::Unset => (128.0, None),
    };
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Requests",
        "monthly_requests",
        1e-6,
        Some(p.requests.clone()),
        region,
    );
    let requests = ctx.usage_num("monthly_requests");
    let duration_ms = ctx.usage_num("request_duration_ms");
    let gb_seconds = requests.unwrap_or(0.0) * duration_ms.unwrap_or(0.0) / 1000.0 * memory_mb / 1024.0;
    let mut dur = tiered(
        format!("Duration ({arch}, {memory_mb} MB)"),
        gb_seconds,
        &p.duration,
        region,
    )
    .assumed(mem_assumed);
    if requests.is_none() || duration_ms.is_none() {
        dur = dur.note("usage-based: set monthly_requests and request_duration_ms in the usage file");
    }
    out.push(dur);
    if let (Some(storage_mb), Some(price)) = (
        c.get("ephemeral_storage")
            .at(0)
            .get("size")
            .known()
            .and_then(|v| v.as_f64()),
        &p.ephemeral_storage,
    ) {
        if storage_mb > 512.0 {
            let gbs = requests.unwrap_or(0.0) * duration_ms.unwrap_or(0.0) / 1000.0 * (storage_mb - 512.0) / 1024.0;
            out.push(priced("Ephemeral storage above 512 MB", gbs, price, region));
        }
    }
    Outcome::usage(out)
}

/// Storage classes of the usage file, with their catalog class.
const S3_CLASSES: &[(&str, &str, &str)] = &[
    ("standard", "STANDARD", "Standard"),
    ("standard_infrequent_access", "STANDARD_IA", "Standard-IA"),
    ("one_zone_infrequent_access", "ONEZONE_IA", "One Zone-IA"),
    ("glacier_instant_retrieval", "GLACIER_IR", "Glacier Instant Retrieval"),
    ("glacier_flexible_retrieval", "GLACIER", "Glacier Flexible Retrieval"),
    ("glacier_deep_archive", "DEEP_ARCHIVE", "Glacier Deep Archive"),
];

fn s3_bucket(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
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

fn message_requests(ctx: &Ctx<'_>) -> (f64, Option<String>) {
    let (requests, hint) = usage_qty(ctx, "monthly_requests");
    // Every 64 KB chunk of a payload is billed as one request.
    let chunks = ctx
        .usage_num("request_size_kb")
        .map_or(1.0, |kb| (kb / 64.0).ceil().max(1.0));
    (requests * chunks, hint)
}

fn sqs_queue(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let fifo = b(c, "fifo_queue").known() == Some(true);
    let (requests, hint) = message_requests(ctx);
    let mut comp = priced_or(
        if fifo { "Requests (FIFO)" } else { "Requests (standard)" },
        requests / 1e6,
        ctx.catalog.sqs(region, fifo),
        region,
        || "SQS requests".into(),
    );
    if let Some(h) = hint {
        comp = comp.note(h);
    }
    Outcome::usage(vec![comp])
}

fn sns_topic(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (requests, hint) = message_requests(ctx);
    let mut comp = priced_or(
        "Publish requests",
        requests / 1e6,
        ctx.catalog.sns(region),
        region,
        || "SNS publishes".into(),
    );
    if let Some(h) = hint {
        comp = comp.note(h);
    }
    Outcome::usage(vec![comp.note("deliveries to subscriptions are not priced")])
}

// ---------------------------------------------------------------------------
// Management and security
// ---------------------------------------------------------------------------

fn kms_key(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Customer managed key",
        1.0,
        ctx.catalog.kms(region, KmsPrice::KeyMonth),
        region,
        || "KMS key".into(),
    )
    .note("API requests are not priced")])
}

fn secretsmanager_secret(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = vec![priced_or(
        "Secret",
        1.0,
        ctx.catalog.secrets_manager(region, SecretsManagerPrice::SecretMonth),
        region,
        || "Secrets Manager secret".into(),
    )];
    usage_component(
        &mut out,
        ctx,
        "API requests",
        "monthly_requests",
        1e-4,
        ctx.catalog.secrets_manager(region, SecretsManagerPrice::ApiRequests),
        region,
    );
    Outcome::new(out)
}

fn metric_alarm(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

fn log_group(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
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

// ---------------------------------------------------------------------------
// Snapshots, registries, file systems, endpoints
// ---------------------------------------------------------------------------

fn ebs_snapshot(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

fn ecr_repository(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Storage",
        "storage_gb",
        1.0,
        ctx.catalog.ecr_storage(region),
        region,
    );
    Outcome::usage(out)
}

fn efs_file_system(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Storage (Standard)",
        "storage_gb",
        1.0,
        ctx.catalog.efs(region),
        region,
    );
    Outcome::usage(out)
}

fn vpc_endpoint(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    match s(c, "vpc_endpoint_type") {
        Got::Known("Gateway") | Got::Unset => return Outcome::free("gateway endpoints (S3, DynamoDB) are free"),
        _ => {}
    }
    let region = region!(ctx);
    let Some((hour, data)) = ctx.catalog.vpc_interface_endpoint(region) else {
        return Outcome::unknown(format!("no VPC endpoint price in the catalog for {region}"));
    };
    // One endpoint network interface per subnet (AZ).
    let (azs, assumed) = match blocks(c, "subnet_ids") {
        Some(list) if !list.is_empty() => (list.len() as f64, None),
        _ => (1.0, Some("subnet_ids unknown until apply: 1 AZ assumed".to_owned())),
    };
    let mut out = vec![priced("Interface endpoint (per AZ)", ctx.hours() * azs, &hour, region).assumed(assumed)];
    usage_component(
        &mut out,
        ctx,
        "Data processed",
        "monthly_data_processed_gb",
        1.0,
        data,
        region,
    );
    Outcome::new(out)
}
