use crate::builtin::oidc_trust;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_iam_role` resources whose trust policy lets a web identity (OIDC) provider call
    /// `sts:AssumeRoleWithWebIdentity` without a `<provider>:aud` condition (or with only a `*`
    /// pattern): GitHub must require `sts.amazonaws.com`, Azure DevOps `api://AzureADTokenExchange`,
    /// EKS `sts.amazonaws.com`, GitLab and HCP Terraform the audience configured in the pipeline,
    /// Cognito the identity pool id, Google the client id.
    ///
    /// ## Why is this bad?
    /// The audience says which relying party a token was minted for. Without the condition, a
    /// token the same provider issued for another service (a third-party deployment tool, another
    /// cloud, a package registry) can be replayed against AWS STS to assume the role: whoever
    /// receives such tokens gets the role's permissions. For Cognito identity pools, a missing
    /// `cognito-identity.amazonaws.com:aud` condition lets identities of *any* identity pool, in any
    /// account, assume the role. IAM's own OIDC provider check (`client_id_list`) is the only other
    /// line of defence, and it is easy to widen.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "azure-devops-deploy"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRoleWithWebIdentity"
    ///       Principal = { Federated = aws_iam_openid_connect_provider.azure_devops.arn }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Add a `StringEquals` condition on the audience claim, next to the subject condition.
    /// ```hcl
    /// data "aws_iam_policy_document" "deploy_trust" {
    ///   statement {
    ///     actions = ["sts:AssumeRoleWithWebIdentity"]
    ///     principals {
    ///       type        = "Federated"
    ///       identifiers = [aws_iam_openid_connect_provider.azure_devops.arn]
    ///     }
    ///     condition {
    ///       test     = "StringEquals"
    ///       variable = "vstoken.dev.azure.com/${local.azdo_org_id}:aud"
    ///       values   = ["api://AzureADTokenExchange"]
    ///     }
    ///     condition {
    ///       test     = "StringEquals"
    ///       variable = "vstoken.dev.azure.com/${local.azdo_org_id}:sub"
    ///       values   = ["sc://example-org/infra/aws-prod"]
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Creating a role for OIDC federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)
    /// - [Available keys for AWS OIDC federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)
    /// - [GitHub: configuring OpenID Connect in Amazon Web Services](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    /// - [Azure DevOps: workload identity federation for service connections](https://learn.microsoft.com/en-us/azure/devops/pipelines/library/connect-to-azure?view=azure-devops#workload-identity-federation)
    pub struct OidcNoAudience {
        id: "AWS-OIDC-003",
        title: "OIDC trust policy does not restrict the token audience",
        severity: High,
        category: Iam,
        resource_types: &["aws_iam_role"],
        attributes: &["assume_role_policy"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    oidc_trust::check(cx, out, oidc_trust::Issue::Audience);
}
