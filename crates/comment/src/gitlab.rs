//! GitLab: merge-request notes (REST v4), on gitlab.com or a self-managed server.

use serde_json::{json, Value};

use crate::github::{Outcome, Posted};
use crate::http::{Http, Method};
use crate::{comment_body, has_marker, Behavior, CommentError, Platform, Secret};

const MAX_PAGES: usize = 1000;
pub const DEFAULT_SERVER_URL: &str = "https://gitlab.com";

pub struct GitLab<'a> {
    http: &'a Http,
    /// `…/api/v4/projects/GROUP%2FPROJECT/merge_requests/IID/notes`
    notes_url: String,
    token: Secret,
    /// `PRIVATE-TOKEN` for personal, project and group access tokens; `JOB-TOKEN` for CI_JOB_TOKEN.
    token_header: &'static str,
}

/// `GROUP/PROJECT` (subgroups allowed) with GitLab's path characters only.
fn valid_project(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() >= 2
        && parts.iter().all(|part| {
            !part.is_empty()
                && *part != "."
                && *part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

impl<'a> GitLab<'a> {
    pub fn new(
        http: &'a Http,
        server_url: &str,
        project: &str,
        merge_request: u64,
        token: Secret,
    ) -> Result<Self, CommentError> {
        if !valid_project(project) {
            return Err(CommentError::GitLabProject);
        }
        let server_url = server_url.trim_end_matches('/');
        if !(server_url.starts_with("https://") || server_url.starts_with("http://")) {
            return Err(CommentError::ApiUrl("--gitlab-server-url"));
        }
        Ok(GitLab {
            http,
            notes_url: format!(
                "{server_url}/api/v4/projects/{}/merge_requests/{merge_request}/notes",
                project.replace('/', "%2F")
            ),
            token,
            token_header: "PRIVATE-TOKEN",
        })
    }

    /// Sends the token as a CI job token (`CI_JOB_TOKEN`) rather than an access token.
    pub fn with_job_token(mut self) -> Self {
        self.token_header = "JOB-TOKEN";
        self
    }

    fn send(
        &self,
        call: &'static str,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<crate::http::Reply, CommentError> {
        let headers = [(self.token_header, self.token.expose()), ("Accept", "application/json")];
        let body = body.map(Value::to_string);
        self.http.send(call, method, url, &headers, body.as_deref())
    }

    /// The ids of our notes, oldest first.
    pub fn find_ours(&self, marker: &str) -> Result<Vec<u64>, CommentError> {
        const CALL: &str = "GitLab list merge-request notes";
        let mut ours = Vec::new();
        let mut page: u64 = 1;
        for _ in 0..MAX_PAGES {
            let url = format!(
                "{}?sort=asc&order_by=created_at&per_page=100&page={page}",
                self.notes_url
            );
            let reply = self.send(CALL, Method::Get, &url, None)?;
            let notes: Value = serde_json::from_str(&reply.body).map_err(|_| CommentError::Response(CALL))?;
            for note in notes.as_array().ok_or(CommentError::Response(CALL))? {
                let body = note.get("body").and_then(Value::as_str).unwrap_or("");
                if note.get("system").and_then(Value::as_bool) != Some(true) && has_marker(body, marker) {
                    ours.push(
                        note.get("id")
                            .and_then(Value::as_u64)
                            .ok_or(CommentError::Response(CALL))?,
                    );
                }
            }
            match reply.next_page.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                None => return Ok(ours),
                Some(next) => {
                    let next: u64 = next.parse().map_err(|_| CommentError::Response(CALL))?;
                    if next <= page {
                        return Err(CommentError::Response(CALL));
                    }
                    page = next;
                }
            }
        }
        Err(CommentError::Response(CALL))
    }

    pub fn create(&self, body: &str) -> Result<u64, CommentError> {
        const CALL: &str = "GitLab create merge-request note";
        let reply = self.send(CALL, Method::Post, &self.notes_url, Some(&json!({ "body": body })))?;
        id_of(&reply.body, CALL)
    }

    pub fn update(&self, id: u64, body: &str) -> Result<u64, CommentError> {
        const CALL: &str = "GitLab update merge-request note";
        let url = format!("{}/{id}", self.notes_url);
        let reply = self.send(CALL, Method::Put, &url, Some(&json!({ "body": body })))?;
        id_of(&reply.body, CALL)
    }

    pub fn delete(&self, id: u64) -> Result<(), CommentError> {
        const CALL: &str = "GitLab delete merge-request note";
        let url = format!("{}/{id}", self.notes_url);
        self.send(CALL, Method::Delete, &url, None).map(|_| ())
    }

    pub fn post(&self, report_markdown: &str, marker: &str, behavior: Behavior) -> Result<Posted, CommentError> {
        behavior.check_platform(Platform::GitLab)?;
        let body = comment_body(report_markdown, marker, Platform::GitLab);
        if behavior == Behavior::New {
            return self.create(&body).map(|id| Posted::Created { id });
        }
        let ours = self.find_ours(marker)?;
        if behavior == Behavior::Update {
            if let Some(id) = ours.last() {
                return self.update(*id, &body).map(|id| Posted::Updated { id });
            }
        } else {
            for id in &ours {
                self.delete(*id)?;
            }
        }
        self.create(&body).map(|id| Posted::Created { id })
    }
}

fn id_of(body: &str, call: &'static str) -> Result<u64, CommentError> {
    let value: Value = serde_json::from_str(body).map_err(|_| CommentError::Response(call))?;
    value
        .get("id")
        .and_then(Value::as_u64)
        .ok_or(CommentError::Response(call))
}

/// What `planguard comment gitlab` does, flags and environment merged.
#[derive(Debug, Clone)]
pub struct Request {
    pub flags: crate::discover::Flags,
    /// `--gitlab-server-url`; `CI_SERVER_URL`, then gitlab.com, when absent.
    pub server_url: Option<String>,
    pub behavior: Behavior,
    pub tag: Option<String>,
    pub report_markdown: String,
}

pub fn run(request: Request, http: &Http, env: impl Fn(&str) -> Option<String>) -> Result<Outcome, CommentError> {
    request.behavior.check_platform(Platform::GitLab)?;
    let server_url = request
        .server_url
        .clone()
        .or_else(|| env("CI_SERVER_URL"))
        .unwrap_or_else(|| DEFAULT_SERVER_URL.to_string());
    // Discovery falls back to CI_JOB_TOKEN only when neither the flag nor GITLAB_TOKEN is set.
    let job_token = request.flags.token.is_none() && env("GITLAB_TOKEN").is_none() && env("CI_JOB_TOKEN").is_some();
    let target = match crate::discover::gitlab(request.flags, &env)? {
        crate::discover::Discovered::NotInPullRequest => return Ok(Outcome::NotInPullRequest),
        crate::discover::Discovered::Target(target) => target,
    };
    let mut client = GitLab::new(http, &server_url, &target.repository, target.number, target.token)?;
    if job_token {
        client = client.with_job_token();
    }
    let marker = crate::marker(request.tag.as_deref());
    client
        .post(&request.report_markdown, &marker, request.behavior)
        .map(Outcome::Posted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_paths_cannot_escape_the_url() {
        assert!(valid_project("group/sub.group/project-1"));
        for bad in ["project", "a//b", "../b", "a/b?x", "a/b#c", "/a/b"] {
            assert!(!valid_project(bad), "{bad}");
        }
    }
}
