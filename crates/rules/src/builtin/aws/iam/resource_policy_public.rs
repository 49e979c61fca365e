use planguard_plan::{shown, Shown};

use crate::builtin::rust_rule;
use planguard_plan::Lookup;
use serde_json::Value;

use crate::builtin::iam_policies;
use crate::builtin::policy_doc::tri;
use crate::cond::Tri;
use crate::rule::Status;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags resource policies with an `Allow` statement for `Principal: "*"` or
    /// `{"AWS": "*"}` and no condition that narrows the caller (`aws:PrincipalOrgID`,
    /// `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceIp`, `aws:SourceVpce`, `kms:CallerAccount`,
    /// ...): SQS queues (`aws_sqs_queue_policy`, `aws_sqs_queue.policy`), SNS topics
    /// (`aws_sns_topic_policy`, `aws_sns_topic.policy`), KMS keys (`aws_kms_key.policy`), ECR
    /// repositories, OpenSearch / Elasticsearch domains, and `aws_lambda_permission` with
    /// `principal = "*"` and no `source_arn`, `source_account` or `principal_org_id`. S3 bucket
    /// policies are AWS-S3-001's, except the inline `aws_s3_bucket.policy`, judged here: its
    /// unwritten value is planned as unknown, which only a configuration-aware rule can tell
    /// from a computed one.
    ///
    /// ## Why is this bad?
    /// A resource policy is evaluated for callers from any AWS account: with a wildcard principal
    /// and no condition, anyone with an AWS account can read or purge the queue, publish to or
    /// subscribe to the topic, use the key to decrypt data they obtained or to encrypt
    /// (ransom) data, pull or push container images, query the search domain, or invoke the
    /// function, depending on the actions granted. This is how many public data exposures
    /// happen, and AWS Config / Security Hub flag these resources as public.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "jobs" {
    ///   queue_url = aws_sqs_queue.jobs.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.jobs.arn
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Name the principals, or keep the wildcard for a service integration and pin the source
    /// with `aws:SourceArn` / `aws:SourceAccount`.
    /// ```hcl
    /// resource "aws_sqs_queue_policy" "jobs" {
    ///   queue_url = aws_sqs_queue.jobs.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Service = "sns.amazonaws.com" }
    ///       Action    = "sqs:SendMessage"
    ///       Resource  = aws_sqs_queue.jobs.arn
    ///       Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.events.arn } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: Principal (anonymous users)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [Amazon SQS: basic examples of access policies](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html)
    /// - [Lambda: granting function access to other accounts and services](https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html)
    pub struct IamResourcePolicyPublic {
        id: "AWS-IAM-008",
        title: "Resource policy allows access to everyone",
        severity: High,
        category: Iam,
        resource_types: &["aws_sqs_queue_policy", "aws_sqs_queue", "aws_sns_topic_policy", "aws_sns_topic", "aws_kms_key", "aws_ecr_repository_policy", "aws_opensearch_domain_policy", "aws_elasticsearch_domain_policy", "aws_lambda_permission", "aws_s3_bucket"],
        benchmarks: &["AWS FSBP KMS.5", "AWS FSBP Lambda.1"],
        checkov: &["CKV_AWS_168", "CKV_AWS_169", "CKV_AWS_33", "CKV_AWS_32", "CKV_AWS_301", "CKV_AWS_387"],
        trivy: &["AVD-AWS-0032"],
        attributes: &["access_policies", "action", "function_url_auth_type", "policy", "principal", "principal_org_id", "source_account", "source_arn"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    if cx.change.resource_type == "aws_lambda_permission" {
        let after = cx.subject();
        let principal = after.get("principal");
        let everyone = match principal.lookup() {
            Lookup::Known(Value::String(p)) => tri(p == "*"),
            Lookup::Unknown => Tri::Unknown,
            _ => Tri::False,
        };
        let mut narrowed = Tri::False;
        for key in ["source_arn", "source_account", "principal_org_id"] {
            let c = after.get(key);
            narrowed = narrowed.or(if c.is_unknown() {
                Tri::Unknown
            } else {
                tri(c.as_str().is_some_and(|s| !s.is_empty()))
            });
        }
        match everyone.and(narrowed.negate()) {
            Tri::True => {
                let action = match after.get("action").as_str() {
                    Some(_) => after.get("action").shown(),
                    None => Shown::constant("lambda:InvokeFunction"),
                };
                let url = Shown::constant(if after.get("function_url_auth_type").as_str() == Some("NONE") {
                    " (a public function URL)"
                } else {
                    ""
                });
                out.push(Hit {
                    status: Status::Fail,
                    path: Shown::constant("principal"),
                    message: shown!(
                        "lets everyone (principal \"*\") call {}{} without source_arn, source_account or principal_org_id",
                        action,
                        url
                    ),
                });
            }
            Tri::Unknown => out.push(Hit {
                status: Status::Unknown,
                path: Shown::constant("principal"),
                message: Shown::constant("the permission's principal or source is known only after apply; it may let everyone invoke the function"),
            }),
            Tri::False => {}
        }
        return;
    }
    let attribute = match cx.change.resource_type.as_str() {
        "aws_opensearch_domain_policy" | "aws_elasticsearch_domain_policy" => "access_policies",
        _ => "policy",
    };
    iam_policies::check_everyone(cx, out, &[attribute], "access");
}
