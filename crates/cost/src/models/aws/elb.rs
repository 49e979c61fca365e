//! Elastic Load Balancing: application, network, gateway and classic load balancers.

use super::*;

pub(super) fn load_balancer(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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
pub(super) fn capacity_unit_hours(ctx: &Ctx<'_>, kind: LoadBalancerKind) -> (f64, bool) {
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

pub(super) fn classic_load_balancer(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
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

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_lb", "aws_alb"],
        priced_from: r#"hours + capacity units from Infracost's **monthly** usage quantities: LCU-hours = the largest of `new_connections` / (25/s x 3600) (NLB 800/s, GWLB 600/s), `active_connections` (sum of the per-minute counts) / (3,000 x 60) (NLB 100,000, GWLB 60,000), `processed_bytes_gb` / 1 GB, `rule_evaluations` / (1,000/s x 3600) (ALB only); or `capacity_units` (average LCUs, x 730 h). `processed_bytes_gb: 1000` = 1,000 LCU-hours = 8.00 at 0.008"#,
        assumptions: r#"`load_balancer_type` unknown: application"#,
    },
    ModelDoc {
        types: &["aws_elb"],
        priced_from: r#"hours + data processed"#,
        assumptions: r#""#,
    },
];
