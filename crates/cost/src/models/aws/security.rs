//! KMS keys and Secrets Manager secrets.

use super::*;

pub(super) fn kms_key(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    Outcome::new(vec![priced_or(
        "Customer managed key",
        1.0,
        ctx.catalog.kms(region, KmsPrice::KeyMonth),
        region,
        || "KMS key".into(),
    )
    .note("API requests are not priced")])
}

pub(super) fn secretsmanager_secret(ctx: &Ctx<'_>, _c: Cursor<'_>) -> Outcome {
    let region = region!(ctx);
    let mut out = vec![priced_or(
        "Secret",
        1.0,
        ctx.catalog.secrets_manager(region, SecretsManagerPrice::SecretMonth),
        region,
        || "Secrets Manager secret".into(),
    )];
    usage_component(
        &mut out,
        ctx,
        "API requests",
        "monthly_requests",
        1e-4,
        ctx.catalog.secrets_manager(region, SecretsManagerPrice::ApiRequests),
        region,
    );
    Outcome::new(out)
}

/// The models of this family, for `crates/cost/README.md` (rendered by `models::priced_types_markdown`).
pub(super) const DOCS: &[ModelDoc] = &[
    ModelDoc {
        types: &[
            "aws_kms_key",
            "aws_kms_external_key",
            "aws_kms_replica_key",
            "aws_kms_replica_external_key",
        ],
        priced_from: r#"1 key-month"#,
        assumptions: r#"requests not priced"#,
    },
    ModelDoc {
        types: &["aws_secretsmanager_secret"],
        priced_from: r#"1 secret-month + API requests (`monthly_requests`)"#,
        assumptions: r#""#,
    },
];
