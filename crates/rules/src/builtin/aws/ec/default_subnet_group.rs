use planguard_plan::{shown, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_elasticache_cluster` and `aws_elasticache_replication_group` resources that
    /// use the `default` cache subnet group: `subnet_group_name = "default"`, or not set (AWS
    /// then picks the default subnet group of the default VPC). A cluster that joins a
    /// replication group (`replication_group_id`) takes the group's subnet group and is not
    /// judged.
    ///
    /// ## Why is this bad?
    /// The default subnet group holds the default VPC's subnets, which are public subnets
    /// with routes to an internet gateway, shared by everything else launched without a
    /// network decision. A cache placed there sits beside unrelated workloads instead of in
    /// the private subnets its application uses, and its reachability is decided by whatever
    /// security groups and routes the default VPC has accumulated.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_elasticache_cluster" "sessions" {
    ///   cluster_id      = "sessions"
    ///   engine          = "memcached"
    ///   node_type       = "cache.t4g.small"
    ///   num_cache_nodes = 1
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Create a subnet group of the application's private subnets.
    /// ```hcl
    /// resource "aws_elasticache_subnet_group" "cache" {
    ///   name       = "cache"
    ///   subnet_ids = aws_subnet.private[*].id
    /// }
    ///
    /// resource "aws_elasticache_cluster" "sessions" {
    ///   cluster_id        = "sessions"
    ///   engine            = "memcached"
    ///   node_type         = "cache.t4g.small"
    ///   num_cache_nodes   = 1
    ///   subnet_group_name = aws_elasticache_subnet_group.cache.name
    /// }
    /// ```
    ///
    /// ## References
    /// - [Subnets and subnet groups in ElastiCache](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/SubnetGroups.html)
    /// - [Security Hub controls for ElastiCache (ElastiCache.7)](https://docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html#elasticache-7)
    pub struct ElasticacheDefaultSubnetGroup {
        id: "AWS-EC-021",
        title: "ElastiCache cluster uses the default subnet group",
        severity: Low,
        category: NetworkExposure,
        resource_types: &["aws_elasticache_cluster", "aws_elasticache_replication_group"],
        benchmarks: &["AWS FSBP ElastiCache.7"],
        checkov: &["CKV_AWS_323"],
        attributes: &["replication_group_id", "subnet_group_name"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    if cx.change.resource_type == "aws_elasticache_cluster" {
        // A member of a replication group: the group's subnet group applies.
        match setting(cx, "replication_group_id") {
            Setting::Known(Value::String(s)) if !s.is_empty() => return,
            Setting::Unknown => return,
            _ => {}
        }
    }
    let path = "subnet_group_name";
    let (status, message) = match setting(cx, path) {
        Setting::Known(Value::String(name)) if name != "default" => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "the cache runs in the default subnet group (subnet_group_name = {})",
                shown_at(cx, path)
            ),
        ),
        Setting::Unset => (
            Status::Fail,
            Shown::constant("subnet_group_name is not set, so the cache runs in the default subnet group"),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant(
                "subnet_group_name is known only after apply; the cache may run in the default subnet group",
            ),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}
