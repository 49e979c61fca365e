use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_bool, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_elasticache_replication_group` resources without encryption at rest
    /// (`at_rest_encryption_enabled` false, or not written for an engine other than Valkey:
    /// the provider plans an unwritten value as known only after apply, and ElastiCache then
    /// encrypts only Valkey by default).
    ///
    /// ## Why is this bad?
    /// Without encryption at rest, data that Redis writes to disk (swap during
    /// synchronisation, backups, snapshots exported to S3) is stored in clear. Caches often
    /// hold sessions, tokens and copies of database rows. Encryption at rest can only be
    /// chosen when the replication group is created.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "app" {
    ///   replication_group_id       = "app"
    ///   description                = "app cache"
    ///   engine                     = "redis"
    ///   node_type                  = "cache.t4g.small"
    ///   at_rest_encryption_enabled = false
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Set `at_rest_encryption_enabled = true`, optionally with a customer-managed
    /// `kms_key_id`.
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "app" {
    ///   replication_group_id       = "app"
    ///   description                = "app cache"
    ///   engine                     = "redis"
    ///   node_type                  = "cache.t4g.small"
    ///   at_rest_encryption_enabled = true
    ///   kms_key_id                 = aws_kms_key.cache.arn
    ///   transit_encryption_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [ElastiCache at-rest encryption](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html)
    /// - [Security Hub ElastiCache controls](https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html)
    pub struct ElasticacheNoAtRestEncryption {
        id: "AWS-EC-002",
        title: "ElastiCache replication group is not encrypted at rest",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_elasticache_replication_group"],
        benchmarks: &["AWS FSBP ElastiCache.4"],
        checkov: &["CKV_AWS_29"],
        trivy: &["AVD-AWS-0045"],
        attributes: &["at_rest_encryption_enabled", "engine"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let (status, message) = match setting(cx, "at_rest_encryption_enabled") {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "the cache is not encrypted at rest (at_rest_encryption_enabled = {})",
                shown_at(cx, "at_rest_encryption_enabled")
            ),
        ),
        Setting::Unset => match setting(cx, "engine") {
            Setting::Known(e) if e.as_str() == Some("valkey") => return,
            Setting::Unknown => (
                Status::Unknown,
                Shown::constant("at_rest_encryption_enabled is not set and the engine is known only after apply"),
            ),
            _ => (
                Status::Fail,
                Shown::constant(
                    "at_rest_encryption_enabled is not set, and ElastiCache doesn't encrypt Redis at rest by default",
                ),
            ),
        },
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant(
                "at_rest_encryption_enabled is known only after apply; the cache may be unencrypted at rest",
            ),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant("at_rest_encryption_enabled"),
        message,
    });
}
