//! API Gateway REST and HTTP/WebSocket APIs (usage-based requests).

use super::*;

pub(super) fn rest_api(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Requests (REST API, first tier)",
        "monthly_requests",
        1e-6,
        ctx.catalog.api_gateway_requests(region, false),
        region,
    );
    Outcome::usage(out)
}

/// HTTP APIs meter each 512 KB of a request as one request.
pub(super) fn http_api(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    if s(c, "protocol_type").known() == Some("WEBSOCKET") {
        // WebSocket messages are metered in 32 KB increments.
        let (messages, hint) = usage_qty(ctx, "monthly_messages");
        let chunks = ctx
            .usage_num("message_size_kb")
            .map_or(1.0, |kb| (kb / 32.0).ceil().max(1.0));
        let price = |part: &str| ctx.catalog.aws_service("apigw_websocket", region, &[part]);
        let mut msg = priced_or(
            "Messages (WebSocket API, first tier)",
            messages * chunks / 1e6,
            price("messages"),
            region,
            || "API Gateway WebSocket messages".into(),
        );
        if let Some(h) = hint {
            msg = msg.note(h);
        }
        let mut out = vec![msg];
        usage_component(
            &mut out,
            ctx,
            "Connection minutes",
            "monthly_connection_minutes",
            1e-6,
            price("connection_minutes"),
            region,
        );
        return Outcome::usage(out);
    }
    let (requests, hint) = usage_qty(ctx, "monthly_requests");
    let chunks = ctx
        .usage_num("request_size_kb")
        .map_or(1.0, |kb| (kb / 512.0).ceil().max(1.0));
    let mut comp = priced_or(
        "Requests (HTTP API, first tier)",
        requests * chunks / 1e6,
        ctx.catalog.api_gateway_requests(region, true),
        region,
        || "API Gateway HTTP requests".into(),
    );
    if let Some(h) = hint {
        comp = comp.note(h);
    }
    Outcome::usage(vec![comp])
}

pub(super) fn api_gateway_stage(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    match b(c, "cache_cluster_enabled") {
        Got::Known(true) => {}
        Got::Known(false) | Got::Unset => {
            return Outcome::free("a stage without a cache costs nothing (requests are priced on the API)")
        }
        Got::Unknown => return Outcome::unknown("cache_cluster_enabled unknown until apply"),
    }
    let region = region!(ctx);
    let (size, assumed) = match s(c, "cache_cluster_size") {
        Got::Known(size) => (size, None),
        Got::Unset => (
            "0.5",
            Some("cache_cluster_size unset: 0.5 GB assumed (the API Gateway default)".to_owned()),
        ),
        Got::Unknown => return Outcome::unknown("cache_cluster_size unknown until apply"),
    };
    Outcome::new(vec![priced_or(
        format!("Cache memory ({size} GB)"),
        ctx.hours(),
        ctx.catalog.aws_service("api_gateway_cache_hour", region, &[size]),
        region,
        || format!("API Gateway cache of {size} GB"),
    )
    .assumed(assumed)])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_api_gateway_rest_api"],
        priced_from: r#"usage-based: `monthly_requests` at the first volume tier"#,
        assumptions: r#"the volume tiers (beyond 333M requests) are not in the catalog"#,
    },
    ModelDoc {
        types: &["aws_apigatewayv2_api"],
        priced_from: r#"HTTP: usage-based `monthly_requests` (each 512 KB of `request_size_kb` is one request) at the first tier; WebSocket: usage-based messages (`monthly_messages`, each 32 KB of `message_size_kb` one message) and `monthly_connection_minutes`"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_api_gateway_stage"],
        priced_from: r#"cache hours by `cache_cluster_size` (0.5 to 237 GB) when `cache_cluster_enabled`; without a cache: free"#,
        assumptions: r#"`cache_cluster_size` unset: 0.5 GB"#,
    },
];
