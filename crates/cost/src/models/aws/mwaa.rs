//! Managed Workflows for Apache Airflow environments.

use super::*;

pub(super) fn mwaa_environment(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (class, assumed) = match s(c, "environment_class") {
        Got::Known(class) => (class, None),
        Got::Unset | Got::Unknown => (
            "mw1.small",
            Some("environment_class unknown until apply: mw1.small assumed (the default)".to_owned()),
        ),
    };
    Outcome::new(vec![priced_or(
        format!("Environment ({class})"),
        ctx.hours(),
        ctx.catalog.aws_service("mwaa_environment_hour", region, &[class]),
        region,
        || format!("MWAA {class}"),
    )
    .assumed(assumed)
    .note("additional workers, schedulers and metadata database storage are not priced")])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_mwaa_environment"],
    priced_from: r#"environment hours by `environment_class` (mw1.small, mw1.medium, mw1.large; one worker and the schedulers included)"#,
    assumptions: r#"`environment_class` unset/unknown: mw1.small (the default); additional workers (`max_workers` above `min_workers` scale with load), extra schedulers and metadata storage not priced"#,
}];
