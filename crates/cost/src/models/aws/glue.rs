//! Glue jobs.

use super::*;

/// DPUs per worker of each Glue worker type.
fn worker_dpus(worker_type: &str) -> Option<f64> {
    Some(match worker_type {
        "Standard" | "G.1X" => 1.0,
        "G.2X" => 2.0,
        "G.4X" => 4.0,
        "G.8X" => 8.0,
        "G.025X" => 0.25,
        _ => return None,
    })
}

pub(super) fn glue_job(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let dpus = match (n(c, "number_of_workers"), s(c, "worker_type"), n(c, "max_capacity")) {
        (Got::Known(workers), Got::Known(t), _) => match worker_dpus(t) {
            Some(per) => workers * per,
            None => return Outcome::unknown("worker_type has no known DPU count"),
        },
        (_, _, Got::Known(capacity)) => capacity,
        _ => return Outcome::unknown("the job's DPUs (max_capacity or number_of_workers x worker_type) are unknown"),
    };
    let hours = ctx.usage_num("monthly_hours");
    let mut comp = priced_or(
        format!("Job run ({dpus} DPU)"),
        hours.unwrap_or(0.0) * dpus,
        ctx.catalog.aws_service("glue_dpu_hour", region, &[]),
        region,
        || "Glue DPU-hour".into(),
    );
    if hours.is_none() {
        comp = comp.note("usage-based: set monthly_hours in the usage file");
    }
    Outcome::usage(vec![comp])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_glue_job"],
    priced_from: r#"usage-based: `monthly_hours` x DPUs (`number_of_workers` x the `worker_type`'s DPUs: G.1X 1, G.2X 2, G.4X 4, G.8X 8, G.025X 0.25; or `max_capacity`) per DPU-hour"#,
    assumptions: r#"DPUs unknown: unknown"#,
}];
