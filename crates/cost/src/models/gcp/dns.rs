//! Cloud DNS: managed zones and record sets (queries).

use super::*;

pub(super) fn dns_managed_zone(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    Outcome::new(vec![priced_or(
        "Managed zone",
        ctx.hours(),
        ctx.catalog
            .gcp_service("dns_managed_zone_hour", "global", &["first_25"]),
        "global",
        || "Cloud DNS managed zones".into(),
    )
    .assumed(Some(
        "the first-25-zones rate (the most expensive tier; zones 26 to 10,000 of a billing account cost half)".into(),
    ))])
}

/// Queries are billed per zone; a record set's queries come from the usage file.
pub(super) fn dns_record_set(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let routing = matches!(block(c, "routing_policy"), Got::Known(_));
    let kind = if routing { "routing_policy" } else { "regular" };
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        if routing { "Routing-policy queries" } else { "Queries" },
        "monthly_queries",
        1e-6,
        ctx.catalog.gcp_service("dns_queries", "global", &[kind]),
        "global",
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["google_dns_managed_zone"],
        priced_from: r#"zone hours (`gcp.services.dns_managed_zone_hour`)"#,
        assumptions: r#"the first-25-zones rate (the most expensive tier)"#,
    },
    ModelDoc {
        types: &["google_dns_record_set"],
        priced_from: r#"usage-based `monthly_queries` (per 1M; routing-policy rate with a `routing_policy` block)"#,
        assumptions: r#"the first-billion-queries rate"#,
    },
];
