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

pub(super) fn health_check(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let kind = match s(c, "type") {
        Got::Known(t) => t,
        _ => return Outcome::unknown("type unknown until apply"),
    };
    // Whether the endpoint runs on AWS is not in the plan: the usage file says so
    // (`endpoint_type: aws`); otherwise the dearer non-AWS price is used, as an upper bound.
    let aws = ctx.usage.and_then(|u| u.text("endpoint_type")) == Some("aws");
    let calculated = matches!(kind, "CALCULATED" | "CLOUDWATCH_METRIC");
    let (endpoint, price, assumed) = if aws || calculated {
        ("aws", Route53Price::HealthCheckAws, None)
    } else {
        (
            "non_aws",
            Route53Price::HealthCheckNonAws,
            Some(
                "endpoint not known to run on AWS: the non-AWS price (an upper bound; set endpoint_type: aws)"
                    .to_owned(),
            ),
        )
    };
    let mut out = vec![priced_or(
        format!(
            "Health check ({})",
            if endpoint == "aws" {
                "AWS endpoint"
            } else {
                "non-AWS endpoint"
            }
        ),
        1.0,
        ctx.catalog.route53(price),
        "global",
        || "Route 53 health check".into(),
    )
    .assumed(assumed)];
    let features = [
        kind.starts_with("HTTPS"),
        kind.ends_with("_STR_MATCH"),
        n(c, "request_interval").known() == Some(10.0),
        b(c, "measure_latency").known() == Some(true),
    ]
    .iter()
    .filter(|f| **f)
    .count() as f64;
    if features > 0.0 {
        out.push(priced_or(
            "Optional features (HTTPS, string matching, fast interval, latency)",
            features,
            ctx.catalog
                .aws_service("route53_health_check_feature", "global", &[endpoint]),
            "global",
            || "Route 53 health check features".into(),
        ));
    }
    Outcome::new(out)
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
    ModelDoc {
        types: &["aws_route53_health_check"],
        priced_from: r#"health check-month (AWS or non-AWS endpoint) + optional features (HTTPS, string matching, `request_interval` 10, `measure_latency`) per feature-month"#,
        assumptions: r#"endpoint on AWS unless usage `endpoint_type: aws` is given: no, the non-AWS price (an upper bound, `assumed`); calculated and CloudWatch-metric checks: the AWS price"#,
    },
];
