use planguard_plan::Shown;

use crate::builtin::aws_setting::{as_bool, setting, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_dynamodb_table` resources encrypted with the AWS-owned key: no
    /// `server_side_encryption` block, or one with `enabled = false`. The provider plans an
    /// unwritten block as known only after apply; the table then gets the AWS-owned key,
    /// so this rule reads the configuration to report it as a failure rather than unknown.
    ///
    /// ## Why is this bad?
    /// DynamoDB always encrypts tables, by default with a key owned and managed by AWS in a
    /// service account. That key doesn't appear in your account: there is no key policy to
    /// restrict who can decrypt, no CloudTrail record of its use, and no way to make the
    /// data unreadable by disabling the key. For tables holding sensitive or regulated data,
    /// a KMS key in your account (AWS-managed `aws/dynamodb` or, better, customer-managed)
    /// adds that control and audit trail. It is defence in depth, hence the low severity.
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
    /// Add a `server_side_encryption` block with `enabled = true` and a customer-managed key
    /// (`kms_key_arn`); without `kms_key_arn` the AWS-managed `aws/dynamodb` key is used.
    /// ```hcl
    /// resource "aws_dynamodb_table" "orders" {
    ///   name         = "orders"
    ///   billing_mode = "PAY_PER_REQUEST"
    ///   hash_key     = "pk"
    ///   attribute {
    ///     name = "pk"
    ///     type = "S"
    ///   }
    ///   server_side_encryption {
    ///     enabled     = true
    ///     kms_key_arn = aws_kms_key.dynamodb.arn
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [DynamoDB encryption at rest](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html)
    /// - [AWS KMS keys: AWS owned keys](https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-owned-cmk)
    pub struct DynamodbAwsOwnedKey {
        id: "AWS-DDB-001",
        title: "DynamoDB table is encrypted with the AWS-owned key",
        severity: Low,
        category: Encryption,
        resource_types: &["aws_dynamodb_table"],
        checkov: &["CKV_AWS_119"],
        trivy: &["AVD-AWS-0025"],
        attributes: &["server_side_encryption"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "server_side_encryption[0].enabled";
    let (status, message) = match setting(cx, path) {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            "server-side encryption uses the AWS-owned key (server_side_encryption.enabled = false)",
        ),
        Setting::Unset => (
            Status::Fail,
            "no server_side_encryption block: the table is encrypted with the AWS-owned key",
        ),
        Setting::Unknown => (
            Status::Unknown,
            "server_side_encryption is known only after apply; the table may use the AWS-owned key",
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message: Shown::constant(message),
    });
}
