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
    Outcome::usage(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["google_storage_bucket"],
    priced_from: r#"usage-based `storage_gb` at the class price of the bucket's location"#,
    assumptions: r#""#,
}];
