//! Step Functions state machines.

use super::*;

pub(super) fn sfn_state_machine(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let mut out = Vec::new();
    match s(c, "type") {
        Got::Known("STANDARD") | Got::Unset => usage_component(
            &mut out,
            ctx,
            "State transitions",
            "monthly_transitions",
            1e-3,
            cat.aws_service("sfn_standard_transitions", region, &[]),
            region,
        ),
        Got::Known("EXPRESS") => {
            usage_component(
                &mut out,
                ctx,
                "Requests",
                "monthly_requests",
                1e-6,
                cat.aws_service("sfn_express_requests", region, &[]),
                region,
            );
            // Express duration is billed in 100 ms increments of 64 MB memory steps.
            let requests = ctx.usage_num("monthly_requests").unwrap_or(0.0);
            let duration_ms = ctx.usage_num("workflow_duration_ms").unwrap_or(0.0);
            let (memory_mb, assumed) = match ctx.usage_num("memory_mb") {
                Some(m) => (m, None),
                None => (
                    64.0,
                    Some("memory_mb not given: 64 MB assumed (the smallest billed step)".to_owned()),
                ),
            };
            let billed_seconds = (duration_ms / 100.0).ceil() * 0.1;
            let billed_gb = (memory_mb / 64.0).ceil() * 64.0 / 1024.0;
            let mut comp = priced_or(
                "Duration",
                requests * billed_seconds * billed_gb,
                cat.aws_service("sfn_express_duration", region, &[]),
                region,
                || "Step Functions Express duration".into(),
            )
            .assumed(assumed);
            if ctx.usage_num("workflow_duration_ms").is_none() {
                comp = comp.note("usage-based: set workflow_duration_ms in the usage file");
            }
            out.push(comp);
        }
        Got::Known(_) => return Outcome::unknown("type is neither STANDARD nor EXPRESS"),
        Got::Unknown => return Outcome::unknown("type unknown until apply"),
    }
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_sfn_state_machine"],
    priced_from: r#"usage-based. STANDARD: state transitions (`monthly_transitions`, per 1,000). EXPRESS: requests (`monthly_requests`) + duration GB-seconds = requests x `workflow_duration_ms` (rounded up to 100 ms) x `memory_mb` (rounded up to 64 MB) / 1024, at the first duration tier"#,
    assumptions: r#"`type` unset: STANDARD; EXPRESS `memory_mb` not given: 64 MB"#,
}];
