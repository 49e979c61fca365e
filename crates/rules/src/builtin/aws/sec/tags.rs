use planguard_plan::{shown, Disclosure, Shown};
use serde_json::Value;

use crate::builtin::aws_secret_scan::{describe_all, key_step, merge, redact, scan, scan_named, Found};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Looks for AWS access key ids (`AKIA...`, `ASIA...`), AWS secret access keys and private
    /// keys in the `tags` of common AWS resources (instances, launch templates, buckets,
    /// databases, functions, queues, topics, secrets, load balancers, clusters, ...). A
    /// 40-character base64 value of a tag whose key contains `secret` counts as a secret
    /// key. The finding names the tag and the kind of secret, never the secret.
    ///
    /// ## Why is this bad?
    /// Tags are the most widely readable data in an account: every `Describe*` and `List*`
    /// call returns them, the Resource Groups Tagging API lists them across services, and
    /// they flow into Cost Explorer, billing reports, CMDBs and third-party tools. They are
    /// never encrypted and never access-controlled as secrets. A credential in a tag is
    /// effectively published to everyone with read-only access.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "ci" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   tags = {
    ///     Name       = "ci"
    ///     DeployKey  = "AKIAIOSFODNN7EXAMPLE"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Revoke and rotate the exposed credential, and keep secrets in Secrets Manager or SSM
    /// Parameter Store. A tag may name the secret (its name or ARN), never hold it.
    /// ```hcl
    /// resource "aws_instance" "ci" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   tags = {
    ///     Name            = "ci"
    ///     DeployKeySecret = aws_secretsmanager_secret.deploy_key.name
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Best practices for tagging AWS resources: do not store sensitive data](https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/other-aws-tagging-best-practices.html)
    /// - [Tagging your AWS resources](https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html)
    pub struct SecretsTags {
        id: "AWS-SEC-004",
        title: "Resource tag contains AWS credentials or a private key",
        severity: Critical,
        category: Secrets,
        resource_types: TYPES,
        attributes: &["tags"],
    }
}

/// The resource types whose tags are scanned: the common taggable ones.
const TYPES: &[&str] = &[
    "aws_instance",
    "aws_launch_template",
    "aws_autoscaling_group",
    "aws_ebs_volume",
    "aws_ami",
    "aws_vpc",
    "aws_subnet",
    "aws_security_group",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_lb_target_group",
    "aws_s3_bucket",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_elasticache_replication_group",
    "aws_efs_file_system",
    "aws_lambda_function",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kms_key",
    "aws_secretsmanager_secret",
    "aws_ssm_parameter",
    "aws_cloudwatch_log_group",
    "aws_cloudfront_distribution",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_ecs_task_definition",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_ecr_repository",
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_policy",
    "aws_api_gateway_rest_api",
    "aws_apigatewayv2_api",
    "aws_cloudtrail",
];

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let tags = cx.subject().get("tags");
    let Some(Value::Object(map)) = tags.known() else {
        return;
    };
    // Keys of a sensitive map are part of its value.
    let keys = tags.disclosure();
    let mut hits: Vec<(String, Vec<Found>, Disclosure)> = Vec::new();
    for key in map.keys() {
        let cursor = tags.get(key);
        let Some(text) = cursor.as_str() else {
            continue;
        };
        // A credential pasted as the key itself counts too.
        let mut found = scan_named(key, text);
        merge(&mut found, scan(key));
        if cursor.is_sensitive() {
            found = redact(found);
        }
        if !found.is_empty() {
            hits.push((key.clone(), found, cursor.disclosure()));
        }
    }
    hits.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (key, found, disclosure) in hits {
        // Name the tag by its key unless the key is itself the secret.
        let (path, label) = if scan(&key).is_empty() {
            (
                shown!("tags{}", key_step(&key, keys)),
                shown!("tag {}", keys.show(&key)),
            )
        } else {
            (Shown::constant("tags"), Shown::constant("a tag key"))
        };
        out.push(Hit {
            status: Status::Fail,
            path,
            message: shown!("{} contains {}", label, describe_all(&found, disclosure)),
        });
    }
}
