//! Managed instance groups (zonal and regional): `target_size` instances of their template.

use super::compute::{disk_component, last_segment, DEFAULT_DISK_TYPE};
use super::*;

pub(super) fn instance_group_manager(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let Got::Known(size) = n(c, "target_size") else {
        return Outcome::unknown("target_size is known only after apply (autoscaled)");
    };
    let Some(template) = ctx.refs.follow(
        ctx.plan,
        ctx.rc,
        &["version", "instance_template"],
        "google_compute_instance_template",
    ) else {
        return Outcome::unknown(
            "version.instance_template references no google_compute_instance_template in this plan",
        );
    };
    let t = if ctx.before {
        template.values.before()
    } else {
        template.values.after()
    };
    let Got::Known(machine) = s(t, "machine_type") else {
        return Outcome::unknown("the template's machine_type is known only after apply");
    };
    let machine = last_segment(machine);
    let mut out = vec![priced_or(
        format!("Instance usage ({machine}, on-demand)"),
        ctx.hours() * size,
        ctx.catalog.gcp_machine_hour(region, machine),
        region,
        || format!("machine type {machine}"),
    )
    .note(format!("{size} instance(s) of the template"))];
    for (i, disk) in blocks(t, "disk").unwrap_or_default().into_iter().enumerate() {
        let disk_type = s(disk, "disk_type").known().map_or(DEFAULT_DISK_TYPE, last_segment);
        let (gb, assumed) = match n(disk, "disk_size_gb") {
            Got::Known(v) => (v, None),
            _ => (
                compute::DEFAULT_BOOT_GB,
                Some(format!(
                    "disk_size_gb not set: {} GB assumed (public image size)",
                    compute::DEFAULT_BOOT_GB
                )),
            ),
        };
        out.push(
            disk_component(
                ctx,
                region,
                &format!("Disk {}", i + 1),
                disk_type,
                gb * size,
                false,
                assumed,
            )
            .note(format!("{size} × {gb} GB")),
        );
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &[
        "google_compute_instance_group_manager",
        "google_compute_region_instance_group_manager",
    ],
    priced_from: r#"`target_size` × machine hours of the referenced instance template; its disks"#,
    assumptions: r#"template disk size unset: 10 GB; `target_size` unknown: unknown"#,
}];
