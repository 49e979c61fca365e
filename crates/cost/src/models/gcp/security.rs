//! Cloud KMS keys and Secret Manager secrets and versions.

use super::*;

/// A region for the region-independent tables of `gcp.services` (priced for `*`): the
/// resource's own if known; Secret Manager and KMS also exist in `global`.
fn any_region<'a>(ctx: &'a Ctx<'_>) -> &'a str {
    ctx.region().unwrap_or("global")
}

/// HSM keys of these algorithms cost the higher HSM rate (RSA 3072/4096, elliptic curves).
fn large_hsm_algorithm(algorithm: &str) -> bool {
    algorithm.contains("3072") || algorithm.contains("4096") || algorithm.starts_with("EC_")
}

pub(super) fn kms_crypto_key(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = any_region(ctx);
    let template = block(c, "version_template").known();
    let read = |key: &str| template.map_or(Got::Unset, |t| s(t, key));
    let mut assumed = Vec::new();
    let protection = match read("protection_level") {
        Got::Known(p) => p.to_owned(),
        Got::Unset => "SOFTWARE".to_owned(),
        Got::Unknown => {
            assumed.push("protection_level unknown until apply: SOFTWARE assumed (the default)".to_owned());
            "SOFTWARE".to_owned()
        }
    };
    let algorithm = read("algorithm").known().unwrap_or("GOOGLE_SYMMETRIC_ENCRYPTION");
    let large = protection == "HSM" && large_hsm_algorithm(algorithm);
    let tier = if large { "HSM_LARGE" } else { protection.as_str() };
    let skip_initial = crate::models::b(c, "skip_initial_version_creation").known() == Some(true);
    let (versions, versions_assumed) = match ctx.usage_num("key_versions") {
        Some(v) => (v, None),
        None if skip_initial => (
            0.0,
            Some("skip_initial_version_creation: no version until one is imported or created (set key_versions)".to_owned()),
        ),
        None => (
            1.0,
            Some("key_versions not given: 1 active version assumed (each rotation adds a version, billed until destroyed)".to_owned()),
        ),
    };
    assumed.extend(versions_assumed);
    let cat = ctx.catalog;
    let mut out = vec![priced_or(
        format!("Key versions ({protection})"),
        versions,
        cat.gcp_service("kms_key_version_month", region, &[tier]),
        region,
        || format!("{protection} key versions"),
    )
    .assumed((!assumed.is_empty()).then(|| assumed.join("; ")))];
    usage_component(
        &mut out,
        ctx,
        "Key operations",
        "monthly_key_operations",
        1e-4,
        cat.gcp_service(
            "kms_operations",
            region,
            &[if large { "hsm_large" } else { "standard" }],
        ),
        region,
    );
    Outcome::new(out)
}

/// A rotation period like `"2592000s"` in seconds.
fn seconds(v: &str) -> Option<f64> {
    v.strip_suffix('s')?.parse::<f64>().ok().filter(|s| *s > 0.0)
}

pub(super) fn secret_manager_secret(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = any_region(ctx);
    let cat = ctx.catalog;
    let mut out = Vec::new();
    usage_component(
        &mut out,
        ctx,
        "Access operations",
        "monthly_access_operations",
        1e-4,
        cat.gcp_service("secret_manager_access", region, &[]),
        region,
    );
    let rotation = block(c, "rotation").known().map(|r| s(r, "rotation_period"));
    match rotation {
        Some(Got::Known(period)) => match seconds(period) {
            Some(secs) => {
                let rotations = ctx.hours() * 3600.0 / secs;
                out.push(
                    priced_or(
                        "Rotation notifications",
                        rotations,
                        cat.gcp_service("secret_manager_rotation", region, &[]),
                        region,
                        || "rotation notifications".into(),
                    )
                    .note(format!("one every {secs} s")),
                );
                return Outcome::new(out);
            }
            None => out.push(unknown(
                "Rotation notifications",
                "rotation",
                "rotation_period is not a duration in seconds",
            )),
        },
        Some(Got::Unknown) => out.push(unknown(
            "Rotation notifications",
            "rotation",
            "rotation_period is known only after apply",
        )),
        _ => {}
    }
    Outcome::usage(out)
}

/// A version is billed in every location its secret replicates to (automatic replication
/// counts as one).
pub(super) fn secret_manager_secret_version(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = any_region(ctx);
    let secret = ctx
        .refs
        .follow(ctx.plan, ctx.rc, &["secret"], "google_secret_manager_secret");
    let (locations, assumed) = match secret {
        Some(found) => {
            let side = if ctx.before {
                found.values.before()
            } else {
                found.values.after()
            };
            let replicas = block(side, "replication")
                .known()
                .and_then(|r| block(r, "user_managed").known())
                .map(|u| blocks(u, "replicas"));
            match replicas {
                Some(Some(list)) if !list.is_empty() => (list.len() as f64, None),
                Some(_) => (
                    1.0,
                    Some("the secret's replicas are known only after apply: 1 location assumed".to_owned()),
                ),
                None => (1.0, None),
            }
        }
        None => (
            1.0,
            Some("secret references no google_secret_manager_secret in this plan: 1 location assumed".to_owned()),
        ),
    };
    Outcome::new(vec![priced_or(
        "Active secret version",
        locations,
        ctx.catalog.gcp_service("secret_manager_version_month", region, &[]),
        region,
        || "secret versions".into(),
    )
    .note(format!("{locations} location(s)"))
    .assumed(assumed)])
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["google_kms_crypto_key"],
        priced_from: r#"active key versions (`key_versions`, by `version_template.protection_level`; HSM RSA 3072/4096 and EC keys at the higher HSM rate) + usage-based `monthly_key_operations` (per 10K)"#,
        assumptions: r#"`key_versions` not given: **1** (0 with `skip_initial_version_creation`); protection level unset: SOFTWARE"#,
    },
    ModelDoc {
        types: &["google_secret_manager_secret"],
        priced_from: r#"rotation notifications from `rotation.rotation_period` (730 h / period) + usage-based `monthly_access_operations` (per 10K); versions are priced on `google_secret_manager_secret_version`"#,
        assumptions: r#""#,
    },
    ModelDoc {
        types: &["google_secret_manager_secret_version"],
        priced_from: r#"one active version per replica location of the referenced secret (automatic replication: 1)"#,
        assumptions: r#"secret not in the plan or replicas unknown: **1 location**"#,
    },
];
