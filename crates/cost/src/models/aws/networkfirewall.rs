//! Network Firewall firewalls.

use super::*;

pub(super) fn networkfirewall_firewall(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    // One firewall endpoint per subnet mapping (one per AZ).
    let (endpoints, assumed) = match blocks(c, "subnet_mapping") {
        Some(list) if !list.is_empty() => (list.len() as f64, None),
        _ => (
            1.0,
            Some("subnet_mapping unknown until apply: 1 endpoint assumed".to_owned()),
        ),
    };
    let mut out = vec![priced_or(
        "Firewall endpoints",
        endpoints * ctx.hours(),
        cat.aws_service("network_firewall", region, &[]),
        region,
        || "Network Firewall endpoint".into(),
    )
    .assumed(assumed)];
    usage_component(
        &mut out,
        ctx,
        "Data processed",
        "monthly_data_processed_gb",
        1.0,
        cat.aws_service("network_firewall_data", region, &[]),
        region,
    );
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_networkfirewall_firewall"],
    priced_from: r#"endpoint hours, one endpoint per `subnet_mapping` + data processed (`monthly_data_processed_gb`)"#,
    assumptions: r#"`subnet_mapping` unknown: 1 endpoint"#,
}];
