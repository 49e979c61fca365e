//! Building blocks of `planguard comment` (issue 15): the hidden marker that finds our comment
//! again, the per-platform size limits and cutting, Azure DevOps repository URLs, the token
//! newtype, the comment behaviours, and the platform clients (GitHub, Azure Repos, GitLab).

use std::fmt;

pub mod azure;
pub mod discover;
pub mod github;
pub mod gitlab;
pub mod http;

/// One error enum for the crate. Messages never quote the token nor an input string.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CommentError {
    #[error("--repo-url is not an Azure DevOps Git URL: expected https://dev.azure.com/ORG/PROJECT/_git/REPO, https://ORG.visualstudio.com/PROJECT/_git/REPO or https://HOST/COLLECTION/PROJECT/_git/REPO")]
    AzureRepoUrl,
    #[error("--behavior must be one of update, new, delete-and-new, hide-and-new")]
    Behavior,
    #[error("--behavior hide-and-new is only available on GitHub")]
    HideOnlyOnGitHub,
    #[error("missing {0}")]
    Missing(&'static str),
    #[error("{0} is not a pull-request number")]
    NotANumber(&'static str),
    #[error("GITHUB_EVENT_PATH: cannot read the event file as JSON")]
    EventFile,
    #[error("--repo is not a GitLab project path: expected GROUP/PROJECT")]
    GitLabProject,
    #[error("--repo is not a GitHub repository: expected OWNER/NAME")]
    GitHubRepo,
    #[error("{0} must be an http(s) URL")]
    ApiUrl(&'static str),
    #[error("{call}: HTTP {status}: {summary}")]
    Http {
        call: &'static str,
        status: u16,
        summary: String,
    },
    #[error("{call}: {reason}")]
    Transport { call: &'static str, reason: &'static str },
    #[error("{0}: the response is not what the API documents")]
    Response(&'static str),
    #[error("{0}: the GraphQL API answered with errors")]
    GraphQl(&'static str),
}

/// The code-hosting platforms a comment can be posted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    GitHub,
    AzureRepos,
    GitLab,
}

impl Platform {
    /// The largest comment body each platform accepts, in characters.
    pub fn max_comment_chars(self) -> usize {
        match self {
            Platform::GitHub => 65_536,
            Platform::AzureRepos => 150_000,
            Platform::GitLab => 1_000_000,
        }
    }
}

/// What to do with the comment an earlier run left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Behavior {
    /// Edit ours in place; create it when absent.
    #[default]
    Update,
    /// Always add another comment.
    New,
    /// Delete ours, then add one, so it is the newest.
    DeleteAndNew,
    /// Minimise ours (GitHub only), then add one.
    HideAndNew,
}

impl Behavior {
    pub fn parse(text: &str) -> Result<Self, CommentError> {
        match text {
            "update" => Ok(Behavior::Update),
            "new" => Ok(Behavior::New),
            "delete-and-new" => Ok(Behavior::DeleteAndNew),
            "hide-and-new" => Ok(Behavior::HideAndNew),
            _ => Err(CommentError::Behavior),
        }
    }

    /// Hiding needs GitHub's `minimizeComment`; other platforms refuse rather than silently deleting.
    pub fn check_platform(self, platform: Platform) -> Result<(), CommentError> {
        if self == Behavior::HideAndNew && platform != Platform::GitHub {
            return Err(CommentError::HideOnlyOnGitHub);
        }
        Ok(())
    }
}

/// An API token. Its Debug and Display never show the value, so it cannot leak through logs or errors.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for building the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The hidden line that lets a later run find the comment again. The tag keeps several
/// pipelines' comments on one pull request apart.
pub fn marker(tag: Option<&str>) -> String {
    // A tag containing "--" or ">" would end the HTML comment early and show in the page.
    let tag: String = tag
        .unwrap_or("default")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | ' '))
        .collect();
    format!("<!-- planguard-comment: {} -->", tag.trim())
}

/// Whether a comment body carries our marker.
pub fn has_marker(body: &str, marker: &str) -> bool {
    body.lines().any(|line| line.trim() == marker)
}

const CUT_NOTICE: &str = "\n\n… (truncated to fit a comment)\n";

/// `text` unchanged when it has at most `limit` characters; otherwise cut at a character
/// boundary and ended with a notice, `limit` characters in all. The one way a comment is
/// shortened once summarising is not enough (the Markdown renderer and [`comment_body`]).
pub fn cut_to_fit(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let room = limit.saturating_sub(CUT_NOTICE.chars().count());
    let cut: String = text.chars().take(room).collect();
    format!("{cut}{CUT_NOTICE}")
}

/// The full comment: the marker, then the report, cut to the platform's limit (never rejected).
/// The marker comes first so that cutting can never remove it.
pub fn comment_body(report_markdown: &str, marker: &str, platform: Platform) -> String {
    let head = format!("{marker}\n");
    let room = platform.max_comment_chars().saturating_sub(head.chars().count());
    format!("{head}{}", cut_to_fit(report_markdown, room))
}

/// Where an Azure DevOps repository's REST API lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AzureRepo {
    /// `https://dev.azure.com/ORG/PROJECT`, `https://ORG.visualstudio.com/PROJECT` or
    /// `https://HOST/tfs/COLLECTION/PROJECT`: the prefix of `/_apis/...`.
    pub project_url: String,
    pub repository: String,
}

impl AzureRepo {
    /// Parses `…/PROJECT/_git/REPO` URLs of the cloud service and of on-premises servers.
    /// Credentials in the URL (`https://user@dev.azure.com/...`) are dropped so they are never sent on.
    pub fn parse(url: &str) -> Result<Self, CommentError> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or(CommentError::AzureRepoUrl)?;
        let scheme = &url[..url.len() - rest.len()];
        let rest = rest.trim_end_matches('/');
        let (before, repository) = rest.split_once("/_git/").ok_or(CommentError::AzureRepoUrl)?;
        let (authority, path) = before.split_once('/').ok_or(CommentError::AzureRepoUrl)?;
        let host = authority.rsplit('@').next().unwrap_or(authority);
        if host.is_empty() || path.is_empty() || repository.is_empty() || repository.contains('/') {
            return Err(CommentError::AzureRepoUrl);
        }
        Ok(AzureRepo {
            project_url: format!("{scheme}{host}/{path}"),
            repository: repository.to_string(),
        })
    }

    /// The pull request's threads endpoint.
    pub fn threads_url(&self, pull_request: u64) -> String {
        format!(
            "{}/_apis/git/repositories/{}/pullRequests/{pull_request}/threads?api-version=7.1",
            self.project_url, self.repository
        )
    }
}

/// The Azure DevOps thread status that shows the verdict: a failing check leaves the thread
/// open for the reviewer; a passing one (warnings included, as they do not fail the run) resolves it.
/// A verdict that cannot be read keeps the thread active: an unknown result is not a pass.
pub fn azure_thread_status(verdict: Option<&str>) -> &'static str {
    match verdict {
        Some("pass") | Some("warn") => "fixed",
        _ => "active",
    }
}
