//! Fills values the flags left out from the CI's environment. Taking the environment as a
//! function keeps tests independent of the process's real variables.

use crate::{CommentError, Secret};

/// Where and as whom to post, once flags and environment are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `OWNER/NAME` (GitHub), `GROUP/PROJECT` (GitLab) or the repository URL (Azure Repos).
    pub repository: String,
    pub number: u64,
    pub token: Secret,
}

/// The outcome of discovery: a run outside a pull request posts nothing and is not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Discovered {
    Target(Target),
    NotInPullRequest,
}

/// Values given on the command line; `None` means "look in the environment".
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub repository: Option<String>,
    pub number: Option<u64>,
    pub token: Option<Secret>,
}

fn finish(
    repository: Option<String>,
    number: Option<u64>,
    token: Option<Secret>,
    missing_repository: &'static str,
    missing_token: &'static str,
) -> Result<Discovered, CommentError> {
    let Some(number) = number else {
        return Ok(Discovered::NotInPullRequest);
    };
    let repository = repository.ok_or(CommentError::Missing(missing_repository))?;
    let token = token.ok_or(CommentError::Missing(missing_token))?;
    Ok(Discovered::Target(Target {
        repository,
        number,
        token,
    }))
}

fn number_from(text: Option<String>, name: &'static str) -> Result<Option<u64>, CommentError> {
    match text {
        None => Ok(None),
        Some(t) if t.trim().is_empty() => Ok(None),
        Some(t) => t.trim().parse().map(Some).map_err(|_| CommentError::NotANumber(name)),
    }
}

/// GitHub: `GITHUB_REPOSITORY`, `GITHUB_TOKEN`, and the PR number from the event JSON at
/// `GITHUB_EVENT_PATH` (`pull_request.number`, present in `pull_request` and `pull_request_target` events).
pub fn github(
    flags: Flags,
    env: impl Fn(&str) -> Option<String>,
    read_file: impl Fn(&str) -> Option<String>,
) -> Result<Discovered, CommentError> {
    let number = match flags.number {
        Some(n) => Some(n),
        None => match env("GITHUB_EVENT_PATH") {
            None => None,
            Some(path) => {
                let text = read_file(&path).ok_or(CommentError::EventFile)?;
                let event: serde_json::Value = serde_json::from_str(&text).map_err(|_| CommentError::EventFile)?;
                event
                    .get("pull_request")
                    .and_then(|pr| pr.get("number"))
                    .and_then(serde_json::Value::as_u64)
            }
        },
    };
    finish(
        flags.repository.or_else(|| env("GITHUB_REPOSITORY")),
        number,
        flags.token.or_else(|| env("GITHUB_TOKEN").map(Secret::new)),
        "--repo (or GITHUB_REPOSITORY)",
        "--github-token (or GITHUB_TOKEN)",
    )
}

/// Azure Pipelines: `BUILD_REPOSITORY_URI`, `SYSTEM_PULLREQUEST_PULLREQUESTID`, `SYSTEM_ACCESSTOKEN`.
pub fn azure_repos(flags: Flags, env: impl Fn(&str) -> Option<String>) -> Result<Discovered, CommentError> {
    let number = match flags.number {
        Some(n) => Some(n),
        None => number_from(
            env("SYSTEM_PULLREQUEST_PULLREQUESTID"),
            "SYSTEM_PULLREQUEST_PULLREQUESTID",
        )?,
    };
    finish(
        flags.repository.or_else(|| env("BUILD_REPOSITORY_URI")),
        number,
        flags.token.or_else(|| env("SYSTEM_ACCESSTOKEN").map(Secret::new)),
        "--repo-url (or BUILD_REPOSITORY_URI)",
        "--azure-access-token (or SYSTEM_ACCESSTOKEN)",
    )
}

/// GitLab CI: `CI_PROJECT_PATH`, `CI_MERGE_REQUEST_IID`, `GITLAB_TOKEN` then `CI_JOB_TOKEN`.
pub fn gitlab(flags: Flags, env: impl Fn(&str) -> Option<String>) -> Result<Discovered, CommentError> {
    let number = match flags.number {
        Some(n) => Some(n),
        None => number_from(env("CI_MERGE_REQUEST_IID"), "CI_MERGE_REQUEST_IID")?,
    };
    finish(
        flags.repository.or_else(|| env("CI_PROJECT_PATH")),
        number,
        flags
            .token
            .or_else(|| env("GITLAB_TOKEN").or_else(|| env("CI_JOB_TOKEN")).map(Secret::new)),
        "--repo (or CI_PROJECT_PATH)",
        "--gitlab-token (or GITLAB_TOKEN / CI_JOB_TOKEN)",
    )
}
