//! Auto Scaling groups, with launch templates, spot and mixed instances policies.

use super::*;

pub(super) fn autoscaling_group(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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
pub(super) struct Override {
    pub(super) instance_type: String,
    pub(super) weight: f64,
}

/// A mixed instances policy: the desired capacity (in capacity units when the overrides
/// carry weights) splits into on-demand units (`on_demand_base_capacity`, then
/// `on_demand_percentage_above_base_capacity` of the rest; AWS defaults 0 and 100) and spot
/// units. On-demand units launch the first override (`prioritized`, the default) or the
/// cheapest per capacity unit (`lowest-price`), as `units / weight` instances of it. Spot
/// units have no offline price: unknown, with the on-demand upper bound of the dearest override
/// per unit in the note.
pub(super) fn price_mixed_instances(
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
            assumed.push(format!(
                "{key} unknown until apply: {default} assumed (the AWS default)"
            ));
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
            .map(per_unit)
            .collect::<Option<Vec<f64>>>()
            .and_then(|v| v.into_iter().reduce(f64::max))
            .map(|u| {
                format!(
                    "; at most {:.2}/month at the dearest override's on-demand price per unit (an upper bound)",
                    u * spot_units * ctx.hours()
                )
            })
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

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_autoscaling_group"],
    priced_from: r#"desired capacity x (launch template/configuration instance type + its volumes + monitoring); a `mixed_instances_policy` prices each override by its `weighted_capacity`: on-demand units = `on_demand_base_capacity` + `on_demand_percentage_above_base_capacity` % of the rest (AWS defaults 0 and 100), launched as the first override (`prioritized`, the default) or the cheapest per capacity unit (`lowest-price`), instances = units / weight"#,
    assumptions: r#"`desired_capacity` unknown: `min_size`; usage `instances` overrides. The launch template is found by known id/name, else through `configuration...expressions.launch_template[0].id` (or `mixed_instances_policy...launch_template_specification[0].launch_template_id`) references, and its own change gives `instance_type` and `block_device_mappings`; a launch configuration likewise (`enable_monitoring` defaults to true). Spot capacity (a launch template with `instance_market_options` spot, a launch configuration with `spot_price`, the spot share of a mixed policy, 0% on-demand included): instance hours **unknown** (no spot prices offline), the note gives the on-demand cost of the dearest override per unit as an upper bound; volumes of spot instances count as instances of the first override: partial. No mapped volumes: 8 GB gp2 root per instance"#,
}];
