//! ACM certificates and ACM Private CA certificate authorities.

use super::*;

pub(super) fn acm_certificate(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    // A certificate authority ARN (known, or unknown until apply because it references a
    // CA being created) makes the certificate private; public certificates are free.
    if let Got::Unset = s(c, "certificate_authority_arn") {
        return Outcome::free("public ACM certificates are free");
    }
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Private certificate",
        1.0,
        ctx.catalog.aws_service("acm_private_certificate", region, &[]),
        region,
        || "ACM private certificate".into(),
    )
    .note("charged once per issuance and renewal, shown as the month's cost; general-purpose CA price (first 1,000 per month)")])
}

pub(super) fn acmpca_certificate_authority(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let (mode, assumed) = match s(c, "usage_mode") {
        Got::Known(m) => (m, None),
        Got::Unset => ("GENERAL_PURPOSE", None),
        Got::Unknown => (
            "GENERAL_PURPOSE",
            Some("usage_mode unknown until apply: GENERAL_PURPOSE assumed (the default)".to_owned()),
        ),
    };
    let cat = ctx.catalog;
    let mut out = vec![priced_or(
        "Private certificate authority",
        1.0,
        cat.aws_service("acmpca_authority_month", region, &[mode]),
        region,
        || format!("ACM Private CA ({mode})"),
    )
    .assumed(assumed)];
    let (issued, hint) = usage_qty(ctx, "monthly_requests");
    if mode != "GENERAL_PURPOSE" {
        if issued > 0.0 {
            out.push(unknown(
                "Certificates issued",
                "certificate",
                "no price in the catalog for short-lived certificates",
            ));
        }
        return Outcome::new(out);
    }
    // Marginal monthly tiers of general-purpose certificates: 1-1,000, 1,001-10,000, above.
    let tiers = [
        ("Certificates issued (first 1,000)", "first_1000", 0.0, 1000.0),
        ("Certificates issued (1,001 to 10,000)", "next_9000", 1000.0, 10000.0),
        (
            "Certificates issued (above 10,000)",
            "over_10000",
            10000.0,
            f64::INFINITY,
        ),
    ];
    for (i, (name, tier, from, to)) in tiers.into_iter().enumerate() {
        let q = (issued.min(to) - from).max(0.0);
        if i > 0 && q == 0.0 {
            continue;
        }
        let mut comp = priced_or(
            name,
            q,
            cat.aws_service("acmpca_certificates", region, &[tier]),
            region,
            || "ACM Private CA certificates".into(),
        );
        if let Some(h) = &hint {
            comp = comp.note(h.clone());
        }
        out.push(comp);
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &["aws_acm_certificate"],
        priced_from: r#"private certificates (`certificate_authority_arn` set or unknown until apply): one issuance at the general-purpose CA's first-tier price; public certificates: free"#,
        assumptions: r#"the one-time issuance fee is shown as the month's cost"#,
    },
    ModelDoc {
        types: &["aws_acmpca_certificate_authority"],
        priced_from: r#"CA-month by `usage_mode` (general purpose $400, short-lived certificates $50); certificates issued (`monthly_requests`) in the monthly tiers 1-1,000 / 1,001-10,000 / above"#,
        assumptions: r#"`usage_mode` unknown: GENERAL_PURPOSE (the default); short-lived mode certificates: unknown (no price)"#,
    },
];
