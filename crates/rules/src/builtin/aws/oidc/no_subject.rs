use crate::builtin::oidc_trust;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_iam_role` resources whose trust policy lets a web identity (OIDC) provider call
    /// `sts:AssumeRoleWithWebIdentity` without a `<provider>:sub` condition (`StringEquals` or
    /// `StringLike`): GitHub Actions (`token.actions.githubusercontent.com`), Azure DevOps
    /// (`vstoken.dev.azure.com/<organization id>`), GitLab, HCP Terraform (`app.terraform.io`), EKS
    /// (IRSA) and any other OIDC provider. The trust policy is read from the plan, or, when it is
    /// known only after apply, from the `aws_iam_policy_document` data source it comes from.
    /// Cognito identity pools and Login with Amazon / Facebook are not checked (they have no
    /// subject to pin).
    ///
    /// ## Why is this bad?
    /// The audience alone doesn't say *who* the token was issued to. GitHub's issuer is shared by
    /// every repository on github.com: without a subject condition any workflow, in any
    /// repository of any organization (an attacker's own free account included), can mint a token
    /// with audience `sts.amazonaws.com` and assume the role. For Azure DevOps every pipeline and
    /// service connection of the organization can; for EKS every service account of the cluster.
    /// The role's permissions (often deployment rights to production) are then open to all of
    /// them, with nothing in CloudTrail but a valid federated session.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "github-deploy"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRoleWithWebIdentity"
    ///       Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
    ///       Condition = {
    ///         StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
    ///       }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Require the subject with `StringEquals`, naming exactly the repository and branch or
    /// environment (GitHub `repo:ORG/REPO:environment:prod`), the service connection (Azure DevOps
    /// `sc://ORG/PROJECT/CONNECTION`), the project (GitLab `project_path:GROUP/PROJECT:ref_type:branch:ref:main`)
    /// or the workspace (HCP Terraform `organization:ORG:project:PROJECT:workspace:WS:run_phase:apply`).
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
    pub struct OidcNoSubject {
        id: "AWS-OIDC-001",
        title: "OIDC trust policy does not restrict the token subject",
        severity: Critical,
        category: Iam,
        resource_types: &["aws_iam_role"],
        checkov: &["CKV_AWS_393"],
        attributes: &["assume_role_policy"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    oidc_trust::check(cx, out, oidc_trust::Issue::Subject);
}
