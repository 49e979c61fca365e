//! Virtual machines, scale sets, managed disks, AKS clusters and node pools.

use super::*;

/// Managed disk size tiers (GiB): a disk is billed at the smallest tier that holds it.
const DISK_TIERS: &[(u32, f64)] = &[
    (1, 4.0),
    (2, 8.0),
    (3, 16.0),
    (4, 32.0),
    (6, 64.0),
    (10, 128.0),
    (15, 256.0),
    (20, 512.0),
    (30, 1024.0),
    (40, 2048.0),
    (50, 4096.0),
    (60, 8192.0),
    (70, 16384.0),
    (80, 32767.0),
];

/// OS disk size when the plan doesn't say: the marketplace images' sizes (Linux 30 GiB,
/// Windows Server 127 GiB).
const LINUX_IMAGE_GB: f64 = 30.0;
const WINDOWS_IMAGE_GB: f64 = 127.0;

/// A managed disk component: `Standard_LRS` -> S tiers, `StandardSSD_*` -> E, `Premium_*` -> P.
fn disk_component(ctx: &Ctx<'_>, region: &str, label: &str, account_type: &str, size_gb: f64) -> Component {
    let (letter, redundancy) = match account_type.split_once('_') {
        Some(("Standard", r)) => ("S", r),
        Some(("StandardSSD", r)) => ("E", r),
        Some(("Premium", r)) => ("P", r),
        _ => {
            return unknown(
                format!("{label} ({account_type})"),
                "disk-month",
                "no Azure price in the catalog for this disk type (Ultra and Premium v2 are not in the data)",
            )
        }
    };
    let Some(&(n, _)) = DISK_TIERS.iter().find(|(_, gb)| size_gb <= *gb) else {
        return unknown(
            format!("{label} ({account_type})"),
            "disk-month",
            "disk larger than the largest tier",
        );
    };
    // S tiers start at S4.
    let n = if letter == "S" { n.max(4) } else { n };
    let tier = format!("{letter}{n}");
    az_priced(
        ctx,
        format!("{label} ({tier} {redundancy}, {size_gb} GB)"),
        1.0,
        AzureTable::DiskTierMonth,
        region,
        &[&tier, redundancy],
        || format!("disk tier {tier} {redundancy}"),
    )
}

/// The OS disk of a VM or scale set (`os_disk` block).
fn os_disk(ctx: &Ctx<'_>, c: Cursor<'_>, region: &str, windows: bool, label: &str) -> Component {
    let d = match block(c, "os_disk") {
        Got::Known(d) => d,
        _ => return unknown(label, "disk-month", "os_disk is known only after apply"),
    };
    let Got::Known(account) = s(d, "storage_account_type") else {
        return unknown(
            label,
            "disk-month",
            "os_disk storage_account_type is known only after apply",
        );
    };
    match n(d, "disk_size_gb") {
        Got::Known(gb) => disk_component(ctx, region, label, account, gb),
        _ => {
            let gb = if windows { WINDOWS_IMAGE_GB } else { LINUX_IMAGE_GB };
            disk_component(ctx, region, label, account, gb).assumed(Some(format!(
                "disk_size_gb not set: {gb} GB assumed (the marketplace image size)"
            )))
        }
    }
}

fn vm_hours(ctx: &Ctx<'_>, region: &str, size: &str, windows: bool, count: f64) -> Component {
    let os = if windows { "windows" } else { "linux" };
    let label = if windows { "Windows" } else { "Linux" };
    az_priced(
        ctx,
        format!("Instance usage ({label}, pay-as-you-go, {size})"),
        ctx.hours() * count,
        AzureTable::VmHour,
        region,
        &[os, size],
        || format!("{label} VM size {size}"),
    )
}

fn virtual_machine(ctx: &Ctx<'_>, c: Cursor<'_>, windows: bool) -> Outcome {
    let region = region!(ctx);
    if s(c, "priority").known() == Some("Spot") {
        return Outcome::unknown("Spot VM: the catalog has pay-as-you-go prices only");
    }
    let Got::Known(size) = s(c, "size") else {
        return Outcome::unknown("size is known only after apply");
    };
    Outcome::new(vec![
        vm_hours(ctx, region, size, windows, 1.0),
        os_disk(ctx, c, region, windows, "OS disk"),
    ])
}

pub(super) fn linux_virtual_machine(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    virtual_machine(ctx, c, false)
}

pub(super) fn windows_virtual_machine(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    virtual_machine(ctx, c, true)
}

/// The legacy `azurerm_virtual_machine`: Windows when it has an `os_profile_windows_config`.
pub(super) fn legacy_virtual_machine(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(size) = s(c, "vm_size") else {
        return Outcome::unknown("vm_size is known only after apply");
    };
    let windows = match block(c, "os_profile_windows_config") {
        Got::Known(_) => true,
        Got::Unset => false,
        Got::Unknown => return Outcome::unknown("the OS (os_profile_windows_config) is known only after apply"),
    };
    let mut out = vec![vm_hours(ctx, region, size, windows, 1.0)];
    if let Got::Known(d) = block(c, "storage_os_disk") {
        if let (Got::Known(account), Got::Known(gb)) = (s(d, "managed_disk_type"), n(d, "disk_size_gb")) {
            out.push(disk_component(ctx, region, "OS disk", account, gb));
        } else {
            out.push(unknown(
                "OS disk",
                "disk-month",
                "managed_disk_type or disk_size_gb is not known",
            ));
        }
    }
    Outcome::new(out)
}

fn scale_set(ctx: &Ctx<'_>, c: Cursor<'_>, windows: bool) -> Outcome {
    let region = region!(ctx);
    if s(c, "priority").known() == Some("Spot") {
        return Outcome::unknown("Spot VMs: the catalog has pay-as-you-go prices only");
    }
    let Got::Known(size) = s(c, "sku") else {
        return Outcome::unknown("sku is known only after apply");
    };
    let Got::Known(count) = n(c, "instances") else {
        return Outcome::unknown("instances is known only after apply (autoscaled)");
    };
    let mut disk = os_disk(ctx, c, region, windows, "OS disks");
    if let (Some(q), Some(m)) = (disk.quantity.as_mut(), disk.monthly.as_mut()) {
        *q *= count;
        *m *= count;
    }
    Outcome::new(vec![
        vm_hours(ctx, region, size, windows, count).note(format!("{count} instance(s)")),
        disk.note(format!("{count} disk(s)")),
    ])
}

pub(super) fn linux_scale_set(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    scale_set(ctx, c, false)
}

pub(super) fn windows_scale_set(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    scale_set(ctx, c, true)
}

pub(super) fn managed_disk(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(account) = s(c, "storage_account_type") else {
        return Outcome::unknown("storage_account_type is known only after apply");
    };
    let Got::Known(gb) = n(c, "disk_size_gb") else {
        return Outcome::unknown("disk_size_gb is known only after apply (copied or imported disk)");
    };
    Outcome::new(vec![disk_component(ctx, region, "Managed disk", account, gb)])
}

/// Nodes of an AKS pool (`default_node_pool` block or a node pool resource): VM hours.
fn node_pool(ctx: &Ctx<'_>, pool: Cursor<'_>, region: &str, label: &str) -> Vec<Component> {
    let Got::Known(size) = s(pool, "vm_size") else {
        return vec![unknown(label, "hour", "vm_size is known only after apply")];
    };
    let windows = s(pool, "os_type").known() == Some("Windows");
    let (count, assumed) = match n(pool, "node_count") {
        Got::Known(v) => (v, None),
        _ => match n(pool, "min_count") {
            Got::Known(v) => (
                v,
                Some(format!("node_count unknown (autoscaled): min_count {v} assumed")),
            ),
            _ => return vec![unknown(label, "hour", "node_count is known only after apply")],
        },
    };
    let mut out = vec![vm_hours(ctx, region, size, windows, count)
        .note(format!("{label}: {count} node(s)"))
        .assumed(assumed)];
    if s(pool, "os_disk_type").known() != Some("Ephemeral") {
        out.push(unknown(
            format!("{label} OS disks"),
            "disk-month",
            "AKS picks the managed OS disk's SKU from the VM size: not priced",
        ));
    }
    out
}

pub(super) fn kubernetes_cluster(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = Vec::new();
    match s(c, "sku_tier") {
        Got::Known("Free") | Got::Unset => {}
        Got::Known("Standard") | Got::Known("Paid") => out.push(az_priced(
            ctx,
            "Uptime SLA (Standard tier)",
            ctx.hours(),
            AzureTable::AksUptimeSlaHour,
            region,
            &[],
            || "the AKS Standard tier".into(),
        )),
        Got::Known(_) => out.push(unknown(
            "Control plane",
            "hour",
            "no price in the catalog for this AKS tier",
        )),
        Got::Unknown => out.push(unknown("Control plane", "hour", "sku_tier is known only after apply")),
    }
    match block(c, "default_node_pool") {
        Got::Known(pool) => out.extend(node_pool(ctx, pool, region, "Default node pool")),
        _ => out.push(unknown(
            "Default node pool",
            "hour",
            "default_node_pool is known only after apply",
        )),
    }
    Outcome::new(out)
}

pub(super) fn kubernetes_node_pool(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = match region_via(ctx, "kubernetes_cluster_id", "azurerm_kubernetes_cluster") {
        Ok(r) => r,
        Err(o) => return o,
    };
    if s(c, "priority").known() == Some("Spot") {
        return Outcome::unknown("Spot node pool: the catalog has pay-as-you-go prices only");
    }
    Outcome::new(node_pool(ctx, c, &region, "Node pool"))
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &[
            "azurerm_linux_virtual_machine",
            "azurerm_windows_virtual_machine",
            "azurerm_virtual_machine",
        ],
        priced_from: r#"VM hours by `size` (Linux or Windows meter); OS disk at its size tier (S/E/P)"#,
        assumptions: r#"`os_disk.disk_size_gb` unset: **30 GB** Linux, **127 GB** Windows (image size); Spot: unknown"#,
    },
    ModelDoc {
        types: &[
            "azurerm_linux_virtual_machine_scale_set",
            "azurerm_windows_virtual_machine_scale_set",
        ],
        priced_from: r#"`instances` × VM hours by `sku`; OS disks"#,
        assumptions: r#"as VMs; `instances` unknown: unknown"#,
    },
    ModelDoc {
        types: &["azurerm_managed_disk"],
        priced_from: r#"disk-month at the smallest tier holding `disk_size_gb` (Standard_* S, StandardSSD_* E, Premium_* P)"#,
        assumptions: r#"Ultra/Premium v2: unknown (not in the data)"#,
    },
    ModelDoc {
        types: &["azurerm_kubernetes_cluster", "azurerm_kubernetes_cluster_node_pool"],
        priced_from: r#"Standard tier uptime SLA hours (Free: 0); node pools as VMs (`node_count` × hours); region of a node pool from its cluster"#,
        assumptions: r#"`node_count` unknown: `min_count`; managed OS disks: unknown (SKU chosen by AKS)"#,
    },
];
