use crate::builtin::iam_policies;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_iam_role` resources whose trust policy (`assume_role_policy`) has an `Allow`
    /// statement with `Principal: "*"` or `Principal: {"AWS": "*"}` and no condition that narrows
    /// the caller (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
    /// `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceIp`, `aws:SourceVpce`, ... with a
    /// non-negated, non-`IfExists` operator). `sts:ExternalId` alone doesn't narrow.
    ///
    /// ## Why is this bad?
    /// With a wildcard principal any AWS account in the world (any IAM user or role in it) can call
    /// `sts:AssumeRole` on the role and receive credentials with its permissions. Role ARNs are
    /// easy to guess or find (they appear in CloudTrail, error messages, public repositories), and
    /// nothing in the target account is needed to exploit it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "cross_account" {
    ///   name = "cross-account-reader"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Name the accounts or roles that may assume it, or keep the wildcard and restrict it to your
    /// organization.
    /// ```hcl
    /// resource "aws_iam_role" "cross_account" {
    ///   name = "cross-account-reader"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRole"
    ///       Principal = { AWS = "arn:aws:iam::210987654321:role/reporting" }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [Modifying a role trust policy](https://docs.aws.amazon.com/IAM/latest/UserGuide/roles-managingrole-editing-console.html#roles-managingrole_edit-trust-policy)
    /// - [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
    /// - [IAM JSON policy elements: Principal](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html)
    pub struct IamTrustEveryone {
        id: "AWS-IAM-007",
        title: "IAM role trust policy lets everyone assume the role",
        severity: Critical,
        category: Iam,
        resource_types: &["aws_iam_role"],
        checkov: &["CKV_AWS_60"],
        attributes: &["assume_role_policy"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    iam_policies::check_everyone(cx, out, &["assume_role_policy"], "sts:AssumeRole");
}
