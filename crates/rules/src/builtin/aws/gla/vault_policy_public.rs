use crate::builtin::iam_policies;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_glacier_vault` resources whose `access_policy` has an `Allow` statement for
    /// `Principal: "*"` or `{"AWS": "*"}` without a condition that narrows the caller
    /// (`aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceIp`, `aws:SourceVpce`, ...).
    /// A document built from values known only after apply gives an `unknown` finding.
    ///
    /// ## Why is this bad?
    /// A vault access policy is evaluated for callers from any AWS account. Granted to
    /// everyone, `glacier:InitiateJob` and `glacier:GetJobOutput` let anyone retrieve the
    /// archives (typically backups and compliance records kept for years), `glacier:UploadArchive`
    /// lets anyone fill the vault at the owner's expense, and `glacier:DeleteArchive` lets
    /// anyone destroy what it was meant to preserve.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_glacier_vault" "archive" {
    ///   name = "archive"
    ///   access_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["glacier:InitiateJob", "glacier:GetJobOutput"]
    ///       Resource  = "arn:aws:glacier:us-east-1:123456789012:vaults/archive"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Name the accounts or roles that need the vault, or keep the wildcard and pin the
    /// organization with `aws:PrincipalOrgID`.
    /// ```hcl
    /// resource "aws_glacier_vault" "archive" {
    ///   name = "archive"
    ///   access_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::123456789012:role/restore" }
    ///       Action    = ["glacier:InitiateJob", "glacier:GetJobOutput"]
    ///       Resource  = "arn:aws:glacier:us-east-1:123456789012:vaults/archive"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon S3 Glacier: vault access policies](https://docs.aws.amazon.com/amazonglacier/latest/dev/vault-access-policy.html)
    /// - [IAM JSON policy elements: Principal (anonymous users)](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous)
    pub struct GlacierVaultPolicyPublic {
        id: "AWS-GLA-001",
        title: "Glacier vault access policy allows access to everyone",
        severity: High,
        category: Iam,
        resource_types: &["aws_glacier_vault"],
        checkov: &["CKV_AWS_167"],
        attributes: &["access_policy"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    iam_policies::check_everyone(cx, out, &["access_policy"], "access to the vault");
}
