//! Artifact Registry repositories and Container Registry (usage-based storage).

use super::*;

pub(super) fn artifact_registry_repository(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    if s(c, "mode").known() == Some("VIRTUAL_REPOSITORY") {
        return Outcome::free("a virtual repository stores no artifacts: its upstream repositories bill");
    }
    let region = ctx.region().unwrap_or("global");
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Artifact storage",
        "storage_gb",
        1.0,
        ctx.catalog.gcp_service("artifact_registry_storage", region, &[]),
        region,
    );
    Outcome::usage(out)
}

/// Container Registry keeps images in a Cloud Storage bucket of its multi-region (`US`
/// unless `location` says `EU` or `ASIA`), billed as Standard storage.
pub(super) fn container_registry(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let location = match s(c, "location") {
        Got::Known(l) => l.to_ascii_lowercase(),
        Got::Unset => "us".to_owned(),
        Got::Unknown => return Outcome::unknown("location is known only after apply"),
    };
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Image storage (Standard)",
        "storage_gb",
        1.0,
        ctx.catalog.gcp_bucket(&location, "STANDARD"),
        &location,
    );
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["google_artifact_registry_repository"],
        priced_from: r#"usage-based `storage_gb` (per GB-month); virtual repositories free"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["google_container_registry"],
        priced_from: r#"usage-based `storage_gb` at the Standard bucket price of its multi-region (gcp.json)"#,
        assumptions: r#"`location` unset: US"#,
    },
];
