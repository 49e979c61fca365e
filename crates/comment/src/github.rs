//! GitHub: the pull request's issue comments (REST), and `minimizeComment` (GraphQL) for
//! hide-and-new. Works with GitHub Enterprise Server through another API URL.

use serde_json::{json, Value};

use crate::http::{Http, Method};
use crate::{comment_body, has_marker, Behavior, CommentError, Platform, Secret};

/// Pages followed at most: 100 comments a page, far more than any pull request has.
const MAX_PAGES: usize = 1000;

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    Created { id: u64 },
    Updated { id: u64 },
}

/// An existing comment of ours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: u64,
    pub node_id: String,
}

pub struct GitHub<'a> {
    http: &'a Http,
    api_url: String,
    repository: String,
    pull_request: u64,
    token: Secret,
}

/// `OWNER/NAME` with GitHub's name characters only, so it cannot change the request path.
fn valid_repository(repository: &str) -> bool {
    let name_ok = |part: &str| {
        !part.is_empty()
            && part != "."
            && part != ".."
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(repository.split_once('/'), Some((owner, name)) if name_ok(owner) && name_ok(name))
}

impl<'a> GitHub<'a> {
    pub fn new(
        http: &'a Http,
        api_url: &str,
        repository: &str,
        pull_request: u64,
        token: Secret,
    ) -> Result<Self, CommentError> {
        if !valid_repository(repository) {
            return Err(CommentError::GitHubRepo);
        }
        let api_url = api_url.trim_end_matches('/');
        if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
            return Err(CommentError::ApiUrl("--github-api-url"));
        }
        Ok(GitHub {
            http,
            api_url: api_url.to_string(),
            repository: repository.to_string(),
            pull_request,
            token,
        })
    }

    /// GitHub.com serves GraphQL at `/graphql`; Enterprise Server's REST is `/api/v3`, its GraphQL `/api/graphql`.
    fn graphql_url(&self) -> String {
        match self.api_url.strip_suffix("/api/v3") {
            Some(host) => format!("{host}/api/graphql"),
            None => format!("{}/graphql", self.api_url),
        }
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
            ("Accept", "application/vnd.github+json"),
            ("X-GitHub-Api-Version", "2022-11-28"),
        ];
        let body = body.map(Value::to_string);
        self.http.send(call, method, url, &headers, body.as_deref())
    }

    /// Every comment of ours on the pull request, oldest first.
    pub fn find_ours(&self, marker: &str) -> Result<Vec<Found>, CommentError> {
        const CALL: &str = "GitHub list issue comments";
        let mut url = format!(
            "{}/repos/{}/issues/{}/comments?per_page=100",
            self.api_url, self.repository, self.pull_request
        );
        let mut ours = Vec::new();
        for _ in 0..MAX_PAGES {
            let reply = self.send(CALL, Method::Get, &url, None)?;
            let page: Value = serde_json::from_str(&reply.body).map_err(|_| CommentError::Response(CALL))?;
            let comments = page.as_array().ok_or(CommentError::Response(CALL))?;
            for comment in comments {
                let body = comment.get("body").and_then(Value::as_str).unwrap_or("");
                if has_marker(body, marker) {
                    let id = comment
                        .get("id")
                        .and_then(Value::as_u64)
                        .ok_or(CommentError::Response(CALL))?;
                    let node_id = comment.get("node_id").and_then(Value::as_str).unwrap_or("").to_string();
                    ours.push(Found { id, node_id });
                }
            }
            match reply.link.as_deref().and_then(next_link) {
                // The token goes with every request: never follow a link to another server.
                Some(next) if next.starts_with(&format!("{}/", self.api_url)) => url = next,
                Some(_) => return Err(CommentError::Response(CALL)),
                None => return Ok(ours),
            }
        }
        Err(CommentError::Response(CALL))
    }

    pub fn create(&self, body: &str) -> Result<u64, CommentError> {
        const CALL: &str = "GitHub create issue comment";
        let url = format!(
            "{}/repos/{}/issues/{}/comments",
            self.api_url, self.repository, self.pull_request
        );
        let reply = self.send(CALL, Method::Post, &url, Some(&json!({ "body": body })))?;
        comment_id(&reply.body, CALL)
    }

    pub fn update(&self, id: u64, body: &str) -> Result<u64, CommentError> {
        const CALL: &str = "GitHub update issue comment";
        let url = format!("{}/repos/{}/issues/comments/{id}", self.api_url, self.repository);
        let reply = self.send(CALL, Method::Patch, &url, Some(&json!({ "body": body })))?;
        comment_id(&reply.body, CALL)
    }

    pub fn delete(&self, id: u64) -> Result<(), CommentError> {
        const CALL: &str = "GitHub delete issue comment";
        let url = format!("{}/repos/{}/issues/comments/{id}", self.api_url, self.repository);
        self.send(CALL, Method::Delete, &url, None).map(|_| ())
    }

    /// Folds an old comment away as outdated. GraphQL reports failures in a 200 body.
    pub fn minimize(&self, node_id: &str) -> Result<(), CommentError> {
        const CALL: &str = "GitHub GraphQL minimizeComment";
        let query = "mutation($id: ID!) { minimizeComment(input: {subjectId: $id, classifier: OUTDATED}) { minimizedComment { isMinimized } } }";
        let request = json!({ "query": query, "variables": { "id": node_id } });
        let reply = self.send(CALL, Method::Post, &self.graphql_url(), Some(&request))?;
        let answer: Value = serde_json::from_str(&reply.body).map_err(|_| CommentError::Response(CALL))?;
        if answer.get("errors").is_some_and(|e| !e.is_null()) {
            return Err(CommentError::GraphQl(CALL));
        }
        Ok(())
    }

    /// Posts the report following the behaviour; `report_markdown` is cut to GitHub's limit.
    pub fn post(&self, report_markdown: &str, marker: &str, behavior: Behavior) -> Result<Posted, CommentError> {
        let body = comment_body(report_markdown, marker, Platform::GitHub);
        if behavior == Behavior::New {
            return self.create(&body).map(|id| Posted::Created { id });
        }
        let ours = self.find_ours(marker)?;
        match behavior {
            Behavior::Update => match ours.last() {
                // The newest is the one a reader sees; older copies (from `new` runs) stay as they were.
                Some(found) => self.update(found.id, &body).map(|id| Posted::Updated { id }),
                None => self.create(&body).map(|id| Posted::Created { id }),
            },
            Behavior::DeleteAndNew => {
                for found in &ours {
                    self.delete(found.id)?;
                }
                self.create(&body).map(|id| Posted::Created { id })
            }
            Behavior::HideAndNew => {
                for found in &ours {
                    if found.node_id.is_empty() {
                        return Err(CommentError::Response("GitHub list issue comments"));
                    }
                    self.minimize(&found.node_id)?;
                }
                self.create(&body).map(|id| Posted::Created { id })
            }
            Behavior::New => self.create(&body).map(|id| Posted::Created { id }),
        }
    }
}

fn comment_id(body: &str, call: &'static str) -> Result<u64, CommentError> {
    let value: Value = serde_json::from_str(body).map_err(|_| CommentError::Response(call))?;
    value
        .get("id")
        .and_then(Value::as_u64)
        .ok_or(CommentError::Response(call))
}

/// The `rel="next"` URL of a `Link` header (RFC 8288).
fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| matches!(p.trim().replace(' ', "").as_str(), "rel=\"next\"" | "rel=next"));
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_link_is_found_among_others() {
        let header = r#"<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last""#;
        assert_eq!(next_link(header).as_deref(), Some("https://api.github.com/x?page=3"));
        assert_eq!(next_link(r#"<https://a/x?page=1>; rel="prev""#), None);
    }

    #[test]
    fn repository_names_cannot_escape_the_path() {
        assert!(valid_repository("octo-org/my.repo_1"));
        for bad in ["octo", "a/b/c", "../x", "a/..", "a/b?x=1", "/b", "a/"] {
            assert!(!valid_repository(bad), "{bad}");
        }
    }
}

/// What `planguard comment github` does, flags and environment merged.
#[derive(Debug, Clone)]
pub struct Request {
    pub flags: crate::discover::Flags,
    /// `--github-api-url`; `GITHUB_API_URL` (set by Actions, also on Enterprise) when absent.
    pub api_url: Option<String>,
    pub behavior: Behavior,
    pub tag: Option<String>,
    pub report_markdown: String,
}

/// The result of a run; outside a pull request nothing is posted and that is not an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    NotInPullRequest,
    Posted(Posted),
}

pub const DEFAULT_API_URL: &str = "https://api.github.com";

/// Discovers the target, then posts following the behaviour.
pub fn run(
    request: Request,
    http: &Http,
    env: impl Fn(&str) -> Option<String>,
    read_file: impl Fn(&str) -> Option<String>,
) -> Result<Outcome, CommentError> {
    request.behavior.check_platform(Platform::GitHub)?;
    let api_url = request
        .api_url
        .clone()
        .or_else(|| env("GITHUB_API_URL"))
        .unwrap_or_else(|| DEFAULT_API_URL.to_string());
    let target = match crate::discover::github(request.flags, &env, read_file)? {
        crate::discover::Discovered::NotInPullRequest => return Ok(Outcome::NotInPullRequest),
        crate::discover::Discovered::Target(target) => target,
    };
    let client = GitHub::new(http, &api_url, &target.repository, target.number, target.token)?;
    let marker = crate::marker(request.tag.as_deref());
    client
        .post(&request.report_markdown, &marker, request.behavior)
        .map(Outcome::Posted)
}
