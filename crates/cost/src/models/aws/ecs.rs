//! ECS services on Fargate (task size from the task definition).

use super::*;

/// Storage every Fargate task gets without charge.
const FARGATE_FREE_EPHEMERAL_GB: f64 = 20.0;

/// A service on Fargate: `desired_count` tasks of the task definition's `cpu` (units of
/// 1/1024 vCPU) and `memory` (MiB), plus ephemeral storage above 20 GB, every hour. EC2
/// launch type: free here (the container instances carry the cost).
pub(super) fn ecs_service(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let strategy = blocks(c, "capacity_provider_strategy").unwrap_or_default();
    let providers: Vec<&str> = strategy
        .iter()
        .filter_map(|p| s(*p, "capacity_provider").known())
        .collect();
    let fargate_spot = providers.contains(&"FARGATE_SPOT");
    match s(c, "launch_type") {
        Got::Known("FARGATE") => {}
        Got::Known("EC2") | Got::Known("EXTERNAL") => {
            return Outcome::free("EC2/external launch type: the cost is on the container instances")
        }
        _ if providers.contains(&"FARGATE") || fargate_spot => {}
        Got::Known(other) => return Outcome::unknown(format!("launch_type {other}: not modelled")),
        _ => {
            return Outcome::unknown(
                "launch_type and capacity providers unknown or unset: the cluster's default capacity provider decides",
            )
        }
    }
    let region = region!(ctx);
    let Some(p) = ctx.catalog.fargate(region) else {
        return Outcome::unknown(format!("no Fargate price in the catalog for {region}"));
    };
    let tasks = match n(c, "desired_count") {
        Got::Known(v) => v,
        // The provider's default.
        Got::Unset => 0.0,
        Got::Unknown => return Outcome::unknown("desired_count is unknown until apply"),
    };
    let Some(td) = ctx
        .refs
        .follow(ctx.plan, ctx.rc, &["task_definition"], "aws_ecs_task_definition")
        .or_else(|| {
            s(c, "task_definition")
                .known()
                .and_then(|id| ctx.refs.by_id(ctx.plan, "aws_ecs_task_definition", id))
        })
    else {
        return Outcome::unknown("task definition not found in the plan (its cpu and memory set the price)");
    };
    let t = if ctx.before {
        td.values.before()
    } else {
        td.values.after()
    };
    let runtime = t.get("runtime_platform").at(0);
    if s(runtime, "operating_system_family")
        .known()
        .is_some_and(|os| os.starts_with("WINDOWS"))
    {
        return Outcome::unknown("Fargate Windows: not in the catalog");
    }
    if s(runtime, "cpu_architecture").known() == Some("ARM64") {
        return Outcome::unknown("Fargate ARM64: not in the catalog (x86 prices only)");
    }
    let (Got::Known(cpu), Got::Known(memory)) = (n(t, "cpu"), n(t, "memory")) else {
        return Outcome::unknown(format!(
            "cpu or memory of {} unknown or unset (Fargate requires both)",
            td.rc.address
        ));
    };
    let vcpus = cpu / 1024.0;
    let gb = memory / 1024.0;
    let hours = ctx.hours() * tasks;
    let note = format!(
        "{tasks} task(s) of {vcpus} vCPU, {gb} GB (task definition {})",
        td.rc.address
    );
    let mut out = Vec::new();
    if fargate_spot {
        out.push(unknown(
            "Fargate capacity (FARGATE_SPOT share)",
            "vCPU-hour",
            "capacity_provider_strategy includes FARGATE_SPOT: the catalog has no Fargate Spot prices",
        ));
    }
    out.push(priced(format!("vCPU ({vcpus} per task)"), vcpus * hours, &p.vcpu_hour, region).note(note));
    out.push(priced(
        format!("Memory ({gb} GB per task)"),
        gb * hours,
        &p.gb_hour,
        region,
    ));
    if let (Got::Known(size), Some(price)) = (
        n(t.get("ephemeral_storage").at(0), "size_in_gib"),
        &p.ephemeral_storage_gb_hour,
    ) {
        if size > FARGATE_FREE_EPHEMERAL_GB {
            out.push(priced(
                "Ephemeral storage above 20 GB",
                (size - FARGATE_FREE_EPHEMERAL_GB) * hours,
                price,
                region,
            ));
        }
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_ecs_service"],
    priced_from: r#"Fargate: `desired_count` tasks x (task definition `cpu` / 1024 vCPU-hours + `memory` / 1024 GB-hours + ephemeral storage above 20 GB), 730 h; the task definition found by reference or id; EC2/external launch type: free (the instances carry the cost)"#,
    assumptions: r#"`desired_count` unset: 0 (the provider default); launch type unknown with no capacity providers, FARGATE_SPOT, Windows and ARM64 tasks: unknown (no prices)"#,
}];
