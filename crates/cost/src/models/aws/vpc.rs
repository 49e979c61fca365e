//! VPC priced parts: NAT gateways, public IPv4 addresses, interface endpoints.

use super::*;

pub(super) fn nat_gateway(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Some(p) = ctx.catalog.nat_gateway(region) else {
        return Outcome::unknown(format!("no NAT gateway price in the catalog for {region}"));
    };
    let mut out = vec![priced("NAT gateway", ctx.hours(), &p.hour, region)];
    usage_component(
        &mut out,
        ctx,
        "Data processed",
        "monthly_data_processed_gb",
        1.0,
        p.data_processed,
        region,
    );
    Outcome::new(out)
}

pub(super) fn eip(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    if let Got::Known(_) = s(c, "customer_owned_ipv4_pool") {
        return Outcome::free("customer-owned IP pool (Outposts)");
    }
    let attached = [s(c, "instance"), s(c, "network_interface"), s(c, "association_id")]
        .iter()
        .any(|g| matches!(g, Got::Known(_)));
    let state = if attached { "attached" } else { "idle or attached" };
    Outcome::new(vec![priced_or(
        format!("Public IPv4 address ({state})"),
        ctx.hours(),
        ctx.catalog.public_ipv4_hour(region),
        region,
        || "public IPv4".into(),
    )
    .note("every public IPv4 address costs the same since 2024-02-01, idle or attached")])
}

pub(super) fn vpc_endpoint(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    match s(c, "vpc_endpoint_type") {
        Got::Known("Gateway") | Got::Unset => return Outcome::free("gateway endpoints (S3, DynamoDB) are free"),
        _ => {}
    }
    let region = region!(ctx);
    let Some((hour, data)) = ctx.catalog.vpc_interface_endpoint(region) else {
        return Outcome::unknown(format!("no VPC endpoint price in the catalog for {region}"));
    };
    // One endpoint network interface per subnet (AZ).
    let (azs, assumed) = match blocks(c, "subnet_ids") {
        Some(list) if !list.is_empty() => (list.len() as f64, None),
        _ => (1.0, Some("subnet_ids unknown until apply: 1 AZ assumed".to_owned())),
    };
    let mut out = vec![priced("Interface endpoint (per AZ)", ctx.hours() * azs, &hour, region).assumed(assumed)];
    usage_component(
        &mut out,
        ctx,
        "Data processed",
        "monthly_data_processed_gb",
        1.0,
        data,
        region,
    );
    Outcome::new(out)
}

pub(super) fn vpn_connection(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Site-to-Site VPN connection",
        ctx.hours(),
        ctx.catalog.vpn_connection_hour(region),
        region,
        || "VPN connection".into(),
    )])
}

pub(super) fn transit_gateway_attachment(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Some((hour, data)) = ctx.catalog.transit_gateway(region) else {
        return Outcome::unknown(format!("no transit gateway price in the catalog for {region}"));
    };
    let mut out = vec![priced("Transit gateway attachment", ctx.hours(), &hour, region)];
    usage_component(
        &mut out,
        ctx,
        "Data processed",
        "monthly_data_processed_gb",
        1.0,
        data,
        region,
    );
    Outcome::new(out)
}

pub(super) fn flow_log(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let destination = match s(c, "log_destination_type") {
        Got::Known(d) => d,
        Got::Unset => "cloud-watch-logs",
        Got::Unknown => return Outcome::unknown("log_destination_type unknown until apply"),
    };
    let region = region!(ctx);
    let Some(price) = ctx
        .catalog
        .aws_service("vpc_flow_logs_ingested", region, &[destination])
    else {
        return Outcome::unknown(format!(
            "no flow log delivery price in the catalog for destination {destination}"
        ));
    };
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        &format!("Logs delivered ({destination}, vended logs)"),
        "monthly_data_ingested_gb",
        1.0,
        Some(price),
        region,
    );
    let stored_on = if destination == "s3" {
        "the bucket"
    } else {
        "the log group"
    };
    Outcome::usage(
        out.into_iter()
            .map(|c| c.note(format!("storage is priced on {stored_on}")))
            .collect(),
    )
}

pub(super) fn client_vpn_endpoint(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Connection hours",
        "monthly_connection_hours",
        1.0,
        ctx.catalog.aws_service("client_vpn", region, &["connection"]),
        region,
    );
    Outcome::usage(out)
}

pub(super) fn client_vpn_network_association(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Endpoint association",
        ctx.hours(),
        ctx.catalog.aws_service("client_vpn", region, &["association"]),
        region,
        || "Client VPN association".into(),
    )])
}

pub(super) fn transit_gateway_peering_attachment(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Some((hour, _)) = ctx.catalog.transit_gateway(region) else {
        return Outcome::unknown(format!("no transit gateway price in the catalog for {region}"));
    };
    Outcome::new(vec![priced(
        "Transit gateway peering attachment",
        ctx.hours(),
        &hour,
        region,
    )
    .note("data sent over a peering attachment is not charged for processing")])
}

pub(super) fn traffic_mirror_session(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Mirror session",
        ctx.hours(),
        ctx.catalog.aws_service("traffic_mirror_session_hour", region, &[]),
        region,
        || "Traffic Mirroring session".into(),
    )])
}

pub(super) fn dx_gateway_association(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    // Only an association with a transit gateway is an attachment billed by the hour; a
    // virtual private gateway association is free.
    match s(c, "associated_gateway_id") {
        Got::Known(id) if id.starts_with("tgw-") => {}
        Got::Known(_) => return Outcome::free("associations with a virtual private gateway are free"),
        _ => return Outcome::unknown("associated_gateway_id unknown until apply"),
    }
    transit_gateway_attachment(ctx, c)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_nat_gateway"],
        priced_from: r#"hours + data processed (`monthly_data_processed_gb`)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_eip"],
        priced_from: r#"public IPv4 hours ($0.005/h, idle or attached, since 2024-02-01)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_vpc_endpoint"],
        priced_from: r#"Interface: hours per subnet + data processed; Gateway: free"#,
        assumptions: r#"subnets unknown: 1 AZ"#,
    },
    ModelDoc {
        types: &["aws_vpn_connection"],
        priced_from: r#"connection hours (Site-to-Site VPN, per connection)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_flow_log"],
        priced_from: r#"usage-based: logs delivered (`monthly_data_ingested_gb`) at the vended-logs rate of `log_destination_type` (CloudWatch Logs $0.50/GB, S3 $0.25/GB, first 10 TB); storage is priced on the log group or bucket"#,
        assumptions: r#"`log_destination_type` unset: cloud-watch-logs (the default); Firehose: unknown (no price)"#,
    },
    ModelDoc {
        types: &["aws_dx_gateway_association"],
        priced_from: r#"with a transit gateway (`associated_gateway_id` tgw-...): attachment hours + data processed (`monthly_data_processed_gb`); with a virtual private gateway: free"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_ec2_traffic_mirror_session"],
        priced_from: r#"session hours (one session on one ENI)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_ec2_client_vpn_endpoint"],
        priced_from: r#"usage-based: connection hours (`monthly_connection_hours`)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_ec2_client_vpn_network_association"],
        priced_from: r#"association hours (one subnet association)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_ec2_transit_gateway_peering_attachment"],
        priced_from: r#"attachment hours (no data processing charge on peering)"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["aws_ec2_transit_gateway_vpc_attachment"],
        priced_from: r#"attachment hours + data processed (`monthly_data_processed_gb`)"#,
        assumptions: r#""#,
    },
];
