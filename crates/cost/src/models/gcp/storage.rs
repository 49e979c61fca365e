//! Cloud Storage buckets.

use super::*;

pub(super) fn storage_bucket(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let Got::Known(location) = s(c, "location") else {
        return Outcome::unknown("location is known only after apply");
    };
    let class = s(c, "storage_class").known().unwrap_or("STANDARD");
    let price = ctx.catalog.gcp_bucket(location, class);
    let mut out = Vec::new();
    match price {
        Some(p) => {
            let (gb, hint) = crate::models::usage_qty(ctx, "storage_gb");
            let mut comp = priced(format!("Storage ({class})"), gb, &p, &location.to_ascii_lowercase());
            if let Some(h) = hint {
                comp = comp.note(h);
            }
            out.push(comp);
        }
        None => out.push(unknown(
            format!("Storage ({class})"),
            "GB-month",
            format!("no price in the catalog for {class} storage in {location}"),
        )),
    }
    operations(ctx, &mut out, &location.to_ascii_lowercase(), class);
    Outcome::usage(out)
}

/// A bucket location that is a region (`us-east1`), not a dual- or multi-region (`nam4`, `us`).
fn is_region(location: &str) -> bool {
    location.contains('-')
}

/// Class A and B operations, when the usage file gives them. The catalog has the rates of
/// Standard storage in a region only; other classes and locations are unknown.
fn operations(ctx: &Ctx<'_>, out: &mut Vec<crate::report::Component>, location: &str, class: &str) {
    let standard = ["STANDARD", "REGIONAL"].iter().any(|c| class.eq_ignore_ascii_case(c));
    let standard_regional = standard && is_region(location);
    for (class_key, name, key) in [
        ("A", "Class A operations", "monthly_class_a_operations"),
        ("B", "Class B operations", "monthly_class_b_operations"),
    ] {
        if ctx.usage_num(key).is_none() {
            continue;
        }
        if standard_regional {
            usage_component(
                out,
                ctx,
                name,
                key,
                1e-3,
                ctx.catalog.gcp_service("storage_operations", location, &[class_key]),
                location,
            );
        } else if ctx.usage_num(key).is_some_and(|q| q > 0.0) {
            out.push(unknown(
                name,
                "1K operations",
                format!(
                    "no operations price in the catalog for {class} storage in {location} (only Standard in a region)"
                ),
            ));
        }
    }
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_storage_bucket"],
    priced_from: r#"usage-based `storage_gb` at the class price of the bucket's location; `monthly_class_a_operations`, `monthly_class_b_operations` (per 1,000) for Standard storage in a region"#,
    assumptions: r#"operations of other classes or of dual-/multi-region buckets: unknown (no price in the catalog)"#,
}];
