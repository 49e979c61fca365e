//! The GitHub client against a fake GitHub on 127.0.0.1 that keeps comments in memory.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use planguard_comment::github::{GitHub, Posted};
use planguard_comment::http::Http;
use planguard_comment::{marker, Behavior, CommentError, Secret};
use serde_json::{json, Value};
use support::{Answer, MockServer, Recorded};

const TOKEN: &str = "ghp_TESTTOKEN_must_never_show_123";
const PAGE: usize = 2;

#[derive(Default)]
struct State {
    /// (id, node_id, body, minimized)
    comments: Vec<(u64, String, String, bool)>,
    next_id: u64,
    /// Statuses (and Retry-After) to answer before serving normally.
    failures: Vec<(u16, Option<&'static str>)>,
    /// Whole answers (status, headers, body) to give before serving normally.
    canned: Vec<Answer>,
}

fn fake_github(state: Arc<Mutex<State>>) -> MockServer {
    MockServer::start(move |request: &Recorded, base: &str| {
        let mut state = state.lock().expect("lock");
        if !state.canned.is_empty() {
            return state.canned.remove(0);
        }
        if !state.failures.is_empty() {
            let (status, retry_after) = state.failures.remove(0);
            let answer = Answer::json(status, r#"{"message":"slow down"}"#);
            return match retry_after {
                Some(seconds) => answer.with_header("Retry-After", seconds),
                None => answer,
            };
        }
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return Answer::json(401, r#"{"message":"Bad credentials"}"#);
        }
        let list = "/repos/octo/infra/issues/7/comments";
        let (path, query) = request.target.split_once('?').unwrap_or((&request.target, ""));
        match (request.method.as_str(), path) {
            ("GET", p) if p == list => {
                let page: usize = query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix("page="))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                let items: Vec<Value> = state
                    .comments
                    .iter()
                    .skip((page - 1) * PAGE)
                    .take(PAGE)
                    .map(|(id, node, body, _)| json!({"id": id, "node_id": node, "body": body}))
                    .collect();
                let mut answer = Answer::json(200, Value::Array(items).to_string());
                if page * PAGE < state.comments.len() {
                    let next = format!("<{base}{list}?per_page=100&page={}>; rel=\"next\"", page + 1);
                    answer = answer.with_header("Link", &next);
                }
                answer
            }
            ("POST", p) if p == list => {
                let body: Value = serde_json::from_str(&request.body).expect("json body");
                state.next_id += 1;
                let id = state.next_id;
                let text = body["body"].as_str().expect("body field").to_string();
                state.comments.push((id, format!("IC_{id}"), text, false));
                Answer::json(201, json!({"id": id}).to_string())
            }
            ("PATCH", p) | ("DELETE", p) if p.starts_with("/repos/octo/infra/issues/comments/") => {
                let id: u64 = p.rsplit('/').next().and_then(|v| v.parse().ok()).expect("id");
                let Some(index) = state.comments.iter().position(|c| c.0 == id) else {
                    return Answer::json(404, r#"{"message":"Not Found"}"#);
                };
                if request.method == "DELETE" {
                    state.comments.remove(index);
                    return Answer::json(204, "");
                }
                let body: Value = serde_json::from_str(&request.body).expect("json body");
                state.comments[index].2 = body["body"].as_str().expect("body").to_string();
                Answer::json(200, json!({"id": id}).to_string())
            }
            ("POST", "/graphql") => {
                let body: Value = serde_json::from_str(&request.body).expect("json body");
                let node = body["variables"]["id"].as_str().expect("id");
                match state.comments.iter_mut().find(|c| c.1 == node) {
                    Some(comment) => {
                        comment.3 = true;
                        Answer::json(
                            200,
                            r#"{"data":{"minimizeComment":{"minimizedComment":{"isMinimized":true}}}}"#,
                        )
                    }
                    None => Answer::json(200, r#"{"errors":[{"message":"not found"}]}"#),
                }
            }
            _ => Answer::json(404, r#"{"message":"Not Found"}"#),
        }
    })
}

fn with_others(count: usize) -> Arc<Mutex<State>> {
    let mut state = State::default();
    for n in 0..count {
        state.next_id += 1;
        let id = state.next_id;
        state
            .comments
            .push((id, format!("IC_{id}"), format!("a reviewer's comment {n}"), false));
    }
    Arc::new(Mutex::new(state))
}

fn http() -> Http {
    Http::without_proxy(Duration::from_millis(1))
}

fn post(server: &MockServer, report: &str, behavior: Behavior) -> Result<Posted, CommentError> {
    let http = http();
    let client = GitHub::new(&http, &server.url, "octo/infra", 7, Secret::new(TOKEN))?;
    client.post(report, &marker(None), behavior)
}

#[test]
fn first_run_creates_with_exact_requests_then_second_run_updates_in_place() {
    let state = with_others(3);
    let server = fake_github(Arc::clone(&state));
    assert_eq!(
        post(&server, "# Report one", Behavior::Update),
        Ok(Posted::Created { id: 4 })
    );
    let requests = server.requests();
    let summary: Vec<(String, String)> = requests.iter().map(|r| (r.method.clone(), r.target.clone())).collect();
    assert_eq!(
        summary,
        vec![
            ("GET".into(), "/repos/octo/infra/issues/7/comments?per_page=100".into()),
            (
                "GET".into(),
                "/repos/octo/infra/issues/7/comments?per_page=100&page=2".into()
            ),
            ("POST".into(), "/repos/octo/infra/issues/7/comments".into()),
        ]
    );
    for request in &requests {
        assert_eq!(
            request.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(request.header("accept"), Some("application/vnd.github+json"));
        assert_eq!(request.header("x-github-api-version"), Some("2022-11-28"));
        assert!(request
            .header("user-agent")
            .is_some_and(|ua| ua.starts_with("planguard/")));
    }
    let created: Value = serde_json::from_str(&requests[2].body).expect("json");
    assert_eq!(
        created,
        json!({"body": "<!-- planguard-comment: default -->\n# Report one"})
    );
    assert_eq!(requests[2].header("content-type"), Some("application/json"));

    assert_eq!(
        post(&server, "# Report two", Behavior::Update),
        Ok(Posted::Updated { id: 4 })
    );
    let requests = server.requests();
    let last = requests.last().expect("a request");
    assert_eq!(
        (last.method.as_str(), last.target.as_str()),
        ("PATCH", "/repos/octo/infra/issues/comments/4")
    );
    let state = state.lock().expect("lock");
    assert_eq!(state.comments.len(), 4, "updated in place, no second comment");
    assert_eq!(state.comments[3].2, "<!-- planguard-comment: default -->\n# Report two");
    assert_eq!(state.comments[0].2, "a reviewer's comment 0", "others untouched");
}

#[test]
fn new_always_adds_without_listing() {
    let state = with_others(1);
    let server = fake_github(Arc::clone(&state));
    post(&server, "one", Behavior::New).expect("first");
    post(&server, "two", Behavior::New).expect("second");
    assert!(server.requests().iter().all(|r| r.method == "POST"));
    assert_eq!(state.lock().expect("lock").comments.len(), 3);
}

#[test]
fn delete_and_new_leaves_ours_as_the_newest() {
    let state = with_others(1);
    let server = fake_github(Arc::clone(&state));
    post(&server, "old", Behavior::Update).expect("first");
    state
        .lock()
        .expect("lock")
        .comments
        .push((50, "IC_50".into(), "later reviewer".into(), false));
    state.lock().expect("lock").next_id = 50;
    assert_eq!(
        post(&server, "new", Behavior::DeleteAndNew),
        Ok(Posted::Created { id: 51 })
    );
    assert!(server
        .requests()
        .iter()
        .any(|r| r.method == "DELETE" && r.target == "/repos/octo/infra/issues/comments/2"));
    let state = state.lock().expect("lock");
    let bodies: Vec<&str> = state.comments.iter().map(|c| c.2.as_str()).collect();
    assert_eq!(
        bodies,
        vec![
            "a reviewer's comment 0",
            "later reviewer",
            "<!-- planguard-comment: default -->\nnew"
        ]
    );
}

#[test]
fn hide_and_new_minimizes_the_old_comment_over_graphql() {
    let state = with_others(0);
    let server = fake_github(Arc::clone(&state));
    post(&server, "old", Behavior::Update).expect("first");
    post(&server, "new", Behavior::HideAndNew).expect("second");
    let graphql: Vec<Recorded> = server
        .requests()
        .into_iter()
        .filter(|r| r.target == "/graphql")
        .collect();
    assert_eq!(graphql.len(), 1);
    let request: Value = serde_json::from_str(&graphql[0].body).expect("json");
    assert_eq!(request["variables"], json!({"id": "IC_1"}));
    assert!(request["query"].as_str().expect("query").contains("minimizeComment"));
    let state = state.lock().expect("lock");
    assert_eq!(state.comments.len(), 2);
    assert!(state.comments[0].3, "old one minimized");
    assert!(!state.comments[1].3);
}

#[test]
fn a_429_with_retry_after_is_waited_for_then_succeeds() {
    let state = with_others(0);
    state.lock().expect("lock").failures = vec![(429, Some("1")), (502, None)];
    let server = fake_github(Arc::clone(&state));
    let started = Instant::now();
    assert_eq!(post(&server, "r", Behavior::Update), Ok(Posted::Created { id: 1 }));
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After honoured");
    let gets = server.requests().iter().filter(|r| r.method == "GET").count();
    assert_eq!(gets, 3, "429, 502, then the real answer");
}

#[test]
fn persistent_5xx_gives_up_naming_the_call_and_status() {
    let state = with_others(0);
    state.lock().expect("lock").failures = vec![(503, None); 10];
    let server = fake_github(Arc::clone(&state));
    let error = post(&server, "r", Behavior::Update).expect_err("must fail");
    assert_eq!(
        error.to_string(),
        "GitHub list issue comments: HTTP 503: {\"message\":\"slow down\"}"
    );
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn a_401_names_call_and_status_and_never_the_token() {
    let server = fake_github(with_others(0));
    let http = http();
    let client = GitHub::new(&http, &server.url, "octo/infra", 7, Secret::new("wrong-token-xyz")).expect("client");
    let error = client.post("r", &marker(None), Behavior::Update).expect_err("401");
    let text = error.to_string();
    assert_eq!(
        text,
        "GitHub list issue comments: HTTP 401: {\"message\":\"Bad credentials\"}"
    );
    assert!(!text.contains("wrong-token-xyz") && !format!("{error:?}").contains("wrong-token-xyz"));
    assert_eq!(server.requests().len(), 1, "a 401 is not retried");
}

#[test]
fn a_too_large_report_is_cut_to_githubs_limit() {
    let state = with_others(0);
    let server = fake_github(Arc::clone(&state));
    post(&server, &"x".repeat(100_000), Behavior::Update).expect("posted");
    let state = state.lock().expect("lock");
    assert!(state.comments[0].2.chars().count() <= 65_536);
    assert!(state.comments[0].2.ends_with("(truncated to fit a comment)\n"));
}

#[test]
fn a_next_link_to_another_server_is_refused() {
    let server = MockServer::start(|_, _| {
        Answer::json(200, "[]").with_header("Link", "<http://127.0.0.2:1/steal?page=2>; rel=\"next\"")
    });
    let error = post(&server, "r", Behavior::Update).expect_err("refused");
    assert_eq!(error, CommentError::Response("GitHub list issue comments"));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn enterprise_graphql_lives_under_api() {
    let server = MockServer::start(|request, _| match request.target.as_str() {
        "/api/graphql" => Answer::json(200, r#"{"data":{}}"#),
        _ => Answer::json(404, "{}"),
    });
    let http = http();
    let client = GitHub::new(
        &http,
        &format!("{}/api/v3", server.url),
        "octo/infra",
        7,
        Secret::new(TOKEN),
    )
    .expect("client");
    client.minimize("IC_1").expect("minimized");
    assert_eq!(server.requests()[0].target, "/api/graphql");
}

#[test]
fn a_retry_after_beyond_the_cap_fails_at_once_instead_of_hanging() {
    let state = with_others(0);
    state.lock().expect("lock").failures = vec![(429, Some("3600"))];
    let server = fake_github(Arc::clone(&state));
    let started = Instant::now();
    let error = post(&server, "r", Behavior::Update).expect_err("gives up");
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(
        error.to_string(),
        "GitHub list issue comments: HTTP 429: {\"message\":\"slow down\"} (the server asks to wait 3600 s, longer than planguard waits: 60 s)"
    );
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn an_unreachable_server_names_the_call_not_the_url() {
    // Bind then drop: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let http = http();
    let url = format!("http://127.0.0.1:{port}");
    let client = GitHub::new(&http, &url, "octo/secret-repo-name", 7, Secret::new(TOKEN)).expect("client");
    let error = client
        .post("r", &marker(None), Behavior::Update)
        .expect_err("unreachable");
    let text = error.to_string();
    assert_eq!(text, "GitHub list issue comments: connection refused");
    assert!(!text.contains("secret-repo-name") && !text.contains(TOKEN));
}

fn in_seconds(seconds: i64) -> jiff::Timestamp {
    jiff::Timestamp::now() + jiff::SignedDuration::from_secs(seconds)
}

#[test]
fn a_secondary_rate_limit_403_with_retry_after_is_retried() {
    let state = with_others(0);
    state.lock().expect("lock").canned =
        vec![
            Answer::json(403, r#"{"message":"You have exceeded a secondary rate limit"}"#)
                .with_header("retry-after", "1"),
        ];
    let server = fake_github(Arc::clone(&state));
    let started = Instant::now();
    assert_eq!(post(&server, "r", Behavior::Update), Ok(Posted::Created { id: 1 }));
    assert!(started.elapsed() >= Duration::from_millis(950), "retry-after honoured");
    let gets = server.requests().iter().filter(|r| r.method == "GET").count();
    assert_eq!(gets, 2, "the 403, then the real answer");
}

#[test]
fn a_403_with_no_request_left_waits_for_the_reset_then_retries() {
    let state = with_others(0);
    let reset = in_seconds(2).as_second().to_string();
    state.lock().expect("lock").canned = vec![Answer::json(403, r#"{"message":"API rate limit exceeded"}"#)
        .with_header("x-ratelimit-remaining", "0")
        .with_header("x-ratelimit-reset", &reset)];
    let server = fake_github(Arc::clone(&state));
    let started = Instant::now();
    assert_eq!(post(&server, "r", Behavior::Update), Ok(Posted::Created { id: 1 }));
    // The reset is a whole second: at least one full second is left of the two.
    assert!(started.elapsed() >= Duration::from_millis(950), "waited for the reset");
    assert_eq!(server.requests().iter().filter(|r| r.method == "GET").count(), 2);
}

#[test]
fn a_plain_403_is_an_error_and_not_retried() {
    for remaining in [None, Some("12")] {
        let state = with_others(0);
        let mut answer = Answer::json(403, r#"{"message":"Resource not accessible by integration"}"#);
        if let Some(remaining) = remaining {
            let reset = in_seconds(1).as_second().to_string();
            answer = answer
                .with_header("x-ratelimit-remaining", remaining)
                .with_header("x-ratelimit-reset", &reset);
        }
        state.lock().expect("lock").canned = vec![answer];
        let server = fake_github(Arc::clone(&state));
        let error = post(&server, "r", Behavior::Update).expect_err("refused");
        assert_eq!(
            error.to_string(),
            "GitHub list issue comments: HTTP 403: {\"message\":\"Resource not accessible by integration\"}"
        );
        assert_eq!(server.requests().len(), 1, "{remaining:?}: not retried");
    }
}

#[test]
fn a_retry_after_http_date_is_waited_for() {
    let state = with_others(0);
    let date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&in_seconds(2))
        .expect("date");
    assert!(date.ends_with(" GMT"), "{date}");
    state.lock().expect("lock").canned = vec![Answer::json(429, "{}").with_header("Retry-After", &date)];
    let server = fake_github(Arc::clone(&state));
    let started = Instant::now();
    assert_eq!(post(&server, "r", Behavior::Update), Ok(Posted::Created { id: 1 }));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "the date was waited for"
    );
    assert_eq!(server.requests().iter().filter(|r| r.method == "GET").count(), 2);
}

#[test]
fn a_retry_after_date_beyond_the_cap_fails_at_once() {
    let state = with_others(0);
    let date = jiff::fmt::rfc2822::DateTimePrinter::new()
        .timestamp_to_rfc9110_string(&in_seconds(3600))
        .expect("date");
    state.lock().expect("lock").canned = vec![Answer::json(503, "{}").with_header("Retry-After", &date)];
    let server = fake_github(Arc::clone(&state));
    let started = Instant::now();
    let error = post(&server, "r", Behavior::Update).expect_err("gives up");
    assert!(started.elapsed() < Duration::from_secs(30));
    let text = error.to_string();
    assert!(
        text.starts_with("GitHub list issue comments: HTTP 503: {} (the server asks to wait 3"),
        "{text}"
    );
    assert!(text.ends_with(" s, longer than planguard waits: 60 s)"), "{text}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_server_that_never_answers_times_out_naming_the_call() {
    // Accepts the connection, reads nothing, answers nothing.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let held = std::thread::spawn(move || {
        let connection = listener.accept();
        std::thread::sleep(Duration::from_secs(3));
        drop(connection);
    });
    let http = Http::without_proxy_timing_out_after(Duration::from_millis(1), Duration::from_millis(300));
    let client = GitHub::new(&http, &url, "octo/infra", 7, Secret::new(TOKEN)).expect("client");
    let started = Instant::now();
    let error = client
        .post("r", &marker(None), Behavior::Update)
        .expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(2), "gave up after the timeout");
    assert_eq!(error.to_string(), "GitHub list issue comments: timed out");
    drop(held);
}
