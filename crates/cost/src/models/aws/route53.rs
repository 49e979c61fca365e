//! Route 53 hosted zones and records.

use super::*;

pub(super) fn route53_zone(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    match ctx.catalog.route53_hosted_zones() {
        Some(p) => Outcome::new(vec![
            priced("Hosted zone", 1.0, &p.first_tier(), "global").note("rate of the first 25 zones of the account")
        ]),
        None => Outcome::unknown("no Route 53 hosted zone price in the catalog"),
    }
}

pub(super) fn route53_record(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if matches!(block(c, "alias"), Got::Known(_)) {
        return Outcome::free("alias records to AWS resources are queried for free");
    }
    let mut out = Vec::new();
    for (name, key, price) in [
        (
            "Standard queries",
            "monthly_standard_queries",
            Route53Price::StandardQueries,
        ),
        (
            "Latency-based queries",
            "monthly_latency_based_queries",
            Route53Price::LatencyQueries,
        ),
        ("Geo DNS queries", "monthly_geo_queries", Route53Price::GeoQueries),
    ] {
        if key == "monthly_standard_queries" || ctx.usage_num(key).is_some() {
            usage_component(&mut out, ctx, name, key, 1e-6, ctx.catalog.route53(price), "global");
        }
    }
    Outcome::usage(out)
}

/// A Resolver endpoint bills one elastic network interface per `ip_address` block (AWS
/// requires at least 2).
pub(super) fn resolver_endpoint(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (enis, assumed) = match blocks(c, "ip_address") {
        Some(list) if !list.is_empty() => (list.len() as f64, None),
        _ => (
            2.0,
            Some("ip_address blocks unknown until apply: 2 assumed (the AWS minimum)".to_owned()),
        ),
    };
    Outcome::new(vec![priced_or(
        "Resolver endpoint (per ENI)",
        ctx.hours() * enis,
        ctx.catalog.route53(Route53Price::ResolverEndpointEniHour),
        region,
        || "Route 53 Resolver endpoint".into(),
    )
    .assumed(assumed)
    .note(format!("{enis} elastic network interface(s)"))])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_route53_zone"],
        priced_from: r#"first-25-zones rate"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_route53_record"],
        priced_from: r#"usage-based queries (standard, latency, geo); alias records free"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_route53_resolver_endpoint"],
        priced_from: r#"ENI hours: one per `ip_address` block"#,
        assumptions: r#"`ip_address` unknown: 2 (the AWS minimum)"#,
    },
];
