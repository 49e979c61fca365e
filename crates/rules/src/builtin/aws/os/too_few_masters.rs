use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_bool, as_number, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_opensearch_domain` and `aws_elasticsearch_domain` resources without at least
    /// three dedicated master nodes: no `cluster_config` (the domain then has no dedicated
    /// masters), `dedicated_master_enabled` not `true`, or a `dedicated_master_count` below 3.
    /// With dedicated masters on and no count, the service uses three, and the domain passes.
    ///
    /// ## Why is this bad?
    /// Master nodes keep the cluster state: which indices exist, where their shards live,
    /// who may read them. Without dedicated masters, data nodes also act as masters, and a
    /// heavy query or indexing load (or a flood of requests) can starve the master role and
    /// make the whole cluster unavailable. With fewer than three, the cluster can't keep a
    /// quorum when one master or its Availability Zone fails, and writes stop.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_opensearch_domain" "logs" {
    ///   domain_name    = "logs"
    ///   engine_version = "OpenSearch_2.13"
    ///   cluster_config {
    ///     instance_type  = "r6g.large.search"
    ///     instance_count = 3
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Run three dedicated master nodes (one per Availability Zone with zone awareness).
    /// ```hcl
    /// resource "aws_opensearch_domain" "logs" {
    ///   domain_name    = "logs"
    ///   engine_version = "OpenSearch_2.13"
    ///   cluster_config {
    ///     instance_type            = "r6g.large.search"
    ///     instance_count           = 3
    ///     dedicated_master_enabled = true
    ///     dedicated_master_type    = "m6g.large.search"
    ///     dedicated_master_count   = 3
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Dedicated master nodes in Amazon OpenSearch Service](https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-dedicatedmasternodes.html)
    /// - [Security Hub controls for OpenSearch Service (Opensearch.11)](https://docs.aws.amazon.com/securityhub/latest/userguide/opensearch-controls.html#opensearch-11)
    pub struct OpensearchTooFewMasters {
        id: "AWS-OS-020",
        title: "OpenSearch domain has fewer than three dedicated master nodes",
        severity: Low,
        category: General,
        resource_types: &["aws_opensearch_domain", "aws_elasticsearch_domain"],
        benchmarks: &["AWS FSBP Opensearch.11"],
        checkov: &["CKV_AWS_318", "CKV2_AWS_59"],
        attributes: &["cluster_config"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let enabled_path = "cluster_config[0].dedicated_master_enabled";
    let count_path = "cluster_config[0].dedicated_master_count";
    let (status, path, message) = match setting(cx, enabled_path) {
        Setting::Unset => (
            Status::Fail,
            enabled_path,
            Shown::constant("dedicated_master_enabled is not set, so the domain has no dedicated master nodes"),
        ),
        Setting::Known(v) if as_bool(v) != Some(true) => (
            Status::Fail,
            enabled_path,
            shown!(
                "the domain has no dedicated master nodes (dedicated_master_enabled = {})",
                shown_at(cx, enabled_path)
            ),
        ),
        Setting::Known(_) => match setting(cx, count_path) {
            // Unset: the service runs three dedicated masters.
            Setting::Unset => return,
            Setting::Known(v) if as_number(v).is_some_and(|n| n >= 3.0) => return,
            Setting::Known(_) => (
                Status::Fail,
                count_path,
                shown!(
                    "the domain runs fewer than three dedicated master nodes (dedicated_master_count = {})",
                    shown_at(cx, count_path)
                ),
            ),
            Setting::Unknown => (
                Status::Unknown,
                count_path,
                Shown::constant(
                    "dedicated_master_count is known only after apply; the domain may run fewer than three masters",
                ),
            ),
        },
        Setting::Unknown => (
            Status::Unknown,
            enabled_path,
            Shown::constant(
                "dedicated_master_enabled is known only after apply; the domain may have no dedicated masters",
            ),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}
