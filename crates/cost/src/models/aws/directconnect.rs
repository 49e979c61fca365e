//! Direct Connect dedicated connections.

use super::*;

pub(super) fn dx_connection(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let bandwidth = match s(c, "bandwidth") {
        Got::Known(bw) => bw,
        _ => return Outcome::unknown("bandwidth unknown until apply"),
    };
    Outcome::new(vec![priced_or(
        format!("Port hours ({bandwidth})"),
        ctx.hours(),
        ctx.catalog.aws_service("dx_port_hour", region, &[bandwidth]),
        region,
        || format!("Direct Connect {bandwidth} dedicated port"),
    )
    .note(
        "data transfer out over the connection is not priced; port prices are those of US locations",
    )])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_dx_connection"],
    priced_from: r#"dedicated port hours by `bandwidth` (1Gbps, 10Gbps, 100Gbps; US locations)"#,
    assumptions: r#"hosted-connection speeds: unknown; data transfer out not priced"#,
}];
