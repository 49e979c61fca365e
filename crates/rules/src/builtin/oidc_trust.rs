//! Shared analysis of web identity (OIDC) trust policies for AWS-OIDC-001..003: which
//! statements of an `aws_iam_role`'s `assume_role_policy` let a `Federated` OIDC principal
//! call `sts:AssumeRoleWithWebIdentity`, and whether they condition on the token's audience
//! and subject.

use super::policy_doc::{self, any, like_op, positive_op, split_reference, tri, Document, Statement};
use planguard_plan::{shown, Shown};

use crate::cond::Tri;
use crate::rule::{Context, Hit, Status};

/// Which gap a rule reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Issue {
    /// No `<provider>:aud` condition.
    Audience,
    /// No `<provider>:sub` condition.
    Subject,
    /// A `<provider>:sub` pattern that doesn't pin the repository / service connection / project.
    WildSubject,
}

/// The identity provider behind a `Federated` principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    GitHub,
    AzureDevOps,
    GitLab,
    Terraform,
    Eks,
    Cognito,
    Google,
    /// Login with Amazon / Facebook: `app_id` is the audience; no subject to pin.
    Social,
    Other,
}

/// The provider of an OIDC issuer host (`token.actions.githubusercontent.com`).
pub(crate) fn kind_of(host: &str) -> Kind {
    let h = host.to_ascii_lowercase();
    if h == "token.actions.githubusercontent.com" || h.starts_with("token.actions.githubusercontent.com/") {
        Kind::GitHub
    } else if h.starts_with("vstoken.dev.azure.com") {
        Kind::AzureDevOps
    } else if h == "app.terraform.io" {
        Kind::Terraform
    } else if h.starts_with("oidc.eks.") {
        Kind::Eks
    } else if h == "cognito-identity.amazonaws.com" {
        Kind::Cognito
    } else if h == "accounts.google.com" {
        Kind::Google
    } else if h == "graph.facebook.com" || h == "www.amazon.com" {
        Kind::Social
    } else if h.contains("gitlab") {
        Kind::GitLab
    } else {
        Kind::Other
    }
}

/// The audience AWS should require for tokens of this provider.
pub(crate) fn expected_audience(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::GitHub | Kind::Eks => Some("sts.amazonaws.com"),
        Kind::AzureDevOps => Some("api://AzureADTokenExchange"),
        _ => None,
    }
}

fn who(kind: Kind, host: &Shown) -> Shown {
    match kind {
        Kind::GitHub => shown!("any GitHub Actions workflow, in any repository of any organization,"),
        Kind::AzureDevOps => shown!(
            "any pipeline or service connection of the Azure DevOps organization {}",
            host
        ),
        Kind::GitLab => shown!("any CI job of any project on {}", host),
        Kind::Terraform => shown!("any HCP Terraform run, in any organization,"),
        Kind::Eks => shown!("any Kubernetes service account of the EKS cluster {}", host),
        _ => shown!("any identity {} issues tokens for", host),
    }
}

fn has_wildcard(s: &str) -> bool {
    s.contains('*') || s.contains('?')
}

/// Why a `StringLike` subject pattern is too broad, if it is: a constant reason and the
/// part of the pattern it names (an organization, a namespace), which is the policy's text.
struct Broad {
    reason: &'static str,
    of: Option<String>,
}

impl From<&'static str> for Broad {
    fn from(reason: &'static str) -> Broad {
        Broad { reason, of: None }
    }
}

impl Broad {
    fn shown(&self, st: &Statement) -> Shown {
        match &self.of {
            Some(of) => shown!("{} {}", Shown::constant(self.reason), st.show(of)),
            None => Shown::constant(self.reason),
        }
    }
}

fn broad_subject(kind: Kind, value: &str) -> Option<Broad> {
    if value.starts_with('*') || value.starts_with('?') {
        return Some("matches every subject".into());
    }
    let kind = match kind {
        Kind::Other | Kind::GitLab if value.starts_with("project_path:") => Kind::GitLab,
        Kind::Other if value.starts_with("repo:") => Kind::GitHub,
        Kind::Other if value.starts_with("sc://") => Kind::AzureDevOps,
        Kind::Other if value.starts_with("organization:") => Kind::Terraform,
        Kind::Other if value.starts_with("system:serviceaccount:") => Kind::Eks,
        k => k,
    };
    match kind {
        Kind::GitHub => {
            let rest = value.strip_prefix("repo:")?;
            let org_repo = rest.split(':').next().unwrap_or(rest);
            match org_repo.split_once('/') {
                None if has_wildcard(org_repo) => Some("doesn't pin the organization".into()),
                None => None,
                Some((org, _)) if has_wildcard(org) || org.is_empty() => Some("doesn't pin the organization".into()),
                Some((org, repo)) if has_wildcard(repo) || repo.is_empty() => Some(Broad {
                    reason: "allows every repository of",
                    of: Some(org.to_string()),
                }),
                _ => None,
            }
        }
        Kind::AzureDevOps => {
            let rest = value.strip_prefix("sc://")?;
            let parts: Vec<&str> = rest.splitn(3, '/').collect();
            let names = [
                "doesn't pin the organization",
                "doesn't pin the project",
                "doesn't pin the service connection",
            ];
            for (i, name) in names.into_iter().enumerate() {
                match parts.get(i) {
                    Some(p) if !p.is_empty() && !has_wildcard(p) => {}
                    _ => return Some(name.into()),
                }
            }
            None
        }
        Kind::GitLab => {
            let rest = value.strip_prefix("project_path:")?;
            let path = rest.split(':').next().unwrap_or(rest);
            (has_wildcard(path) || !path.contains('/')).then(|| "doesn't pin the group and project".into())
        }
        Kind::Terraform => {
            let fields: Vec<&str> = value.split(':').collect();
            let pinned = |key: &str, at: usize| {
                fields.get(at) == Some(&key) && fields.get(at + 1).is_some_and(|v| !v.is_empty() && !has_wildcard(v))
            };
            for (key, at, why) in [
                ("organization", 0, "doesn't pin the organization"),
                ("project", 2, "doesn't pin the project"),
                ("workspace", 4, "doesn't pin the workspace"),
            ] {
                if !pinned(key, at) {
                    return Some(why.into());
                }
            }
            None
        }
        Kind::Eks => {
            let rest = value.strip_prefix("system:serviceaccount:")?;
            let (ns, sa) = rest.split_once(':').unwrap_or((rest, ""));
            if has_wildcard(ns) {
                Some("doesn't pin the namespace".into())
            } else if has_wildcard(sa) || sa.is_empty() {
                Some(Broad {
                    reason: "allows every service account of namespace",
                    of: Some(ns.to_string()),
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A web identity statement: the provider's host (when known) and whether the statement is
/// one (unknown when its effect, actions or principal are known only after apply).
fn web_identity(st: &Statement) -> (Tri, Option<String>) {
    if st.not_principal {
        return (Tri::False, None);
    }
    let mut federated = Tri::False;
    let mut host = None;
    for p in &st.principals {
        let is_federated = match p.kind.as_deref() {
            Some(k) => tri(k.eq_ignore_ascii_case("federated")),
            None => Tri::Unknown,
        };
        let oidc = match p.id.as_deref() {
            Some(id) if id.contains(":saml-provider/") => Tri::False,
            Some(id) => {
                if is_federated != Tri::False && host.is_none() {
                    host = Some(match id.split_once(":oidc-provider/") {
                        Some((_, h)) => h.to_string(),
                        None => id.to_string(),
                    });
                }
                Tri::True
            }
            None => Tri::Unknown,
        };
        federated = federated.or(is_federated.and(oidc));
    }
    let web = st
        .allows()
        .and(st.grants("sts:AssumeRoleWithWebIdentity"))
        .and(federated);
    if host.is_none() {
        // Read the provider from the condition keys (`token.actions.githubusercontent.com:sub`).
        host = st
            .conditions
            .iter()
            .filter_map(|c| c.key.as_deref()?.rsplit_once(':'))
            .find(|(_, claim)| matches!(claim.to_ascii_lowercase().as_str(), "aud" | "sub"))
            .map(|(h, _)| h.to_string());
    }
    (web, host)
}

/// The conditions on `claims` of this host: (condition, its values) when known; `Unknown`
/// when a condition's key or operator is known only after apply.
fn on_claim<'s>(st: &'s Statement, host: Option<&str>, claims: &[&str]) -> (Vec<&'s policy_doc::Condition>, Tri) {
    let mut found = Vec::new();
    let mut unknown = if st.conditions_unknown {
        Tri::Unknown
    } else {
        Tri::False
    };
    for c in &st.conditions {
        let (Some(key), Some(op)) = (c.key.as_deref(), c.op.as_deref()) else {
            unknown = Tri::Unknown;
            continue;
        };
        let Some((prefix, claim)) = key.rsplit_once(':') else {
            continue;
        };
        let host_matches = host.is_none_or(|h| prefix.eq_ignore_ascii_case(h));
        if host_matches && claims.iter().any(|c| claim.eq_ignore_ascii_case(c)) && positive_op(op) {
            found.push(c);
        }
    }
    (found, unknown)
}

/// Checks the role's trust policy for `issue`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Hit>, issue: Issue) {
    for doc in policy_doc::documents(cx, &["assume_role_policy"], false) {
        let statements = match doc {
            Document::Unknown { attribute, references } => {
                let provider = references
                    .iter()
                    .find_map(|r| split_reference(r).filter(|(t, _)| t == "aws_iam_openid_connect_provider"));
                if let Some((t, n)) = provider {
                    let what = match issue {
                        Issue::Audience => "an audience (aud) condition",
                        Issue::Subject => "a subject (sub) condition",
                        Issue::WildSubject => "a subject that pins the repository or pipeline",
                    };
                    out.push(Hit {
                        status: Status::Unknown,
                        path: attribute,
                        message: shown!(
                            "the trust policy is known only after apply; it trusts {}.{}, so whether it requires {} cannot be checked",
                            Shown::name(t),
                            Shown::name(n),
                            Shown::constant(what)
                        ),
                    });
                }
                continue;
            }
            Document::Known {
                statements,
                decided_from,
                ..
            } => (statements, decided_from),
        };
        let (statements, decided_from) = statements;
        let first_hit = out.len();
        for st in &statements {
            let (web, host) = web_identity(st);
            if web == Tri::False {
                continue;
            }
            let host_text = match &host {
                Some(h) => st.show(h),
                None => Shown::constant("(provider known after apply)"),
            };
            let kind = host.as_deref().map(kind_of).unwrap_or(Kind::Other);
            match issue {
                Issue::Audience => {
                    let claims: &[&str] = match kind {
                        Kind::Google => &["aud", "oaud"],
                        Kind::Social => &["app_id"],
                        _ => &["aud"],
                    };
                    let (conds, unknown) = on_claim(st, host.as_deref(), claims);
                    // `StringLike "*"` is no condition at all.
                    let present = any(conds.iter().map(|c| {
                        let like = c.op.as_deref().is_some_and(like_op);
                        let all_wild = !c.values.is_empty()
                            && c.values
                                .iter()
                                .all(|v| v.as_deref().is_some_and(|v| like && v.chars().all(|c| c == '*')));
                        Some(!all_wild)
                    }))
                    .or(unknown);
                    let result = web.and(present.negate());
                    let expected = expected_audience(kind)
                        .map(|a| shown!(" (require \"{}\")", Shown::constant(a)))
                        .unwrap_or_default();
                    push(
                        out,
                        result,
                        &st.path,
                        shown!(
                            "no {}:aud condition{} in the web identity trust: tokens the provider issues for any other audience can assume the role",
                            host_text,
                            expected
                        ),
                        shown!("a condition of the web identity trust for {} is known only after apply; cannot tell whether it requires {}:aud", host_text, host_text),
                    );
                }
                Issue::Subject => {
                    if matches!(kind, Kind::Cognito | Kind::Social) {
                        continue;
                    }
                    let (conds, unknown) = on_claim(st, host.as_deref(), &["sub"]);
                    let present = tri(!conds.is_empty()).or(unknown);
                    let result = web.and(present.negate());
                    push(
                        out,
                        result,
                        &st.path,
                        shown!(
                            "no {}:sub condition in the web identity trust: {} can assume the role",
                            host_text,
                            who(kind, &host_text)
                        ),
                        shown!("a condition of the web identity trust for {} is known only after apply; cannot tell whether it requires {}:sub", host_text, host_text),
                    );
                }
                Issue::WildSubject => {
                    let (conds, _) = on_claim(st, host.as_deref(), &["sub"]);
                    // A `...Like` condition whose key is known only after apply may be the
                    // subject: a broad pattern in it makes the answer unknown.
                    let maybe = st.conditions.iter().any(|c| {
                        c.key.is_none()
                            && c.op.as_deref().is_none_or(|op| like_op(op) && positive_op(op))
                            && c.values
                                .iter()
                                .any(|v| v.as_deref().is_none_or(|v| broad_subject(kind, v).is_some()))
                    });
                    let mut result = Tri::False;
                    let mut message = Shown::default();
                    let mut path = st.path.clone();
                    for c in conds {
                        let Some(op) = c.op.as_deref() else { continue };
                        if !like_op(op) {
                            // `StringEquals` compares `*` literally.
                            continue;
                        }
                        for v in &c.values {
                            match v.as_deref() {
                                None => {
                                    if result == Tri::False {
                                        result = Tri::Unknown;
                                        path = c.path.clone();
                                    }
                                }
                                Some(v) => {
                                    if let Some(why) = broad_subject(kind, v) {
                                        result = Tri::True;
                                        path = c.path.clone();
                                        // The operator and pattern are the policy's text.
                                        let pattern = if st.disclosure.allows() {
                                            shown!("subject pattern \"{}\" ({})", st.show(v), st.show(op))
                                        } else {
                                            shown!("a subject pattern of the sensitive trust policy")
                                        };
                                        message = shown!(
                                            "{} {}: {} matching it can assume the role",
                                            pattern,
                                            why.shown(st),
                                            Shown::constant(match kind {
                                                Kind::GitHub => "every workflow",
                                                Kind::AzureDevOps => "every pipeline",
                                                Kind::GitLab => "every CI job",
                                                Kind::Terraform => "every run",
                                                Kind::Eks => "every pod",
                                                _ => "every identity",
                                            })
                                        );
                                        break;
                                    }
                                }
                            }
                        }
                        if result == Tri::True {
                            break;
                        }
                    }
                    if result == Tri::False && maybe {
                        result = Tri::Unknown;
                    }
                    let unknown = shown!(
                        "the subject condition is known only after apply; it may not pin the repository or pipeline"
                    );
                    push(out, web.and(result), &path, message, unknown);
                }
            }
        }
        // The plan has no document yet: say where the decision came from, so a reader knows
        // why a trust known only after apply is judged at all.
        if let Some(source) = &decided_from {
            for hit in &mut out[first_hit..] {
                // An unknown hit was not decided: it only read what the configuration holds.
                let how = match hit.status {
                    Status::Unknown => "read from",
                    _ => "decided from",
                };
                hit.message = shown!(
                    "{} ({} the configuration of {}; the document itself is known only after apply)",
                    hit.message,
                    Shown::constant(how),
                    source
                );
            }
        }
    }
}

fn push(out: &mut Vec<Hit>, result: Tri, path: &Shown, fail: Shown, unknown: Shown) {
    let (status, message) = match result {
        Tri::True => (Status::Fail, fail),
        Tri::Unknown => (Status::Unknown, unknown),
        Tri::False => return,
    };
    out.push(Hit {
        status,
        path: path.clone(),
        message,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects() {
        assert!(broad_subject(Kind::GitHub, "repo:org/*").is_some());
        assert!(broad_subject(Kind::GitHub, "repo:*").is_some());
        assert!(broad_subject(Kind::GitHub, "*").is_some());
        assert!(broad_subject(Kind::GitHub, "repo:org/app:*").is_none());
        assert!(broad_subject(Kind::GitHub, "repo:org/app:ref:refs/heads/main").is_none());
        assert!(broad_subject(Kind::AzureDevOps, "sc://org/*").is_some());
        assert!(broad_subject(Kind::AzureDevOps, "sc://org/proj/*").is_some());
        assert!(broad_subject(Kind::AzureDevOps, "sc://org/proj/aws-prod").is_none());
        assert!(broad_subject(Kind::GitLab, "project_path:group/*:ref_type:branch:ref:main").is_some());
        assert!(broad_subject(Kind::GitLab, "project_path:group/app:ref_type:branch:ref:main").is_none());
        assert!(broad_subject(Kind::Terraform, "organization:acme:project:*:workspace:*:run_phase:*").is_some());
        assert!(broad_subject(
            Kind::Terraform,
            "organization:acme:project:infra:workspace:prod:run_phase:*"
        )
        .is_none());
        assert!(broad_subject(Kind::Other, "repo:org/*").is_some());
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("token.actions.githubusercontent.com"), Kind::GitHub);
        assert_eq!(
            kind_of("vstoken.dev.azure.com/3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
            Kind::AzureDevOps
        );
        assert_eq!(kind_of("gitlab.example.com"), Kind::GitLab);
        assert_eq!(kind_of("app.terraform.io"), Kind::Terraform);
    }
}
