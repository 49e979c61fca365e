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

/// Instance hours of `count` instances.
fn compute(ctx: &Ctx<'_>, region: &str, instance_type: &str, count: f64, label: &str) -> Component {
    let os = ctx
        .usage
        .and_then(|u| u.text("operating_system"))
        .unwrap_or("linux")
        .to_ascii_lowercase();
    let hours = ctx.usage_num("monthly_hrs").unwrap_or(ctx.hours());
    let name = format!("{label}Instance usage (Linux, on-demand, {instance_type})");
    if os != "linux" {
        return unknown(
            name,
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
    let assumed = (!v.assumed.is_empty()).then(|| v.assumed.join("; "));
    let label = &v.label;
    let Some(prices) = ctx.catalog.ebs(region, &v.vtype) else {
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
    LaunchSpec {
        instance_type: s(c, "instance_type").map_owned(),
        source: Some(format!("launch template {}", lt.rc.address)),
        volumes,
        monitoring,
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
        Got::Known(t) => {
            out.push(
                compute(ctx, region, t, count, "")
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
    if let Got::Known(t) = s(c, "tenancy") {
        if t != "default" {
            return Outcome::unknown(format!("tenancy {t}: the catalog has shared-tenancy prices only"));
        }
    }
    if let Got::Known(m) = block(c, "instance_market_options") {
        if s(m, "market_type").known() == Some("spot") {
            return Outcome::unknown("spot instance: the catalog has on-demand prices only");
        }
    }
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
    // Mixed instances: the first override's type is what the group launches first.
    if let Some(first) = c
        .get("mixed_instances_policy")
        .at(0)
        .get("launch_template")
        .at(0)
        .get("override")
        .at(0)
        .get("instance_type")
        .as_str()
    {
        spec.instance_type = Got::Known(first.to_owned());
        spec.source = Some("mixed_instances_policy override[0]".into());
    }
    if spec.volumes.is_empty() {
        spec.volumes.push(Volume::default_root(
            "root volume: ",
            "launch template maps no volumes",
            DEFAULT_ROOT_GB,
        ));
    }
    let mut out = Vec::new();
    price_launch_spec(ctx, region, &spec, count, count_assumed, &mut out);
    Outcome::new(out)
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
    if s(c, "capacity_type").known() == Some("SPOT") {
        return Outcome::unknown("SPOT capacity: the catalog has on-demand prices only");
    }
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

fn db_instance(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    let engine = match s(c, "engine") {
        Got::Known(e) => e,
        _ => return Outcome::unknown("engine unknown until apply (a replica takes its source's engine)"),
    };
    let class = match s(c, "instance_class") {
        Got::Known(k) => k,
        _ => return Outcome::unknown("instance_class is known only after apply and has no default"),
    };
    let (multi_az, az_assumed) = match b(c, "multi_az") {
        Got::Known(m) => (m, None),
        Got::Unknown => (
            false,
            Some("multi_az unknown until apply: single-AZ assumed (the default)".to_owned()),
        ),
        Got::Unset => (false, None),
    };
    let deployment = if multi_az { "Multi-AZ" } else { "Single-AZ" };
    out.push(
        priced_or(
            format!("Database instance ({engine}, {class}, {deployment})"),
            ctx.hours(),
            ctx.catalog.rds_instance_hour(region, engine, class, multi_az),
            region,
            || format!("RDS {engine} {class} {deployment}"),
        )
        .assumed(az_assumed.clone()),
    );
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
    let size = match n(c, "allocated_storage") {
        Got::Known(v) => Some(v),
        _ => None,
    };
    let Some(prices) = ctx.catalog.rds_storage(region, &storage_type, multi_az) else {
        out.push(unknown(
            format!("Storage ({storage_type}, {deployment})"),
            "GB-month",
            format!("no price in the catalog for RDS {storage_type} storage in {region}"),
        ));
        return Outcome::new(out);
    };
    let storage_assumed = [az_assumed, st_assumed].into_iter().flatten().collect::<Vec<_>>();
    let storage_assumed = (!storage_assumed.is_empty()).then(|| storage_assumed.join("; "));
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
            "allocated_storage unknown until apply (a replica or restore inherits it)",
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
                out.push(priced(format!("Provisioned IOPS ({storage_type})"), i, p, region));
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
    Outcome::new(out)
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
    Outcome::new(vec![priced_or(
        format!("Database instance ({engine}, {class}, {config})"),
        ctx.hours(),
        price,
        region,
        || format!("{engine} {class}"),
    )
    .assumed(assumed)])
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
        // Capacity units are the maximum over the dimensions AWS meters (per LCU: ALB 25 new
        // conn/s, 3000 active conn/min, 1 GB/h, 1000 rule evaluations/s; NLB 800 new conn/s,
        // 100000 active, 1 GB/h; GWLB 600, 60000, 1 GB/h).
        let (new_per, active_per) = match kind {
            LoadBalancerKind::Network => (800.0, 100_000.0),
            LoadBalancerKind::Gateway => (600.0, 60_000.0),
            _ => (25.0, 3000.0),
        };
        let u = |k| ctx.usage_num(k);
        let lcu = u("capacity_units").or_else(|| {
            let dims = [
                u("new_connections").map(|v| v / new_per),
                u("active_connections").map(|v| v / active_per),
                u("processed_bytes_gb"),
                u("rule_evaluations")
                    .filter(|_| kind == LoadBalancerKind::Application)
                    .map(|v| v / 1000.0),
            ];
            dims.into_iter().flatten().reduce(f64::max)
        });
        let mut comp = priced("Capacity units", lcu.unwrap_or(0.0) * ctx.hours(), lcu_price, region);
        if lcu.is_none() {
            comp = comp.note(
                "usage-based: set new_connections, active_connections, processed_bytes_gb, rule_evaluations (or capacity_units) in the usage file",
            );
        }
        out.push(comp);
    }
    Outcome::new(out)
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

fn eks_cluster(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "EKS cluster",
        ctx.hours(),
        ctx.catalog.eks_cluster_hour(region, false),
        region,
        || "EKS cluster".into(),
    )
    .note("standard support; a version in extended support costs 6x")])
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
