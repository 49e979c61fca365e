use planguard_plan::{shown, Shown};

use crate::builtin::rust_rule;
use crate::builtin::{oidc_trust, policy_doc};
use crate::rule::Status;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags `aws_iam_openid_connect_provider` resources whose `client_id_list` (the audiences IAM
    /// accepts in tokens from this issuer) is empty or unset, and, for the GitHub Actions
    /// (`token.actions.githubusercontent.com`) and Azure DevOps (`vstoken.dev.azure.com/<org>`)
    /// issuers, lists anything but the audience those platforms issue for AWS: `sts.amazonaws.com`
    /// and `api://AzureADTokenExchange`.
    ///
    /// ## Why is this bad?
    /// `client_id_list` is the account-wide allow-list of token audiences for the issuer: every
    /// role trusting the provider inherits it. An extra audience (GitHub's default
    /// `https://github.com/ORG`, a third-party tool's client id) makes tokens minted for other
    /// relying parties valid for AWS STS, so a role whose trust policy forgets the `aud` condition
    /// (AWS-OIDC-003) can be assumed with them. An empty list documents nothing and leaves the
    /// audience check to every role's trust policy.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_openid_connect_provider" "github" {
    ///   url             = "https://token.actions.githubusercontent.com"
    ///   client_id_list  = ["sts.amazonaws.com", "https://github.com/example-org"]
    ///   thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1"]
    /// }
    /// ```
    ///
    /// ## Use instead
    /// List exactly the audience the CI platform issues for AWS, and require it in every trust
    /// policy as well.
    /// ```hcl
    /// resource "aws_iam_openid_connect_provider" "azure_devops" {
    ///   url             = "https://vstoken.dev.azure.com/${local.azdo_org_id}"
    ///   client_id_list  = ["api://AzureADTokenExchange"]
    ///   thumbprint_list = [local.azdo_thumbprint]
    /// }
    /// ```
    ///
    /// ## References
    /// - [Creating an OpenID Connect (OIDC) identity provider in IAM](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html)
    /// - [GitHub: configuring OpenID Connect in Amazon Web Services](https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services)
    /// - [Azure DevOps: workload identity federation](https://learn.microsoft.com/en-us/azure/devops/pipelines/release/configure-workload-identity?view=azure-devops)
    pub struct OidcProviderAudience {
        id: "AWS-OIDC-004",
        title: "IAM OIDC provider accepts an unexpected or no audience",
        severity: Medium,
        category: Iam,
        resource_types: &["aws_iam_openid_connect_provider"],
        attributes: &["client_id_list", "url"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let after = cx.subject();
    let host = after.get("url").as_str().map(policy_doc::strip_scheme);
    let list = after.get("client_id_list");
    if list.is_unknown() {
        // Unset (computed) lists are an empty audience list waiting for AWS's default.
        let written = cx
            .plan
            .config_resource(&cx.change.addr)
            .is_some_and(|c| c.resource.expressions.contains_key("client_id_list"));
        out.push(Hit {
            status: if written { Status::Unknown } else { Status::Fail },
            path: Shown::constant("client_id_list"),
            message: if written {
                Shown::constant("client_id_list is known only after apply; cannot check the accepted audiences")
            } else {
                Shown::constant("client_id_list is not set: the provider accepts no declared audience")
            },
        });
        return;
    }
    let entries = list.children();
    if entries.is_empty() {
        out.push(Hit {
            status: Status::Fail,
            path: Shown::constant("client_id_list"),
            message: Shown::constant("client_id_list is empty: the provider declares no audience"),
        });
        return;
    }
    let expected = host
        .as_deref()
        .map(oidc_trust::kind_of)
        .and_then(oidc_trust::expected_audience);
    let Some(expected) = expected else {
        return;
    };
    let mut undecided = None;
    for (i, (_, item)) in entries.into_iter().enumerate() {
        match item.as_str() {
            Some(aud) if aud != expected => {
                out.push(Hit {
                    status: Status::Fail,
                    path: shown!("client_id_list[{}]", Shown::figure(i)),
                    message: shown!(
                        "{} provider accepts audience \"{}\"; only \"{}\" is issued for AWS",
                        match host.as_deref() {
                            Some(h) => after.get("url").disclosure().show(h),
                            None => Shown::constant("the"),
                        },
                        item.shown(),
                        Shown::constant(expected)
                    ),
                });
                return;
            }
            Some(_) => {}
            None if item.is_unknown() => {
                undecided.get_or_insert(i);
            }
            None => {}
        }
    }
    if let Some(i) = undecided {
        out.push(Hit {
            status: Status::Unknown,
            path: shown!("client_id_list[{}]", Shown::figure(i)),
            message: shown!(
                "client_id_list[{}] is known only after apply; it may not be \"{}\"",
                Shown::figure(i),
                Shown::constant(expected)
            ),
        });
    }
}
