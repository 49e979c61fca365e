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

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_lambda_function"],
    priced_from: r#"usage-based: requests, duration (GB-s tiers, per architecture), ephemeral storage above 512 MB"#,
    assumptions: r#"`memory_size` unknown: 128 MB; `architectures` unset: x86_64"#,
}];
