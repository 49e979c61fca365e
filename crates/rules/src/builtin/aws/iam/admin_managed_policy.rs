use crate::builtin::managed_policy;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags attachments of the AWS managed policy `arn:aws:iam::aws:policy/AdministratorAccess`
    /// (any partition): `aws_iam_role_policy_attachment`, `aws_iam_user_policy_attachment`,
    /// `aws_iam_group_policy_attachment`, `aws_iam_policy_attachment`, the
    /// `*_policy_attachments_exclusive` resources and `aws_iam_role.managed_policy_arns`.
    /// Inline and customer managed policies that allow `"*"` on `"*"` are AWS-IAM-001's.
    ///
    /// ## Why is this bad?
    /// `AdministratorAccess` allows every action on every resource: whoever holds the role, user or
    /// group can read every secret and every bucket, delete anything, disable CloudTrail and
    /// GuardDuty, and create new users or keys to persist. Attached to a CI/CD role (an OIDC role
    /// assumed from GitHub or Azure DevOps pipelines, say) it turns any compromise of a pipeline,
    /// its dependencies or its trust policy into full control of the account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "deploy_admin" {
    ///   role       = aws_iam_role.deploy.name
    ///   policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Attach a policy scoped to what the principal deploys or operates (services, actions and
    /// resource ARNs), generated from CloudTrail activity with IAM Access Analyzer if needed, and
    /// put a permissions boundary on roles that create other roles. Keep administrator access for
    /// break-glass roles assumed by people with MFA, outside CI.
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "deploy" {
    ///   role       = aws_iam_role.deploy.name
    ///   policy_arn = aws_iam_policy.deploy_app.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [AWS managed policy: AdministratorAccess](https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html)
    /// - [IAM best practices: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [IAM Access Analyzer policy generation](https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html)
    pub struct IamAdminManagedPolicy {
        id: "AWS-IAM-002",
        title: "AdministratorAccess managed policy is attached to a role, user or group",
        severity: High,
        category: Iam,
        resource_types: &["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment", "aws_iam_role", "aws_iam_role_policy_attachments_exclusive", "aws_iam_user_policy_attachments_exclusive", "aws_iam_group_policy_attachments_exclusive"],
        benchmarks: &["CIS AWS 1.16"],
        checkov: &["CKV_AWS_274"],
        attributes: crate::builtin::managed_policy::ATTRIBUTES,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    managed_policy::check(cx, out, &["AdministratorAccess"]);
}
