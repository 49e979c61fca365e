//! Cloud VPN tunnels.

use super::*;

pub(super) fn vpn_tunnel(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "VPN tunnel",
        ctx.hours(),
        ctx.catalog.gcp_vpn_tunnel_hour(region),
        region,
        || "a VPN tunnel".into(),
    )])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_compute_vpn_tunnel"],
    priced_from: r#"tunnel hours (egress not modelled)"#,
    assumptions: r#""#,
}];
