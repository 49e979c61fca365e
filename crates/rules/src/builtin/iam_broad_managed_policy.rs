use planguard_plan::ActionKind;

use super::managed_policy;
use super::{rust_rule, Head};
use crate::meta::{Category, RuleMeta, Severity};
use crate::rule::{Context, Hit, Rule};

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
    pub struct IamBroadManagedPolicy;
}

impl IamBroadManagedPolicy {
    /// The rule.
    pub fn new() -> Self {
        IamBroadManagedPolicy {
            meta: Head {
                id: "AWS-IAM-003",
                title: "PowerUserAccess or IAMFullAccess managed policy is attached to a role, user or group",
                severity: Severity::Medium,
                category: Category::Iam,
                provider: "aws",
                resource_types: &[
                    "aws_iam_role_policy_attachment",
                    "aws_iam_user_policy_attachment",
                    "aws_iam_group_policy_attachment",
                    "aws_iam_policy_attachment",
                    "aws_iam_role",
                    "aws_iam_role_policy_attachments_exclusive",
                    "aws_iam_user_policy_attachments_exclusive",
                    "aws_iam_group_policy_attachments_exclusive",
                ],
                actions: &[ActionKind::Create, ActionKind::Update, ActionKind::Replace],
                benchmarks: &[],
                checkov: &[],
                trivy: &[],
                type_name: "IamBroadManagedPolicy",
            }
            .into_meta(Self::DOC),
        }
    }
}

impl Default for IamBroadManagedPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl Rule for IamBroadManagedPolicy {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn reads_before(&self) -> bool {
        false
    }

    fn attributes(&self) -> Option<Vec<String>> {
        super::attributes(super::managed_policy::ATTRIBUTES)
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Hit>) {
        managed_policy::check(cx, out, &["PowerUserAccess", "IAMFullAccess"]);
    }
}
