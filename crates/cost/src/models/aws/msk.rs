//! MSK (Managed Streaming for Apache Kafka) provisioned clusters.

use super::*;

pub(super) fn msk_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(group) = block(c, "broker_node_group_info") else {
        return Outcome::unknown("broker_node_group_info unknown until apply");
    };
    let Got::Known(brokers) = n(c, "number_of_broker_nodes") else {
        return Outcome::unknown("number_of_broker_nodes unknown until apply");
    };
    let cat = ctx.catalog;
    let mut out = Vec::new();
    match s(group, "instance_type") {
        Got::Known(t) => out.push(priced_or(
            format!("Broker instances ({t})"),
            brokers * ctx.hours(),
            cat.aws_service("msk_broker_hour", region, &[t]),
            region,
            || format!("MSK {t}"),
        )),
        _ => out.push(unknown("Broker instances", "hour", "instance_type unknown until apply")),
    }
    // Storage per broker: storage_info.ebs_storage_info.volume_size (1 GB minimum; AWS's
    // default when unset is 1000 GB).
    let volume = match block(group, "storage_info") {
        Got::Known(si) => match block(si, "ebs_storage_info") {
            Got::Known(ebs) => n(ebs, "volume_size"),
            other => other.map_unset(),
        },
        other => other.map_unset(),
    };
    match volume {
        Got::Known(gb) => out.push(priced_or(
            "Broker storage",
            gb * brokers,
            cat.aws_service("msk_storage", region, &[]),
            region,
            || "MSK storage".into(),
        )),
        _ => out.push(unknown("Broker storage", "GB-month", "volume_size unknown until apply")),
    }
    Outcome::new(out)
}

trait MapUnset {
    fn map_unset(self) -> Got<f64>;
}

impl MapUnset for Got<Cursor<'_>> {
    fn map_unset(self) -> Got<f64> {
        match self {
            Got::Unknown => Got::Unknown,
            _ => Got::Unset,
        }
    }
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_msk_cluster"],
    priced_from: r#"`number_of_broker_nodes` x broker hours by `broker_node_group_info.instance_type` (kafka.t3.small, kafka.m5.*) + `volume_size` GB-months per broker"#,
    assumptions: r#"instance type or storage unknown: that component unknown (partial); Graviton (m7g) and serverless: unknown (no prices)"#,
}];
