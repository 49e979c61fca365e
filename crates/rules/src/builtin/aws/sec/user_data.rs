use planguard_plan::{shown, Shown};

use crate::builtin::aws_secret_scan::{config_string, decode_base64, describe_all, merge, redact, scan, Found};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Looks for AWS access key ids (`AKIA...`, `ASIA...`), AWS secret access keys (40
    /// characters assigned to a `secret` name) and private keys (`-----BEGIN ... PRIVATE
    /// KEY-----`) in the user data of `aws_instance`, `aws_spot_instance_request`,
    /// `aws_launch_template` and `aws_launch_configuration`: `user_data` and
    /// `user_data_base64`, base64-decoded where the argument is base64. The AWS provider
    /// plans `aws_instance.user_data` as a SHA-1 hash, so the clear text is read from the
    /// configuration when it is written as a literal. The finding names the kind of secret
    /// and, for access key ids, a masked form; never the secret.
    ///
    /// ## Why is this bad?
    /// User data is not a secret store. Anyone allowed `ec2:DescribeInstanceAttribute` or
    /// `ec2:DescribeLaunchTemplateVersions` reads it, and so does every process on the
    /// instance through the metadata service, including a server-side request forgery in a
    /// web application. It is also kept in Terraform state, plan files and CI logs. A
    /// long-lived access key found there gives its holder the key's permissions from
    /// anywhere, until someone notices and rotates it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_instance" "worker" {
    ///   ami           = "ami-0123456789abcdef0"
    ///   instance_type = "t3.micro"
    ///   user_data     = <<-EOT
    ///     #!/bin/bash
    ///     export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
    ///     export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
    ///   EOT
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Revoke and rotate the exposed key first. Give the instance an IAM role through an
    /// instance profile (the SDKs and CLI pick its temporary credentials up on their own),
    /// and fetch other secrets at boot from Secrets Manager or SSM Parameter Store.
    /// ```hcl
    /// resource "aws_instance" "worker" {
    ///   ami                  = "ami-0123456789abcdef0"
    ///   instance_type        = "t3.micro"
    ///   iam_instance_profile = aws_iam_instance_profile.worker.name
    ///   user_data            = <<-EOT
    ///     #!/bin/bash
    ///     DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text)
    ///   EOT
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM roles for Amazon EC2](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html)
    /// - [Instance user data (security considerations)](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html)
    /// - [What to do if you exposed AWS credentials](https://repost.aws/knowledge-center/potential-account-compromise)
    pub struct SecretsUserData {
        id: "AWS-SEC-001",
        title: "EC2 user data contains AWS credentials or a private key",
        severity: Critical,
        category: Secrets,
        resource_types: &["aws_instance", "aws_spot_instance_request", "aws_launch_template", "aws_launch_configuration"],
        checkov: &["CKV_AWS_46"],
        trivy: &["AVD-AWS-0029", "AVD-AWS-0129", "AVD-AWS-0122"],
        attributes: &["user_data", "user_data_base64"],
    }
}

/// The secrets in a user data text, also base64-decoded when `base64` (or when the whole
/// text happens to be base64).
fn scan_user_data(text: &str, base64: bool) -> Vec<Found> {
    let mut found = if base64 { Vec::new() } else { scan(text) };
    if let Some(decoded) = decode_base64(text) {
        merge(&mut found, scan(&decoded));
    }
    found
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    // A launch template's user_data is base64 already.
    let plain_is_base64 = cx.change.resource_type == "aws_launch_template";
    for (attr, base64) in [("user_data", plain_is_base64), ("user_data_base64", true)] {
        let cursor = cx.subject().get(attr);
        let mut found = Vec::new();
        if let Some(text) = cursor.as_str() {
            let mut here = scan_user_data(text, base64);
            if cursor.is_sensitive() {
                here = redact(here);
            }
            merge(&mut found, here);
        }
        // The configuration's literal: the clear text behind a planned hash.
        if let Some(text) = config_string(cx, attr) {
            merge(&mut found, scan_user_data(text, base64));
        }
        if !found.is_empty() {
            out.push(Hit {
                status: Status::Fail,
                path: Shown::constant(attr),
                message: shown!(
                    "{} contains {}",
                    Shown::constant(attr),
                    describe_all(&found, cursor.disclosure())
                ),
            });
        }
    }
}
