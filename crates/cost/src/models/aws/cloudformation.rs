//! CloudFormation stacks and stack sets (third-party resource handler operations).

use super::*;

pub(super) fn cloudformation_stack(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let price = |table: &str| ctx.catalog.aws_service(table, region, &[]);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Third-party handler operations",
        "monthly_handler_operations",
        1.0,
        price("cloudformation_handler_operations"),
        region,
    );
    usage_component(
        &mut out,
        ctx,
        "Handler duration above 30 s",
        "monthly_duration_secs",
        1.0,
        price("cloudformation_handler_duration"),
        region,
    );
    Outcome::usage(
        out.into_iter()
            .map(|c| c.note("resources of the AWS::, Alexa:: and Custom:: namespaces are free"))
            .collect(),
    )
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_cloudformation_stack", "aws_cloudformation_stack_set"],
    priced_from: r#"usage-based: third-party resource handler operations (`monthly_handler_operations`) and their duration above 30 s (`monthly_duration_secs`)"#,
    assumptions: r#"AWS-namespace resources are free"#,
}];
