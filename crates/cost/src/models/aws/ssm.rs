//! Systems Manager Parameter Store parameters.

use super::*;

pub(super) fn ssm_parameter(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    match s(c, "tier") {
        Got::Known("Advanced") => {}
        Got::Known("Standard") | Got::Unset => return Outcome::free("standard parameters are free"),
        Got::Known("Intelligent-Tiering") => {
            return Outcome::unknown(
                "tier Intelligent-Tiering: AWS picks Advanced (charged) when the value exceeds 4 KB or has policies",
            )
        }
        Got::Known(_) => return Outcome::unknown("tier is not one of Standard, Advanced, Intelligent-Tiering"),
        // The provider leaves an unset tier unknown until apply: AWS applies the account's
        // default tier, Standard unless the account setting was changed.
        Got::Unknown => {
            return Outcome::free(
                "tier unknown until apply: the account's default tier, Standard (free) unless changed",
            )
        }
    }
    let region = region!(ctx);
    let cat = ctx.catalog;
    // Advanced parameters are charged pro rata by the hour they are stored.
    let months = ctx.usage_num("parameter_storage_hrs").map_or(1.0, |h| h / ctx.hours());
    let mut out = vec![priced_or(
        "Advanced parameter",
        months,
        cat.aws_service("ssm_parameter", region, &["Advanced"]),
        region,
        || "SSM advanced parameter".into(),
    )];
    usage_component(
        &mut out,
        ctx,
        "API interactions",
        "monthly_api_interactions",
        1e-4,
        cat.aws_service("ssm_api_interactions", region, &[]),
        region,
    );
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_ssm_parameter"],
    priced_from: r#"Advanced tier: parameter-month (prorated by `parameter_storage_hrs` / 730) + API interactions (`monthly_api_interactions`, per 10,000); Standard: free"#,
    assumptions: r#"`tier` unset or unknown: the account default, Standard (free); Intelligent-Tiering: unknown (AWS decides by the value's size)"#,
}];
