use planguard_plan::Shown;

use crate::builtin::aws_setting::{as_bool, setting, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_dynamodb_table` resources without point-in-time recovery: no
    /// `point_in_time_recovery` block, or one with `enabled = false`. The provider plans an
    /// unwritten block as known only after apply; DynamoDB then leaves point-in-time recovery
    /// off, so this rule reads the configuration to report it as a failure rather than
    /// unknown.
    ///
    /// ## Why is this bad?
    /// Without point-in-time recovery, a table can't be restored to its state before a bad
    /// write: an application bug overwriting items, a mistaken batch delete, or an attacker
    /// wiping data with stolen credentials. On-demand backups only help if someone took one
    /// recently. Point-in-time recovery keeps continuous backups for up to 35 days, restorable
    /// to any second.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name         = "orders"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "pk"
    ///   attribute {
    ///     name = "pk"
    ///     type = "S"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Turn point-in-time recovery on (and `deletion_protection_enabled` for tables that
    /// matter). Tables holding only data that can be rebuilt can be waived.
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name         = "orders"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "pk"
    ///   attribute {
    ///     name = "pk"
    ///     type = "S"
    ///   }
    ///   point_in_time_recovery {
    ///     enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Point-in-time recovery for DynamoDB](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html)
    /// - [Security Hub DynamoDB.2: DynamoDB tables should have point-in-time recovery enabled](https://docs.aws.amazon.com/securityhub/latest/userguide/dynamodb-controls.html#dynamodb-2)
    pub struct DynamodbNoPitr {
        id: "AWS-DDB-002",
        title: "DynamoDB table has point-in-time recovery off",
        severity: Medium,
        category: DataProtection,
        resource_types: &["aws_dynamodb_table"],
        benchmarks: &["AWS FSBP DynamoDB.2"],
        checkov: &["CKV_AWS_28"],
        trivy: &["AVD-AWS-0024"],
        attributes: &["point_in_time_recovery"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "point_in_time_recovery[0].enabled";
    let (status, message) = match setting(cx, path) {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            "point-in-time recovery is off (point_in_time_recovery.enabled = false)",
        ),
        Setting::Unset => (
            Status::Fail,
            "no point_in_time_recovery block: point-in-time recovery is off",
        ),
        Setting::Unknown => (
            Status::Unknown,
            "point_in_time_recovery is known only after apply; point-in-time recovery may be off",
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message: Shown::constant(message),
    });
}
