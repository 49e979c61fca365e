//! The CI context a check runs in: branch and repository, read from the CI system's
//! environment (Azure Pipelines, GitHub Actions, GitLab CI) or given on the command line.

use serde::Serialize;

use crate::config::CiScope;

/// The branch and repository a check runs for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CiContext {
    /// The branch the change is going to: the target branch of a pull request, else the
    /// branch being built; without `refs/heads/`.
    pub branch: Option<String>,
    /// The repository (`org/repo` on GitHub and GitLab, the repository name on Azure).
    pub repository: Option<String>,
    /// The CI system detected, if any.
    pub system: Option<&'static str>,
}

impl CiContext {
    /// Reads the context from the process environment.
    pub fn from_env() -> CiContext {
        CiContext::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// Reads the context through `var` (injectable for tests).
    pub fn from_lookup(var: impl Fn(&str) -> Option<String>) -> CiContext {
        let first = |names: &[&str]| names.iter().find_map(|n| var(n));
        let (system, branch, repository) = if var("TF_BUILD").is_some() || var("BUILD_SOURCEBRANCH").is_some() {
            (
                Some("azure-pipelines"),
                first(&["SYSTEM_PULLREQUEST_TARGETBRANCH", "BUILD_SOURCEBRANCH"]),
                first(&["BUILD_REPOSITORY_NAME"]),
            )
        } else if var("GITHUB_ACTIONS").is_some() || var("GITHUB_REF").is_some() {
            (
                Some("github-actions"),
                first(&["GITHUB_BASE_REF", "GITHUB_REF"]),
                first(&["GITHUB_REPOSITORY"]),
            )
        } else if var("GITLAB_CI").is_some() || var("CI_COMMIT_REF_NAME").is_some() {
            (
                Some("gitlab-ci"),
                first(&["CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "CI_COMMIT_REF_NAME"]),
                first(&["CI_PROJECT_PATH"]),
            )
        } else {
            (None, None, None)
        };
        CiContext {
            branch: branch.map(|b| normalize_branch(&b)),
            repository,
            system,
        }
    }

    /// Overrides the branch (from `--branch`).
    pub fn with_branch(mut self, branch: Option<String>) -> Self {
        if let Some(b) = branch {
            self.branch = Some(normalize_branch(&b));
        }
        self
    }

    /// Overrides the repository (from `--repository`).
    pub fn with_repository(mut self, repository: Option<String>) -> Self {
        if repository.is_some() {
            self.repository = repository;
        }
        self
    }

    /// Why a guardrail with this scope does not apply here, or `None` when it does.
    pub fn out_of_scope(&self, scope: &CiScope) -> Option<String> {
        if !scope.branches.is_empty() {
            let names = || {
                scope
                    .branches
                    .iter()
                    .map(|g| g.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match &self.branch {
                None => {
                    return Some(format!(
                        "applies to branches {} and the branch is unknown (pass --branch)",
                        names()
                    ))
                }
                Some(b) if !scope.branches.iter().any(|g| g.is_match(b)) => {
                    return Some(format!("applies to branches {}, not {b}", names()))
                }
                _ => {}
            }
        }
        if !scope.repositories.is_empty() {
            let names = || {
                scope
                    .repositories
                    .iter()
                    .map(|g| g.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match &self.repository {
                None => {
                    return Some(format!(
                        "applies to repositories {} and the repository is unknown (pass --repository)",
                        names()
                    ))
                }
                Some(r) if !scope.repositories.iter().any(|g| g.is_match(r)) => {
                    return Some(format!("applies to repositories {}, not {r}", names()))
                }
                _ => {}
            }
        }
        None
    }
}

fn normalize_branch(branch: &str) -> String {
    branch.strip_prefix("refs/heads/").unwrap_or(branch).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(vars: &[(&str, &str)]) -> CiContext {
        CiContext::from_lookup(|n| vars.iter().find(|(k, _)| *k == n).map(|(_, v)| v.to_string()))
    }

    #[test]
    fn reads_each_ci_system() {
        let azure = ctx(&[
            ("TF_BUILD", "True"),
            ("BUILD_SOURCEBRANCH", "refs/heads/main"),
            ("BUILD_REPOSITORY_NAME", "infra"),
        ]);
        assert_eq!(azure.branch.as_deref(), Some("main"));
        assert_eq!(azure.repository.as_deref(), Some("infra"));
        let azure_pr = ctx(&[
            ("TF_BUILD", "True"),
            ("BUILD_SOURCEBRANCH", "refs/pull/7/merge"),
            ("SYSTEM_PULLREQUEST_TARGETBRANCH", "refs/heads/main"),
        ]);
        assert_eq!(
            azure_pr.branch.as_deref(),
            Some("main"),
            "a PR is judged by its target branch"
        );
        let gh = ctx(&[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_REF", "refs/heads/dev"),
            ("GITHUB_REPOSITORY", "org/infra"),
        ]);
        assert_eq!(
            (gh.branch.as_deref(), gh.repository.as_deref()),
            (Some("dev"), Some("org/infra"))
        );
        let gl = ctx(&[
            ("GITLAB_CI", "true"),
            ("CI_COMMIT_REF_NAME", "feature/x"),
            ("CI_PROJECT_PATH", "g/p"),
        ]);
        assert_eq!(gl.branch.as_deref(), Some("feature/x"));
        assert_eq!(ctx(&[]), CiContext::default());
    }
}
