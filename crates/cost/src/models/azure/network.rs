//! Public IPs, load balancers, NAT gateways, Application Gateways, Azure Firewall.

use super::*;

pub(super) fn public_ip(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let allocation = match s(c, "allocation_method") {
        Got::Known(a) => a.to_ascii_lowercase(),
        _ => return Outcome::unknown("allocation_method is known only after apply"),
    };
    let tier = s(c, "sku_tier").known().unwrap_or("Regional").to_ascii_lowercase();
    Outcome::new(vec![az_priced(
        ctx,
        format!("IP address ({allocation}, {tier})"),
        ctx.hours(),
        AzureTable::PublicIpHour,
        region,
        &[&allocation, &tier],
        || format!("a {allocation} {tier} public IP"),
    )])
}

pub(super) fn load_balancer(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    match s(c, "sku") {
        Got::Known("Standard") => {}
        Got::Known("Basic") | Got::Unset => return Outcome::free("the Basic SKU (the provider default) has no charge"),
        Got::Known(_) => return Outcome::unknown("no price in the catalog for this load balancer SKU"),
        Got::Unknown => return Outcome::unknown("sku is known only after apply"),
    }
    Outcome::new(vec![
        unknown(
            "Load balancing rules",
            "hour",
            "no Azure price in the catalog for Standard load balancer rules",
        ),
        az_usage(
            ctx,
            "Data processed",
            "monthly_data_processed_gb",
            AzureTable::LoadBalancerData,
            region,
        ),
    ])
}

pub(super) fn nat_gateway(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![
        az_priced(
            ctx,
            "NAT gateway",
            ctx.hours(),
            AzureTable::NatGatewayHour,
            region,
            &[],
            || "a NAT gateway".into(),
        ),
        az_usage(
            ctx,
            "Data processed",
            "monthly_data_processed_gb",
            AzureTable::NatGatewayData,
            region,
        ),
    ])
}

pub(super) fn application_gateway(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(sku) = block(c, "sku") else {
        return Outcome::unknown("sku is known only after apply");
    };
    let Got::Known(tier) = s(sku, "tier") else {
        return Outcome::unknown("sku.tier is known only after apply");
    };
    // The data names the v2 meters "basic v2"/"WAF v2" (gateway) and "basic"/"WAF" (capacity units).
    let (gateway, cu) = match tier {
        "Basic" => ("basic v2", "basic"),
        "WAF_v2" => ("WAF v2", "WAF"),
        _ => return Outcome::unknown("no price in the catalog for this Application Gateway tier"),
    };
    let (units, hint) = usage_qty(ctx, "capacity_units");
    let mut cu_comp = az_priced(
        ctx,
        "Capacity units",
        units * ctx.hours(),
        AzureTable::AppGatewayCapacityUnitHour,
        region,
        &[cu],
        || format!("{cu} capacity units"),
    );
    if let Some(h) = hint {
        cu_comp = cu_comp.note(h);
    }
    Outcome::new(vec![
        az_priced(
            ctx,
            format!("Gateway ({tier})"),
            ctx.hours(),
            AzureTable::AppGatewayHour,
            region,
            &[gateway],
            || format!("a {tier} gateway"),
        ),
        cu_comp,
    ])
}

pub(super) fn firewall(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(tier) = s(c, "sku_tier") else {
        return Outcome::unknown("sku_tier is known only after apply");
    };
    let hub = s(c, "sku_name").known() == Some("AZFW_Hub");
    // The data's Secured Virtual Hub meter names differ between tiers.
    let key = match (tier, hub) {
        ("Standard", false) => "Standard",
        ("Premium", false) => "Premium",
        ("Standard", true) => "Standard Secure Virtual Hub",
        ("Premium", true) => "Premium Secured Virtual Hub",
        _ => return Outcome::unknown("no price in the catalog for this Azure Firewall tier"),
    };
    Outcome::new(vec![
        az_priced(
            ctx,
            format!("Firewall ({key})"),
            ctx.hours(),
            AzureTable::FirewallHour,
            region,
            &[key],
            || format!("a {key} firewall"),
        ),
        az_usage(
            ctx,
            "Data processed",
            "monthly_data_processed_gb",
            AzureTable::FirewallData,
            region,
        ),
    ])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["azurerm_public_ip"],
        priced_from: r#"IP hours by `allocation_method` and `sku_tier`"#,
        assumptions: r#"`sku_tier` unset: Regional"#,
    },
    ModelDoc {
        types: &["azurerm_lb"],
        priced_from: r#"Standard: usage-based `monthly_data_processed_gb`; rules unknown (no price in the data)"#,
        assumptions: r#"`sku` unset or Basic: free; Gateway: unknown"#,
    },
    ModelDoc {
        types: &["azurerm_nat_gateway"],
        priced_from: r#"gateway hours + usage-based `monthly_data_processed_gb`"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["azurerm_application_gateway"],
        priced_from: r#"Basic and WAF_v2: gateway hours + usage-based `capacity_units` × hours"#,
        assumptions: r#"other tiers: unknown (not in the data)"#,
    },
    ModelDoc {
        types: &["azurerm_firewall"],
        priced_from: r#"deployment hours by `sku_tier` (VNet or Secured Virtual Hub) + usage-based `monthly_data_processed_gb`"#,
        assumptions: r#"Basic: unknown (not in the data)"#,
    },
];
