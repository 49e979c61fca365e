//! The Azure Repos client against a fake Azure DevOps on 127.0.0.1 keeping threads in memory.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use planguard_comment::azure::AzureRepos;
use planguard_comment::github::Posted;
use planguard_comment::http::Http;
use planguard_comment::{marker, Behavior, CommentError, Secret};
use serde_json::{json, Value};
use support::{Answer, MockServer, Recorded};

const TOKEN: &str = "azdo-system-access-token-SECRET";
const THREADS: &str = "/org/proj/_apis/git/repositories/infra/pullRequests/9/threads";

#[derive(Default)]
struct State {
    /// (thread id, status, first comment content, comment deleted)
    threads: Vec<(u64, String, String, bool)>,
}

fn fake_azure(state: Arc<Mutex<State>>) -> MockServer {
    MockServer::start(move |request: &Recorded, _| {
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return Answer::json(401, "");
        }
        let mut state = state.lock().expect("lock");
        let (path, query) = request.target.split_once('?').unwrap_or((&request.target, ""));
        assert!(
            query.starts_with("api-version=7.1"),
            "api-version on every call: {query}"
        );
        let body = || serde_json::from_str::<Value>(&request.body).expect("json body");
        match (request.method.as_str(), path) {
            ("GET", THREADS) => {
                // Two pages: the first thread, then the rest after a continuation token.
                let second = query.contains("continuationToken=next%2Fpage");
                let items: Vec<Value> = state
                    .threads
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (*i == 0) != second)
                    .map(|(_, (id, status, content, deleted))| {
                        json!({"id": id, "status": status, "comments": [{"id": 1, "content": content, "isDeleted": deleted}]})
                    })
                    .collect();
                let answer = Answer::json(200, json!({"value": items, "count": items.len()}).to_string());
                if second || state.threads.len() < 2 {
                    answer
                } else {
                    answer.with_header("x-ms-continuationtoken", "next/page")
                }
            }
            ("POST", THREADS) => {
                let body = body();
                let id = 100 + state.threads.len() as u64;
                let content = body["comments"][0]["content"].as_str().expect("content").to_string();
                state
                    .threads
                    .push((id, body["status"].as_str().expect("status").into(), content, false));
                Answer::json(200, json!({"id": id}).to_string())
            }
            (method, p) if p.starts_with(THREADS) => {
                let rest: Vec<&str> = p[THREADS.len() + 1..].split('/').collect();
                let id: u64 = rest[0].parse().expect("thread id");
                let Some(thread) = state.threads.iter_mut().find(|t| t.0 == id) else {
                    return Answer::json(404, "{}");
                };
                match (method, rest.as_slice()) {
                    ("PATCH", [_]) => thread.1 = body()["status"].as_str().expect("status").into(),
                    ("PATCH", [_, "comments", "1"]) => thread.2 = body()["content"].as_str().expect("content").into(),
                    ("DELETE", [_, "comments", "1"]) => thread.3 = true,
                    _ => return Answer::json(404, "{}"),
                }
                Answer::json(200, json!({"id": id}).to_string())
            }
            _ => Answer::json(404, "{}"),
        }
    })
}

fn post(server: &MockServer, token: &str, report: &str, behavior: Behavior) -> Result<Posted, CommentError> {
    let http = Http::without_proxy(Duration::from_millis(1));
    let url = format!("{}/org/proj/_git/infra", server.url);
    let client = AzureRepos::new(&http, &url, 9, Secret::new(token))?;
    client.post(
        report,
        &marker(None),
        behavior,
        planguard_comment::azure::markdown_verdict(report),
    )
}

#[test]
fn creates_a_thread_with_the_verdicts_status_then_updates_it_in_place() {
    let state = Arc::new(Mutex::new(State::default()));
    state
        .lock()
        .expect("lock")
        .threads
        .push((7, "active".into(), "a reviewer".into(), false));
    let server = fake_azure(Arc::clone(&state));
    let failing = "## ❌ planguard: FAIL\n";
    assert_eq!(
        post(&server, TOKEN, failing, Behavior::Update),
        Ok(Posted::Created { id: 101 })
    );
    let requests = server.requests();
    let create = requests.last().expect("create");
    assert_eq!(
        (create.method.as_str(), create.target.as_str()),
        ("POST", &*format!("{THREADS}?api-version=7.1"))
    );
    assert_eq!(create.header("accept"), Some("application/json"));
    assert_eq!(
        serde_json::from_str::<Value>(&create.body).expect("json"),
        json!({"comments": [{"parentCommentId": 0, "content": format!("<!-- planguard-comment: default -->\n{failing}"), "commentType": "text"}], "status": "active"})
    );

    assert_eq!(
        post(&server, TOKEN, "## ✅ planguard: PASS\n", Behavior::Update),
        Ok(Posted::Updated { id: 101 })
    );
    let targets: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.target))
        .collect();
    assert_eq!(
        targets[targets.len() - 4..],
        [
            format!("GET {THREADS}?api-version=7.1"),
            format!("GET {THREADS}?api-version=7.1&continuationToken=next%2Fpage"),
            format!("PATCH {THREADS}/101/comments/1?api-version=7.1"),
            format!("PATCH {THREADS}/101?api-version=7.1"),
        ]
    );
    let state = state.lock().expect("lock");
    assert_eq!(state.threads.len(), 2);
    assert_eq!(state.threads[1].1, "fixed", "a pass resolves the thread");
    assert!(state.threads[1].2.ends_with("planguard: PASS\n"));
}

#[test]
fn delete_and_new_deletes_our_comment_and_adds_a_thread() {
    let state = Arc::new(Mutex::new(State::default()));
    let server = fake_azure(Arc::clone(&state));
    post(&server, TOKEN, "first", Behavior::Update).expect("first");
    post(&server, TOKEN, "second", Behavior::DeleteAndNew).expect("second");
    let state = state.lock().expect("lock");
    assert_eq!(state.threads.len(), 2);
    assert!(state.threads[0].3, "old comment deleted");
    assert_eq!(state.threads[1].1, "active", "no verdict heading: unknown stays active");
}

#[test]
fn hide_and_new_is_refused_and_a_401_names_the_call() {
    let server = fake_azure(Arc::new(Mutex::new(State::default())));
    assert_eq!(
        post(&server, TOKEN, "r", Behavior::HideAndNew),
        Err(CommentError::HideOnlyOnGitHub)
    );
    let error = post(&server, "wrong-azure-token", "r", Behavior::Update).expect_err("401");
    assert_eq!(
        error.to_string(),
        "Azure DevOps list pull-request threads: HTTP 401: (empty body)"
    );
    assert!(!format!("{error} {error:?}").contains("wrong-azure-token"));
    assert_eq!(
        server.requests().len(),
        1,
        "hide-and-new sent nothing; a 401 is not retried"
    );
}

#[test]
fn the_status_sent_follows_each_runs_verdict_exactly() {
    let state = Arc::new(Mutex::new(State::default()));
    let server = fake_azure(Arc::clone(&state));
    let runs = [
        ("## ❌ planguard: FAIL\n", Behavior::Update, "POST", "active"),
        ("## ✅ planguard: PASS\n", Behavior::Update, "PATCH", "fixed"),
        ("## ⚠️ planguard: WARN\n", Behavior::Update, "PATCH", "fixed"),
        ("## ❌ planguard: FAIL\n", Behavior::Update, "PATCH", "active"),
        (
            "## ✅ planguard: PASS\n---\n## ❌ planguard: FAIL\n",
            Behavior::Update,
            "PATCH",
            "active",
        ),
        ("## ✅ planguard: PASS\n", Behavior::New, "POST", "fixed"),
        ("no verdict heading", Behavior::DeleteAndNew, "POST", "active"),
    ];
    for (report, behavior, method, status) in runs {
        post(&server, TOKEN, report, behavior).expect("posted");
        let requests = server.requests();
        let last = requests.last().expect("a request");
        assert_eq!(last.method, method, "{report}");
        let body: Value = serde_json::from_str(&last.body).expect("json");
        if method == "PATCH" {
            // The status is its own call, after the content's.
            assert_eq!(body, json!({"status": status}), "{report}");
            let content = &requests[requests.len() - 2];
            assert_eq!(content.method, "PATCH");
            assert!(content.target.contains("/comments/1?"), "{}", content.target);
        } else {
            assert_eq!(body["status"], status, "{report}");
        }
    }
}
