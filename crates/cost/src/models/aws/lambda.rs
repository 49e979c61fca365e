//! Lambda functions.

use super::*;

pub(super) fn lambda_function(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
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

/// Provisioned concurrency: `provisioned_concurrent_executions` x the function's memory, every
/// second of the month (the function found by reference or name).
pub(super) fn provisioned_concurrency(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(executions) = n(c, "provisioned_concurrent_executions") else {
        return Outcome::unknown("provisioned_concurrent_executions is unknown until apply");
    };
    let function = ctx
        .refs
        .follow(ctx.plan, ctx.rc, &["function_name"], "aws_lambda_function")
        .or_else(|| {
            s(c, "function_name")
                .known()
                .and_then(|name| ctx.refs.by_id(ctx.plan, "aws_lambda_function", name))
        });
    let Some(function) = function else {
        return Outcome::unknown("function not found in the plan (its memory_size sets the price)");
    };
    let f = if ctx.before {
        function.values.before()
    } else {
        function.values.after()
    };
    let arch = f.get("architectures").at(0).as_str().unwrap_or("x86_64");
    let (memory_mb, assumed) = match n(f, "memory_size") {
        Got::Known(m) => (m, None),
        _ => (
            128.0,
            Some("memory_size not known: 128 MB assumed (the default)".to_owned()),
        ),
    };
    let name = format!("Provisioned concurrency ({executions} x {memory_mb} MB)");
    let price = ctx.catalog.lambda(region, arch).and_then(|p| p.provisioned_concurrency);
    if arch != "x86_64" {
        return Outcome::new(vec![unknown(
            name,
            "GB-second",
            format!("no {arch} provisioned concurrency price in the catalog"),
        )]);
    }
    let gb_seconds = executions * memory_mb / 1024.0 * seconds_per_month(ctx);
    Outcome::new(vec![priced_or(name, gb_seconds, price, region, || {
        "Lambda provisioned concurrency".into()
    })
    .assumed(assumed)
    .note(format!(
        "function {}; invocations and their duration are priced on the function",
        function.rc.address
    ))])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_lambda_function"],
        priced_from: r#"usage-based: requests, duration (GB-s tiers, per architecture), ephemeral storage above 512 MB"#,
        assumptions: r#"`memory_size` unknown: 128 MB; `architectures` unset: x86_64"#,
    },
    ModelDoc {
        types: &["aws_lambda_provisioned_concurrency_config"],
        priced_from: r#"`provisioned_concurrent_executions` x the function's `memory_size` GB x 2,628,000 s (730 h) per GB-second (x86_64)"#,
        assumptions: r#"function `memory_size` unknown: 128 MB; arm64: unknown (no price); the function not in the plan: unknown"#,
    },
];
