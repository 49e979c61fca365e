use planguard_plan::Shown;

use crate::builtin::aws_setting::{as_bool, setting, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_sqs_queue` resources with server-side encryption turned off:
    /// `sqs_managed_sse_enabled = false` and no `kms_master_key_id`. Since 2022 SQS encrypts
    /// new queues with SQS-managed keys (SSE-SQS) by default; the AWS provider plans an
    /// unwritten `sqs_managed_sse_enabled` as known only after apply, so this rule reads the
    /// configuration and treats "not written" as the encrypted default rather than as
    /// unknown.
    ///
    /// ## Why is this bad?
    /// Messages wait in the queue, stored by SQS, until a consumer deletes them (up to 14
    /// days). Queues carry orders, events and job payloads that often include personal data
    /// or credentials for downstream calls. Turning SSE off explicitly stores them
    /// unencrypted, and fails most compliance baselines.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue" "jobs" {
    ///   name                    = "jobs"
    ///   sqs_managed_sse_enabled = false
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Keep SSE-SQS on (remove the argument or set it to `true`), or use a customer-managed
    /// KMS key when access to the messages must also be governed by a key policy.
    /// ```hcl
    /// resource "aws_sqs_queue" "jobs" {
    ///   name                              = "jobs"
    ///   kms_master_key_id                 = aws_kms_key.sqs.id
    ///   kms_data_key_reuse_period_seconds = 300
    /// }
    /// ```
    ///
    /// ## References
    /// - [Encryption at rest in Amazon SQS](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html)
    /// - [Security Hub SQS.1: Amazon SQS queues should be encrypted at rest](https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html#sqs-1)
    pub struct SqsUnencrypted {
        id: "AWS-SQS-001",
        title: "SQS queue is not encrypted at rest",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_sqs_queue"],
        benchmarks: &["AWS FSBP SQS.1"],
        checkov: &["CKV_AWS_27"],
        trivy: &["AVD-AWS-0096"],
        attributes: &["kms_master_key_id", "sqs_managed_sse_enabled"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    // A KMS key, even one known only after apply, encrypts the queue.
    match setting(cx, "kms_master_key_id") {
        Setting::Known(v) if v.as_str().is_some_and(|s| !s.is_empty()) => return,
        Setting::Unknown => return,
        _ => {}
    }
    let (status, message) = match setting(cx, "sqs_managed_sse_enabled") {
        Setting::Known(v) if as_bool(v) == Some(false) => (
            Status::Fail,
            "server-side encryption is turned off (sqs_managed_sse_enabled = false, no kms_master_key_id)",
        ),
        Setting::Unknown => (
            Status::Unknown,
            "sqs_managed_sse_enabled is known only after apply and there is no kms_master_key_id; the queue may be unencrypted",
        ),
        // Written true, or not written: SSE-SQS, the default for new queues.
        _ => return,
    };
    out.push(Hit {
        status,
        path: Shown::constant("sqs_managed_sse_enabled"),
        message: Shown::constant(message),
    });
}
