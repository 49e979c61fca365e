//! Azure cost models, one module per service family (`azure/<family>.rs`); this module
//! registers them, lists the free `azurerm_*` types and holds what the families share.
//!
//! Prices come only from the catalog's `azure` section (compiled from azure.json: the SKUs
//! and regions of Infracost's golden tests). There is no fallback region: a region or SKU
//! the data lacks is an `unknown` component naming it.

use std::collections::HashMap;

use planguard_plan::Cursor;

use super::{block, n, priced, s, unknown, usage_qty, ComponentExt, Ctx, Got, Model, ModelDoc, Outcome};
use crate::catalog::AzureTable;
use crate::report::Component;

pub(crate) fn register(m: &mut HashMap<&'static str, Model>) {
    m.insert("azurerm_linux_virtual_machine", linux_virtual_machine);
    m.insert("azurerm_windows_virtual_machine", windows_virtual_machine);
    m.insert("azurerm_virtual_machine", legacy_virtual_machine);
    m.insert("azurerm_linux_virtual_machine_scale_set", linux_scale_set);
    m.insert("azurerm_windows_virtual_machine_scale_set", windows_scale_set);
    m.insert("azurerm_managed_disk", managed_disk);
    m.insert("azurerm_kubernetes_cluster", kubernetes_cluster);
    m.insert("azurerm_kubernetes_cluster_node_pool", kubernetes_node_pool);
    m.insert("azurerm_public_ip", public_ip);
    m.insert("azurerm_lb", load_balancer);
    m.insert("azurerm_nat_gateway", nat_gateway);
    m.insert("azurerm_application_gateway", application_gateway);
    m.insert("azurerm_firewall", firewall);
    m.insert("azurerm_storage_account", storage_account);
    m.insert("azurerm_mssql_database", mssql_database);
    m.insert("azurerm_postgresql_flexible_server", postgresql_flexible_server);
    m.insert("azurerm_mysql_flexible_server", mysql_flexible_server);
    m.insert("azurerm_service_plan", service_plan);
    m.insert("azurerm_redis_cache", redis_cache);
}

/// `azurerm_*` types that cost nothing by themselves: their cost, if any, is on another
/// resource (a subnet's traffic on the VMs, a container's data on its storage account).
pub(crate) const FREE_TYPES: &[&str] = &[
    "azurerm_resource_group",
    "azurerm_virtual_network",
    "azurerm_subnet",
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
    "azurerm_subnet_network_security_group_association",
    "azurerm_network_interface",
    "azurerm_network_interface_security_group_association",
    "azurerm_network_interface_backend_address_pool_association",
    "azurerm_network_interface_application_security_group_association",
    "azurerm_application_security_group",
    "azurerm_route_table",
    "azurerm_route",
    "azurerm_subnet_route_table_association",
    "azurerm_subnet_nat_gateway_association",
    "azurerm_nat_gateway_public_ip_association",
    "azurerm_nat_gateway_public_ip_prefix_association",
    "azurerm_virtual_network_peering",
    "azurerm_lb_backend_address_pool",
    "azurerm_lb_backend_address_pool_address",
    "azurerm_lb_probe",
    "azurerm_lb_rule",
    "azurerm_lb_nat_rule",
    "azurerm_lb_nat_pool",
    "azurerm_lb_outbound_rule",
    "azurerm_user_assigned_identity",
    "azurerm_federated_identity_credential",
    "azurerm_management_lock",
    "azurerm_storage_container",
    "azurerm_storage_blob",
    "azurerm_storage_account_network_rules",
    "azurerm_storage_management_policy",
    "azurerm_key_vault_access_policy",
    "azurerm_mssql_server",
    "azurerm_mssql_firewall_rule",
    "azurerm_mssql_virtual_network_rule",
    "azurerm_mssql_server_transparent_data_encryption",
    "azurerm_postgresql_flexible_server_database",
    "azurerm_postgresql_flexible_server_configuration",
    "azurerm_postgresql_flexible_server_firewall_rule",
    "azurerm_mysql_flexible_database",
    "azurerm_mysql_flexible_server_configuration",
    "azurerm_mysql_flexible_server_firewall_rule",
    "azurerm_redis_firewall_rule",
    "azurerm_private_dns_zone_virtual_network_link",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_monitor_action_group",
    "azurerm_virtual_machine_extension",
    "azurerm_virtual_machine_data_disk_attachment",
    "azurerm_availability_set",
    "azurerm_proximity_placement_group",
    "azurerm_ssh_public_key",
    "azurerm_kubernetes_cluster_extension",
    "azurerm_storage_queue",
    "azurerm_storage_table",
    "azurerm_network_watcher",
    "azurerm_dns_a_record",
    "azurerm_dns_aaaa_record",
    "azurerm_dns_cname_record",
    "azurerm_dns_txt_record",
    "azurerm_dns_mx_record",
    "azurerm_private_dns_a_record",
    "azurerm_private_dns_cname_record",
    "azurerm_key_vault_secret",
    "azurerm_app_service_virtual_network_swift_connection",
];

/// `azurerm_*`/`azuread_*` prefixes that cost nothing by themselves (RBAC, policy, Entra ID
/// objects).
pub(crate) const FREE_PREFIXES: &[&str] = &["azurerm_role_", "azurerm_policy_", "azuread_"];

/// Why an unmodelled `azurerm_*` type is unsupported.
pub(crate) const UNSUPPORTED: &str =
    "no cost model for this Azure type (the catalog's Azure prices cover VMs, disks, AKS, networking, databases, App Service plans and Redis)";

macro_rules! region {
    ($ctx:expr) => {
        match $ctx.region() {
            Ok(r) => r,
            Err(o) => return o,
        }
    };
}

// One module per service family.
mod compute;
mod data;
mod network;

use self::{compute::*, data::*, network::*};

/// The documentation of every Azure model, family by family.
pub(crate) fn docs() -> Vec<&'static ModelDoc> {
    [compute::DOCS, network::DOCS, data::DOCS]
        .into_iter()
        .flatten()
        .collect()
}

/// A resource's Azure region: the context's (from `location`) or, for a resource without a
/// `location` (a node pool, a database), the `location` of the resource it references
/// (`attr` -> `target_type`).
fn region_via(ctx: &Ctx<'_>, attr: &str, target_type: &str) -> Result<String, Outcome> {
    if let Ok(r) = ctx.region() {
        return Ok(r.to_owned());
    }
    let Some(target) = ctx.refs.follow(ctx.plan, ctx.rc, &[attr], target_type) else {
        return Err(Outcome::unknown(format!(
            "region unknown: no `location`, and `{attr}` references no {target_type} in this plan"
        )));
    };
    let side = if ctx.before {
        target.values.before()
    } else {
        target.values.after()
    };
    match s(side, "location") {
        Got::Known(l) => Ok(normalize_location(l)),
        _ => Err(Outcome::unknown(format!(
            "region unknown: the referenced {target_type}'s location is known only after apply"
        ))),
    }
}

/// `"East US"` -> `eastus` (Azure's region names are the display names without spaces, lower
/// case).
pub(crate) fn normalize_location(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A component priced from an Azure table, or unknown naming what is missing.
fn az_priced(
    ctx: &Ctx<'_>,
    name: impl Into<String>,
    quantity: f64,
    table: AzureTable,
    region: &str,
    key: &[&str],
    what: impl FnOnce() -> String,
) -> Component {
    let name = name.into();
    match ctx.catalog.azure(table, region, key) {
        Some(p) => priced(name, quantity, &p, region),
        None => unknown(
            name,
            "",
            format!("no Azure price in the catalog for {} in {region}", what()),
        ),
    }
}

/// A usage-based Azure component: quantity from the usage file (0 with a hint when absent).
fn az_usage(ctx: &Ctx<'_>, name: &str, key: &str, table: AzureTable, region: &str) -> Component {
    let (q, hint) = usage_qty(ctx, key);
    let c = az_priced(ctx, name, q, table, region, &[], || name.to_lowercase());
    match hint {
        Some(h) if c.monthly.is_some() => c.note(h),
        _ => c,
    }
}
