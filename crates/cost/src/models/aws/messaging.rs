//! SQS queues and SNS topics.

use super::*;

pub(super) fn message_requests(ctx: &Ctx<'_>) -> (f64, Option<String>) {
    let (requests, hint) = usage_qty(ctx, "monthly_requests");
    // Every 64 KB chunk of a payload is billed as one request.
    let chunks = ctx
        .usage_num("request_size_kb")
        .map_or(1.0, |kb| (kb / 64.0).ceil().max(1.0));
    (requests * chunks, hint)
}

pub(super) fn sqs_queue(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let fifo = b(c, "fifo_queue").known() == Some(true);
    let (requests, hint) = message_requests(ctx);
    let mut comp = priced_or(
        if fifo { "Requests (FIFO)" } else { "Requests (standard)" },
        requests / 1e6,
        ctx.catalog.sqs(region, fifo),
        region,
        || "SQS requests".into(),
    );
    if let Some(h) = hint {
        comp = comp.note(h);
    }
    Outcome::usage(vec![comp])
}

pub(super) fn sns_topic(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (requests, hint) = message_requests(ctx);
    let mut comp = priced_or(
        "Publish requests",
        requests / 1e6,
        ctx.catalog.sns(region),
        region,
        || "SNS publishes".into(),
    );
    if let Some(h) = hint {
        comp = comp.note(h);
    }
    Outcome::usage(vec![comp.note("deliveries to subscriptions are not priced")])
}

pub(super) fn sns_topic_subscription(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let protocol = match s(c, "protocol") {
        Got::Known(p) => p,
        _ => return Outcome::unknown("protocol unknown until apply"),
    };
    if matches!(protocol, "sqs" | "lambda") {
        return Outcome::free("deliveries to SQS queues and Lambda functions are free");
    }
    let region = region!(ctx);
    let Some(price) = ctx.catalog.aws_service("sns_deliveries", region, &[protocol]) else {
        return Outcome::unknown(format!(
            "no SNS delivery price in the catalog for protocol {protocol} (SMS prices depend on the destination country)"
        ));
    };
    let (requests, hint) = message_requests(ctx);
    let mut comp = priced(format!("Deliveries ({protocol})"), requests / 1e6, &price, region);
    if let Some(h) = hint {
        comp = comp.note(h);
    }
    Outcome::usage(vec![comp])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_sqs_queue", "aws_sns_topic"],
        priced_from: r#"usage-based requests (each 64 KB of `request_size_kb` is one request); FIFO rate for `fifo_queue`"#,
        assumptions: r#"SNS deliveries are priced on `aws_sns_topic_subscription`"#,
    },
    ModelDoc {
        types: &["aws_sns_topic_subscription"],
        priced_from: r#"usage-based deliveries (`monthly_requests`, each 64 KB of `request_size_kb` one delivery) by `protocol`: HTTP/S $0.60 per 1M, email $2.00 per 100,000, mobile push $0.50 per 1M; SQS and Lambda: free"#,
        assumptions: r#"SMS, Firehose: unknown (no prices)"#,
    },
];
