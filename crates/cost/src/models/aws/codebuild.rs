//! CodeBuild projects.

use super::*;

pub(super) fn codebuild_project(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let env = match block(c, "environment") {
        Got::Known(e) => e,
        _ => return Outcome::unknown("environment unknown until apply"),
    };
    let compute = match s(env, "compute_type") {
        Got::Known(t) => t,
        _ => return Outcome::unknown("environment compute_type unknown until apply"),
    };
    match s(env, "type") {
        Got::Known("LINUX_CONTAINER") => {}
        Got::Known(_) => {
            return Outcome::unknown("no CodeBuild price in the catalog for this environment type (Linux only)")
        }
        _ => return Outcome::unknown("environment type unknown until apply"),
    }
    let Some(price) = ctx.catalog.aws_service("codebuild_build_minute", region, &[compute]) else {
        return Outcome::unknown(format!("no CodeBuild price in the catalog for {compute} in {region}"));
    };
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        &format!("Build minutes (Linux, {compute})"),
        "monthly_build_mins",
        1.0,
        Some(price),
        region,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_codebuild_project"],
    priced_from: r#"usage-based: build minutes (`monthly_build_mins`) by `environment.compute_type` (Linux containers, BUILD_GENERAL1_SMALL/MEDIUM/LARGE)"#,
    assumptions: r#"other compute types, ARM, GPU, Windows and Lambda compute: unknown (no prices)"#,
}];
