use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_bool, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_rds_cluster` resources (Aurora, Multi-AZ DB clusters) whose storage is not
    /// encrypted: `storage_encrypted` false, or not written for a cluster created from
    /// scratch. The provider plans an unwritten `storage_encrypted` as known only after
    /// apply; RDS then creates a provisioned cluster unencrypted. Clusters restored from a
    /// snapshot, replicating another cluster or joining a global cluster inherit their
    /// source's encryption, which the plan doesn't show: those are reported as unknown.
    ///
    /// ## Why is this bad?
    /// Unencrypted cluster storage leaves the data, its automated backups and snapshots
    /// readable by anyone who obtains a copy: a shared or leaked snapshot, a mis-scoped IAM
    /// permission. Encryption can't be turned on for an existing cluster: the data has to be
    /// migrated through a snapshot restore into a new, encrypted cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_rds_cluster" "aurora" {
    ///   cluster_identifier = "aurora"
    ///   engine             = "aurora-postgresql"
    ///   master_username    = "dbadmin"
    ///   manage_master_user_password = true
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Set `storage_encrypted = true`, ideally with a customer-managed `kms_key_id`.
    /// ```hcl
    /// resource "aws_rds_cluster" "aurora" {
    ///   cluster_identifier          = "aurora"
    ///   engine                      = "aurora-postgresql"
    ///   master_username             = "dbadmin"
    ///   manage_master_user_password = true
    ///   storage_encrypted           = true
    ///   kms_key_id                  = aws_kms_key.rds.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [Encrypting Amazon Aurora resources](https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html)
    /// - [Terraform aws_rds_cluster storage_encrypted](https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#storage_encrypted)
    pub struct RdsClusterUnencrypted {
        id: "AWS-RDS-008",
        title: "RDS cluster storage is not encrypted",
        severity: High,
        category: Encryption,
        resource_types: &["aws_rds_cluster"],
        checkov: &["CKV_AWS_96"],
        trivy: &["AVD-AWS-0079"],
        attributes: ATTRIBUTES,
    }
}

/// What the check reads: `storage_encrypted` and [`INHERITS`].
const ATTRIBUTES: &[&str] = &[
    "storage_encrypted",
    "snapshot_identifier",
    "replication_source_identifier",
    "global_cluster_identifier",
    "restore_to_point_in_time",
    "s3_import",
];

/// Arguments that make a cluster inherit its encryption from somewhere else.
const INHERITS: &[&str] = &[
    "snapshot_identifier",
    "replication_source_identifier",
    "global_cluster_identifier",
    "restore_to_point_in_time",
    "s3_import",
];

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let (status, message) = match setting(cx, "storage_encrypted") {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "cluster storage is not encrypted (storage_encrypted = {})",
                shown_at(cx, "storage_encrypted")
            ),
        ),
        Setting::Unset => {
            let inherited = INHERITS.iter().find(|a| match setting(cx, a) {
                Setting::Known(v) => !matches!(v, serde_json::Value::Array(items) if items.is_empty()),
                Setting::Unknown => true,
                Setting::Unset => false,
            });
            match inherited {
                Some(a) => (
                    Status::Unknown,
                    shown!(
                    "storage_encrypted is not set; the cluster inherits encryption from its source ({}), known only after apply",
                    Shown::constant(a)
                ),
                ),
                None => (
                    Status::Fail,
                    Shown::constant("storage_encrypted is not set, and RDS creates the cluster unencrypted by default"),
                ),
            }
        }
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("storage_encrypted is known only after apply; the cluster may be unencrypted"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant("storage_encrypted"),
        message,
    });
}
