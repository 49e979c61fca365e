use crate::builtin::oidc_trust;
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_iam_role` resources whose web identity trust policy conditions the token subject
    /// with a `StringLike` pattern that is a wildcard (`*`, `*:ref:refs/heads/main`) or leaves the
    /// identifying part open: GitHub `repo:ORG/*` or `repo:*` (must pin `repo:ORG/REPO`), Azure
    /// DevOps `sc://ORG/*` (must pin `sc://ORG/PROJECT/CONNECTION`), GitLab `project_path:GROUP/*`,
    /// HCP Terraform `organization:ORG:project:*:workspace:*`, EKS
    /// `system:serviceaccount:NAMESPACE:*`. A wildcard *after* the pinned part
    /// (`repo:ORG/REPO:*`, any branch of one repository) is accepted. `StringEquals` compares `*`
    /// literally and is never flagged.
    ///
    /// ## Why is this bad?
    /// A wildcard subject widens the trust from one pipeline to a whole population: every
    /// repository of the organization (including any repository a compromised or careless
    /// member creates, and every branch of each), every service connection of an
    /// Azure DevOps organization, every workspace of an HCP Terraform organization. Any of them
    /// can assume the role and use its permissions, typically deployment rights to an account.
    /// A leading `*` matches every subject the provider issues, which for GitHub means every
    /// repository on github.com.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "deploy" {
    ///   name = "github-any-repo"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "sts:AssumeRoleWithWebIdentity"
    ///       Principal = { Federated = aws_iam_openid_connect_provider.github.arn }
    ///       Condition = {
    ///         StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
    ///         StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:example-org/*" }
    ///       }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Name the repository (and preferably the branch or GitHub environment) the role is for; list
    /// several exact subjects rather than a pattern when a few pipelines share the role.
    /// ```hcl
    /// condition {
    ///   test     = "StringEquals"
    ///   variable = "token.actions.githubusercontent.com:sub"
    ///   values   = ["repo:example-org/infra:environment:production"]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Creating a role for OIDC federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html)
    /// - [Available keys for AWS OIDC federation](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif)
    /// - [GitHub: configuring OpenID Connect in Amazon Web Services](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    /// - [Azure DevOps: workload identity federation for service connections](https://learn.microsoft.com/en-us/azure/devops/pipelines/library/connect-to-azure?view=azure-devops#workload-identity-federation)
    pub struct OidcWildcardSubject {
        id: "AWS-OIDC-002",
        title: "OIDC trust policy subject is a wildcard that does not pin the repository or pipeline",
        severity: High,
        category: Iam,
        resource_types: &["aws_iam_role"],
        checkov: &["CKV_AWS_393"],
        attributes: &["assume_role_policy"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    oidc_trust::check(cx, out, oidc_trust::Issue::WildSubject);
}
