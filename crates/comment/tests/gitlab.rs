//! The GitLab client against a fake GitLab on 127.0.0.1 keeping notes in memory.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use planguard_comment::github::Posted;
use planguard_comment::gitlab::GitLab;
use planguard_comment::http::Http;
use planguard_comment::{marker, Behavior, CommentError, Secret};
use serde_json::{json, Value};
use support::{Answer, MockServer, Recorded};

const TOKEN: &str = "glpat-SECRET-gitlab-token-99";
const NOTES: &str = "/api/v4/projects/group%2Fsub%2Finfra/merge_requests/3/notes";
const PAGE: usize = 2;

/// (id, body, system note)
type Notes = Arc<Mutex<Vec<(u64, String, bool)>>>;

fn fake_gitlab(notes: Notes) -> MockServer {
    MockServer::start(move |request: &Recorded, _| {
        if request.header("private-token") != Some(TOKEN) {
            return Answer::json(401, r#"{"message":"401 Unauthorized"}"#);
        }
        let mut notes = notes.lock().expect("lock");
        let (path, query) = request.target.split_once('?').unwrap_or((&request.target, ""));
        let text = || {
            serde_json::from_str::<Value>(&request.body).expect("json")["body"]
                .as_str()
                .expect("body")
                .to_string()
        };
        match (request.method.as_str(), path) {
            ("GET", NOTES) => {
                let page: usize = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("page="))
                    .expect("page")
                    .parse()
                    .expect("n");
                let items: Vec<Value> = notes
                    .iter()
                    .skip((page - 1) * PAGE)
                    .take(PAGE)
                    .map(|(id, body, system)| json!({"id": id, "body": body, "system": system}))
                    .collect();
                let next = if page * PAGE < notes.len() {
                    (page + 1).to_string()
                } else {
                    String::new()
                };
                Answer::json(200, Value::Array(items).to_string()).with_header("X-Next-Page", &next)
            }
            ("POST", NOTES) => {
                let id = 500 + notes.len() as u64;
                notes.push((id, text(), false));
                Answer::json(201, json!({"id": id}).to_string())
            }
            (method, p) if p.starts_with(NOTES) => {
                let id: u64 = p[NOTES.len() + 1..].parse().expect("id");
                let Some(index) = notes.iter().position(|n| n.0 == id) else {
                    return Answer::json(404, "{}");
                };
                match method {
                    "PUT" => notes[index].1 = text(),
                    "DELETE" => {
                        notes.remove(index);
                        return Answer::json(204, "");
                    }
                    _ => return Answer::json(405, "{}"),
                }
                Answer::json(200, json!({"id": id}).to_string())
            }
            _ => Answer::json(404, "{}"),
        }
    })
}

fn post(server: &MockServer, token: &str, report: &str, behavior: Behavior) -> Result<Posted, CommentError> {
    let http = Http::without_proxy(Duration::from_millis(1));
    let client = GitLab::new(&http, &server.url, "group/sub/infra", 3, Secret::new(token))?;
    client.post(report, &marker(Some("prod")), behavior)
}

fn with_others() -> Notes {
    // A system note that quotes our marker must not be taken for ours.
    let quoted = format!("{}\nchanged the description", marker(Some("prod")));
    Arc::new(Mutex::new(vec![
        (1, "looks good".into(), false),
        (2, quoted, true),
        (3, "nit".into(), false),
    ]))
}

#[test]
fn paginates_then_creates_and_updates_in_place() {
    let notes = with_others();
    let server = fake_gitlab(Arc::clone(&notes));
    assert_eq!(
        post(&server, TOKEN, "one", Behavior::Update),
        Ok(Posted::Created { id: 503 })
    );
    let targets: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(
        targets,
        [
            format!("GET {NOTES}?sort=asc&order_by=created_at&per_page=100&page=1"),
            format!("GET {NOTES}?sort=asc&order_by=created_at&per_page=100&page=2"),
            format!("POST {NOTES}"),
        ]
    );
    for request in server.requests() {
        assert_eq!(request.header("accept"), Some("application/json"));
        assert!(request.header("authorization").is_none());
    }
    assert_eq!(
        post(&server, TOKEN, "two", Behavior::Update),
        Ok(Posted::Updated { id: 503 })
    );
    let last = server.requests().pop().expect("request");
    assert_eq!(
        (last.method.as_str(), last.target.as_str()),
        ("PUT", &*format!("{NOTES}/503"))
    );
    let notes = notes.lock().expect("lock");
    assert_eq!(notes.len(), 4);
    assert_eq!(notes[3].1, "<!-- planguard-comment: prod -->\ntwo");
}

#[test]
fn delete_and_new_replaces_ours() {
    let notes = with_others();
    let server = fake_gitlab(Arc::clone(&notes));
    post(&server, TOKEN, "one", Behavior::Update).expect("first");
    notes.lock().expect("lock").push((9, "later".into(), false));
    post(&server, TOKEN, "two", Behavior::DeleteAndNew).expect("second");
    let bodies: Vec<String> = notes.lock().expect("lock").iter().map(|n| n.1.clone()).collect();
    assert_eq!(
        bodies[bodies.len() - 2..],
        ["later".to_string(), "<!-- planguard-comment: prod -->\ntwo".to_string()]
    );
    assert_eq!(bodies.len(), 5);
}

#[test]
fn a_401_names_the_call_without_the_token_and_hide_is_refused() {
    let server = fake_gitlab(with_others());
    let error = post(&server, "glpat-wrong-secret", "r", Behavior::Update).expect_err("401");
    assert_eq!(
        error.to_string(),
        "GitLab list merge-request notes: HTTP 401: {\"message\":\"401 Unauthorized\"}"
    );
    assert!(!format!("{error} {error:?}").contains("glpat-wrong-secret"));
    assert_eq!(
        post(&server, TOKEN, "r", Behavior::HideAndNew),
        Err(CommentError::HideOnlyOnGitHub)
    );
    assert_eq!(server.requests().len(), 1);
}
