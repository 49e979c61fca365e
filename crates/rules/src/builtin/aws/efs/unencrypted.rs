use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_bool, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_efs_file_system` resources that are not encrypted at rest: `encrypted`
    /// false, or not written at all. The AWS provider plans an unwritten `encrypted` as
    /// known only after apply, but the EFS API then creates the file system unencrypted, so
    /// this rule reads the configuration to tell the two apart (a YAML rule could only say
    /// "unknown").
    ///
    /// ## Why is this bad?
    /// An unencrypted file system stores its files, and every backup of it, in clear. EFS
    /// file systems are typically shared by many instances and containers and hold
    /// application data, uploads and home directories. Encryption can't be turned on for an
    /// existing file system: the data has to be copied to a new one.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Set `encrypted = true`, ideally with a customer-managed KMS key (`kms_key_id`), and
    /// require TLS for clients (mount with the `tls` option of amazon-efs-utils).
    /// ```hcl
    /// resource "aws_efs_file_system" "shared" {
    ///   creation_token = "shared"
    ///   encrypted      = true
    ///   kms_key_id     = aws_kms_key.efs.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [Encrypting data at rest in Amazon EFS](https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html)
    /// - [Security Hub EFS.1: EFS should be configured to encrypt file data at rest](https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html#efs-1)
    pub struct EfsUnencrypted {
        id: "AWS-EFS-001",
        title: "EFS file system is not encrypted at rest",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_efs_file_system"],
        benchmarks: &["CIS AWS 2.4.1", "AWS FSBP EFS.1"],
        checkov: &["CKV_AWS_42"],
        trivy: &["AVD-AWS-0037"],
        attributes: &["encrypted"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let (status, message) = match setting(cx, "encrypted") {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "the file system is not encrypted at rest (encrypted = {})",
                shown_at(cx, "encrypted")
            ),
        ),
        Setting::Unset => (
            Status::Fail,
            Shown::constant("encrypted is not set, and EFS creates file systems unencrypted by default"),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("encrypted is known only after apply; the file system may be unencrypted"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant("encrypted"),
        message,
    });
}
