//! Transfer Family servers.

use super::*;

pub(super) fn transfer_server(ctx: &Ctx<'_>, c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let cat = ctx.catalog;
    // Each enabled protocol endpoint is billed per hour; SFTP alone is the default.
    let (protocols, assumed) = match blocks(c, "protocols") {
        Some(list) if !list.is_empty() => (list.len() as f64, None),
        Some(_) => (1.0, None),
        None => (
            1.0,
            Some("protocols unknown until apply: 1 protocol (SFTP) assumed".to_owned()),
        ),
    };
    let mut out = vec![priced_or(
        "Protocol endpoints",
        protocols * ctx.hours(),
        cat.aws_service("transfer_protocol_hour", region, &[]),
        region,
        || "Transfer Family protocol".into(),
    )
    .assumed(assumed)];
    for (name, key) in [
        ("Data uploaded", "monthly_data_uploaded_gb"),
        ("Data downloaded", "monthly_data_downloaded_gb"),
    ] {
        let price = cat.aws_service("transfer_data", region, &[]);
        usage_component(&mut out, ctx, name, key, 1.0, price, region);
    }
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[ModelDoc {
    types: &["aws_transfer_server"],
    priced_from: r#"protocol hours (one per entry of `protocols`) + data uploaded / downloaded (`monthly_data_uploaded_gb`, `monthly_data_downloaded_gb`)"#,
    assumptions: r#"`protocols` unset: SFTP (the default); unknown: 1 protocol"#,
}];
