//! OpenSearch and Elasticsearch domains.

use super::*;

pub(super) fn opensearch_domain(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    let Got::Known(cluster) = block(c, "cluster_config") else {
        return Outcome::unknown("cluster_config unknown until apply or unset");
    };
    // Elasticsearch domains name the same instances `*.elasticsearch`; the price is the same.
    let search_type = |t: &str| {
        t.strip_suffix(".elasticsearch")
            .map_or(t.to_owned(), |base| format!("{base}.search"))
    };
    let mut out = Vec::new();
    let count = n(cluster, "instance_count").known().unwrap_or(1.0);
    match s(cluster, "instance_type") {
        Got::Known(t) => {
            let t = search_type(t);
            out.push(priced_or(
                format!("Instances ({t})"),
                count * ctx.hours(),
                cat.aws_service("opensearch_instance_hour", region, &[&t]),
                region,
                || format!("OpenSearch {t}"),
            ));
        }
        _ => out.push(unknown(
            "Instances",
            "hour",
            "instance_type unknown until apply or unset",
        )),
    }
    if b(cluster, "dedicated_master_enabled").known() == Some(true) {
        let masters = n(cluster, "dedicated_master_count").known().unwrap_or(3.0);
        match s(cluster, "dedicated_master_type") {
            Got::Known(t) => {
                let t = search_type(t);
                out.push(priced_or(
                    format!("Dedicated masters ({t})"),
                    masters * ctx.hours(),
                    cat.aws_service("opensearch_instance_hour", region, &[&t]),
                    region,
                    || format!("OpenSearch {t}"),
                ));
            }
            _ => out.push(unknown(
                "Dedicated masters",
                "hour",
                "dedicated_master_type unknown until apply",
            )),
        }
    }
    if b(cluster, "warm_enabled").known() == Some(true) {
        out.push(unknown(
            "UltraWarm nodes",
            "hour",
            "no price in the catalog for UltraWarm nodes",
        ));
    }
    if let Got::Known(ebs) = block(c, "ebs_options") {
        if b(ebs, "ebs_enabled").known() == Some(true) {
            let volume_type = s(ebs, "volume_type").known().unwrap_or("gp2");
            match n(ebs, "volume_size") {
                Got::Known(gb) => out.push(
                    priced_or(
                        format!("Storage ({volume_type})"),
                        gb * count,
                        cat.aws_service("opensearch_ebs_storage", region, &[volume_type]),
                        region,
                        || format!("OpenSearch {volume_type} storage"),
                    )
                    .note("gp3 IOPS and throughput above the baseline are not priced"),
                ),
                _ => out.push(unknown("Storage", "GB-month", "volume_size unknown until apply")),
            }
        }
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_opensearch_domain", "aws_elasticsearch_domain"],
    priced_from: r#"`instance_count` x instance hours by `cluster_config.instance_type` (`*.elasticsearch` = `*.search`; t3, m5, r5, c5 large, m6g/r6g large); dedicated masters; EBS `volume_size` x instances (gp2, gp3)"#,
    assumptions: r#"`instance_count` unset: 1; `dedicated_master_count` unknown: 3; `volume_type` unset: gp2; UltraWarm, gp3 IOPS/throughput above the baseline and other instance types: unknown or not priced"#,
}];
