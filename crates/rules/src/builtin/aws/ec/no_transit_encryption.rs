use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_bool, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_elasticache_replication_group` resources without encryption in transit
    /// (`transit_encryption_enabled` false or not written; the provider plans an unwritten
    /// value as known only after apply, and ElastiCache then leaves TLS off).
    ///
    /// ## Why is this bad?
    /// Without TLS, everything between the application and Redis or Valkey crosses the
    /// network in clear: cached sessions and tokens, personal data, and the `AUTH` password
    /// itself. Anyone able to capture traffic in the VPC (a compromised host, a
    /// misconfigured traffic mirror) reads and can tamper with it. `AUTH` tokens and RBAC
    /// user groups require transit encryption.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "app" {
    ///   replication_group_id = "app"
    ///   description          = "app cache"
    ///   engine               = "redis"
    ///   node_type            = "cache.t4g.small"
    ///   num_cache_clusters   = 2
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Set `transit_encryption_enabled = true` and connect with TLS from the clients (for a
    /// migration without downtime, `transit_encryption_mode = "preferred"` first, then
    /// `"required"`).
    /// ```hcl
    /// resource "aws_elasticache_replication_group" "app" {
    ///   replication_group_id       = "app"
    ///   description                = "app cache"
    ///   engine                     = "redis"
    ///   node_type                  = "cache.t4g.small"
    ///   num_cache_clusters         = 2
    ///   transit_encryption_enabled = true
    ///   at_rest_encryption_enabled = true
    /// }
    /// ```
    ///
    /// ## References
    /// - [ElastiCache in-transit encryption](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html)
    /// - [Security Hub ElastiCache controls](https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html)
    pub struct ElasticacheNoTransitEncryption {
        id: "AWS-EC-001",
        title: "ElastiCache replication group is not encrypted in transit",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_elasticache_replication_group"],
        benchmarks: &["AWS FSBP ElastiCache.5"],
        checkov: &["CKV_AWS_30"],
        trivy: &["AVD-AWS-0051"],
        attributes: &["transit_encryption_enabled"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let (status, message) = match setting(cx, "transit_encryption_enabled") {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "traffic to the cache is not encrypted (transit_encryption_enabled = {})",
                shown_at(cx, "transit_encryption_enabled")
            ),
        ),
        Setting::Unset => (
            Status::Fail,
            Shown::constant("transit_encryption_enabled is not set, and ElastiCache leaves TLS off by default"),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("transit_encryption_enabled is known only after apply; traffic may be unencrypted"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant("transit_encryption_enabled"),
        message,
    });
}
