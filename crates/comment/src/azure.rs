//! Azure Repos: pull-request threads (api-version 7.1, bearer token), on Azure DevOps Services
//! and on-premises Server. The thread's status shows the verdict.

use serde_json::{json, Value};

use crate::github::Posted;
use crate::http::{Http, Method};
use crate::{azure_thread_status, comment_body, has_marker, AzureRepo, Behavior, CommentError, Platform, Secret};

const MAX_PAGES: usize = 1000;

/// Our thread and its first comment, which carries the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub thread_id: u64,
    pub comment_id: u64,
}

pub struct AzureRepos<'a> {
    http: &'a Http,
    repo: AzureRepo,
    pull_request: u64,
    token: Secret,
}

/// The verdict of one or more combined Markdown reports, from their `## … planguard: VERDICT`
/// headings: `fail` when any fails, `pass` when all pass or warn, `None` when there is none to read.
pub fn markdown_verdict(markdown: &str) -> Option<&'static str> {
    let verdicts: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("## "))
        .filter_map(|line| line.rsplit_once("planguard: ").map(|(_, v)| v.trim()))
        .collect();
    if verdicts.is_empty() || verdicts.iter().any(|v| !matches!(*v, "PASS" | "WARN" | "FAIL")) {
        return None;
    }
    if verdicts.contains(&"FAIL") {
        Some("fail")
    } else {
        Some("pass")
    }
}

impl<'a> AzureRepos<'a> {
    pub fn new(http: &'a Http, repo_url: &str, pull_request: u64, token: Secret) -> Result<Self, CommentError> {
        Ok(AzureRepos {
            http,
            repo: AzureRepo::parse(repo_url)?,
            pull_request,
            token,
        })
    }

    fn threads(&self) -> String {
        format!(
            "{}/_apis/git/repositories/{}/pullRequests/{}/threads",
            self.repo.project_url, self.repo.repository, self.pull_request
        )
    }

    fn send(
        &self,
        call: &'static str,
        method: Method,
        url: &str,
        body: Option<&Value>,
    ) -> Result<crate::http::Reply, CommentError> {
        let authorization = format!("Bearer {}", self.token.expose());
        let headers = [
            ("Authorization", authorization.as_str()),
            ("Accept", "application/json"),
        ];
        let body = body.map(Value::to_string);
        self.http.send(call, method, url, &headers, body.as_deref())
    }

    /// Our live threads, oldest first.
    pub fn find_ours(&self, marker: &str) -> Result<Vec<Found>, CommentError> {
        const CALL: &str = "Azure DevOps list pull-request threads";
        let mut ours = Vec::new();
        let mut continuation: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut url = format!("{}?api-version=7.1", self.threads());
            if let Some(token) = &continuation {
                url.push_str("&continuationToken=");
                url.push_str(&percent_encode(token));
            }
            let reply = self.send(CALL, Method::Get, &url, None)?;
            let page: Value = serde_json::from_str(&reply.body).map_err(|_| CommentError::Response(CALL))?;
            let threads = page
                .get("value")
                .and_then(Value::as_array)
                .ok_or(CommentError::Response(CALL))?;
            for thread in threads {
                if thread.get("isDeleted").and_then(Value::as_bool) == Some(true) {
                    continue;
                }
                let Some(first) = thread.get("comments").and_then(Value::as_array).and_then(|c| c.first()) else {
                    continue;
                };
                let deleted = first.get("isDeleted").and_then(Value::as_bool) == Some(true);
                let content = first.get("content").and_then(Value::as_str).unwrap_or("");
                if !deleted && has_marker(content, marker) {
                    let thread_id = thread
                        .get("id")
                        .and_then(Value::as_u64)
                        .ok_or(CommentError::Response(CALL))?;
                    let comment_id = first
                        .get("id")
                        .and_then(Value::as_u64)
                        .ok_or(CommentError::Response(CALL))?;
                    ours.push(Found { thread_id, comment_id });
                }
            }
            match reply.continuation.filter(|t| !t.is_empty()) {
                Some(token) => continuation = Some(token),
                None => return Ok(ours),
            }
        }
        Err(CommentError::Response(CALL))
    }

    pub fn create(&self, body: &str, status: &str) -> Result<u64, CommentError> {
        const CALL: &str = "Azure DevOps create pull-request thread";
        let request = json!({
            "comments": [{ "parentCommentId": 0, "content": body, "commentType": "text" }],
            "status": status,
        });
        let url = format!("{}?api-version=7.1", self.threads());
        let reply = self.send(CALL, Method::Post, &url, Some(&request))?;
        id_of(&reply.body, CALL)
    }

    pub fn update(&self, found: &Found, body: &str, status: &str) -> Result<u64, CommentError> {
        const CALL: &str = "Azure DevOps update thread comment";
        let url = format!(
            "{}/{}/comments/{}?api-version=7.1",
            self.threads(),
            found.thread_id,
            found.comment_id
        );
        self.send(CALL, Method::Patch, &url, Some(&json!({ "content": body })))?;
        const STATUS_CALL: &str = "Azure DevOps update thread status";
        let url = format!("{}/{}?api-version=7.1", self.threads(), found.thread_id);
        self.send(STATUS_CALL, Method::Patch, &url, Some(&json!({ "status": status })))?;
        Ok(found.thread_id)
    }

    /// Threads cannot be deleted; deleting their only comment removes them from the page.
    pub fn delete(&self, found: &Found) -> Result<(), CommentError> {
        const CALL: &str = "Azure DevOps delete thread comment";
        let url = format!(
            "{}/{}/comments/{}?api-version=7.1",
            self.threads(),
            found.thread_id,
            found.comment_id
        );
        self.send(CALL, Method::Delete, &url, None).map(|_| ())
    }

    /// Posts the report; `verdict` (`pass`, `warn`, `fail`, or unknown) sets the thread status.
    pub fn post(
        &self,
        report_markdown: &str,
        marker: &str,
        behavior: Behavior,
        verdict: Option<&str>,
    ) -> Result<Posted, CommentError> {
        behavior.check_platform(Platform::AzureRepos)?;
        let body = comment_body(report_markdown, marker, Platform::AzureRepos);
        let status = azure_thread_status(verdict);
        if behavior == Behavior::New {
            return self.create(&body, status).map(|id| Posted::Created { id });
        }
        let ours = self.find_ours(marker)?;
        if behavior == Behavior::Update {
            if let Some(found) = ours.last() {
                return self.update(found, &body, status).map(|id| Posted::Updated { id });
            }
        } else {
            for found in &ours {
                self.delete(found)?;
            }
        }
        self.create(&body, status).map(|id| Posted::Created { id })
    }
}

fn id_of(body: &str, call: &'static str) -> Result<u64, CommentError> {
    let value: Value = serde_json::from_str(body).map_err(|_| CommentError::Response(call))?;
    value
        .get("id")
        .and_then(Value::as_u64)
        .ok_or(CommentError::Response(call))
}

/// Continuation tokens are opaque: encode everything but unreserved characters.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What `planguard comment azure-repos` does, flags and environment merged.
#[derive(Debug, Clone)]
pub struct Request {
    pub flags: crate::discover::Flags,
    pub behavior: Behavior,
    pub tag: Option<String>,
    pub report_markdown: String,
}

/// Discovers the target, then posts with the status the reports' verdict gives.
pub fn run(
    request: Request,
    http: &Http,
    env: impl Fn(&str) -> Option<String>,
) -> Result<crate::github::Outcome, CommentError> {
    request.behavior.check_platform(Platform::AzureRepos)?;
    let target = match crate::discover::azure_repos(request.flags, env)? {
        crate::discover::Discovered::NotInPullRequest => return Ok(crate::github::Outcome::NotInPullRequest),
        crate::discover::Discovered::Target(target) => target,
    };
    let client = AzureRepos::new(http, &target.repository, target.number, target.token)?;
    let marker = crate::marker(request.tag.as_deref());
    let verdict = markdown_verdict(&request.report_markdown);
    client
        .post(&request.report_markdown, &marker, request.behavior, verdict)
        .map(crate::github::Outcome::Posted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combined_verdicts_fail_when_any_fails_and_unknown_when_unreadable() {
        assert_eq!(markdown_verdict("## ✅ planguard: PASS\n"), Some("pass"));
        assert_eq!(
            markdown_verdict("## ✅ planguard: PASS\n---\n## ⚠️ planguard: WARN"),
            Some("pass")
        );
        assert_eq!(
            markdown_verdict("## ✅ planguard: PASS\n## ❌ planguard: FAIL"),
            Some("fail")
        );
        assert_eq!(markdown_verdict("just text"), None);
        assert_eq!(markdown_verdict("## ✅ planguard: PASS\n## x planguard: MAYBE"), None);
    }
}
