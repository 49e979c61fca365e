use crate::builtin::managed_policy;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags attachments of the AWS managed policies `PowerUserAccess` and `IAMFullAccess` (any
    /// partition), through the same resources as AWS-IAM-002 (`*_policy_attachment`,
    /// `*_policy_attachments_exclusive`, `aws_iam_role.managed_policy_arns`).
    ///
    /// ## Why is this bad?
    /// `PowerUserAccess` is every action of every service except most of IAM and Organizations:
    /// the holder can read and delete all data (every secret in Secrets Manager and Parameter
    /// Store included), run any compute and change any network. `IAMFullAccess` can grant itself anything (attach `AdministratorAccess`,
    /// create access keys for other users, edit trust policies), so it is administrator access with
    /// one extra API call. Both are far beyond what a workload or pipeline needs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_user_policy_attachment" "ci" {
    ///   user       = aws_iam_user.ci.name
    ///   policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Attach a policy limited to the services, actions and resources the principal uses. For
    /// people, prefer job-function policies (`ViewOnlyAccess`, `job-function/DatabaseAdministrator`)
    /// through IAM Identity Center permission sets.
    /// ```hcl
    /// resource "aws_iam_user_policy_attachment" "ci" {
    ///   user       = aws_iam_user.ci.name
    ///   policy_arn = aws_iam_policy.ci_deploy.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS managed policy: PowerUserAccess](https://docs.aws.amazon.com/aws-managed-policy/latest/reference/PowerUserAccess.html)
    /// - [AWS managed policy: IAMFullAccess](https://docs.aws.amazon.com/aws-managed-policy/latest/reference/IAMFullAccess.html)
    /// - [AWS managed policies for job functions](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    pub struct IamBroadManagedPolicy {
        id: "AWS-IAM-003",
        title: "PowerUserAccess or IAMFullAccess managed policy is attached to a role, user or group",
        severity: Medium,
        category: Iam,
        resource_types: &["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role", "aws_iam_role_policy_attachments_exclusive", "aws_iam_user_policy_attachments_exclusive", "aws_iam_group_policy_attachments_exclusive"],
        checkov: &["CKV2_AWS_56"],
        attributes: crate::builtin::managed_policy::ATTRIBUTES,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    managed_policy::check(cx, out, &["PowerUserAccess", "IAMFullAccess"]);
}
