//! `planguard comment` through the binary, against a mock GitHub on 127.0.0.1.

#[path = "../../comment/tests/support/mod.rs"]
mod mock;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use mock::{Answer, ConnectProxy, MockServer};

const TOKEN: &str = "ghs_CLI_SECRET_TOKEN_4242";

/// A GitHub that keeps one list of comment bodies and accepts only `TOKEN`.
fn fake_github() -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let comments = Arc::new(Mutex::new(Vec::<String>::new()));
    let state = Arc::clone(&comments);
    let server = MockServer::start(move |request, _| {
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return Answer::json(401, r#"{"message":"Bad credentials"}"#);
        }
        let mut comments = state.lock().unwrap();
        let body = || {
            let value: serde_json::Value = serde_json::from_str(&request.body).unwrap();
            value["body"].as_str().unwrap().to_string()
        };
        match (request.method.as_str(), request.target.as_str()) {
            ("GET", "/repos/octo/infra/issues/12/comments?per_page=100") => {
                let items: Vec<serde_json::Value> = comments
                    .iter()
                    .enumerate()
                    .map(|(i, b)| serde_json::json!({"id": i + 1, "node_id": format!("N{}", i + 1), "body": b}))
                    .collect();
                Answer::json(200, serde_json::Value::Array(items).to_string())
            }
            ("POST", "/repos/octo/infra/issues/12/comments") => {
                comments.push(body());
                Answer::json(201, format!(r#"{{"id":{}}}"#, comments.len()))
            }
            ("PATCH", "/repos/octo/infra/issues/comments/1") => {
                comments[0] = body();
                Answer::json(200, r#"{"id":1}"#)
            }
            _ => Answer::json(404, r#"{"message":"Not Found"}"#),
        }
    });
    (server, comments)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard-comment-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn planguard(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planguard"));
    cmd.args(args);
    for (name, _) in std::env::vars() {
        let ci = ["GITHUB_", "SYSTEM_", "BUILD_", "CI_", "GITLAB_"];
        if ci.iter().any(|p| name.starts_with(p)) || name.to_ascii_lowercase().ends_with("_proxy") {
            cmd.env_remove(&name);
        }
    }
    cmd.envs(env.iter().copied());
    cmd.output().unwrap()
}

fn texts(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn second_run_updates_the_same_comment_and_reports_combine() {
    let (server, comments) = fake_github();
    let dir = scratch("update");
    let (a, b) = (dir.join("a.md"), dir.join("b.md"));
    std::fs::write(&a, "## stack a\n").unwrap();
    std::fs::write(&b, "## stack b\n").unwrap();
    let (a, b) = (a.display().to_string(), b.display().to_string());
    let args = [
        "comment",
        "github",
        "--path",
        &a,
        "--path",
        &b,
        "--repo",
        "octo/infra",
        "--pull-request",
        "12",
        "--github-api-url",
        &server.url,
    ];
    let first = planguard(&args, &[("GITHUB_TOKEN", TOKEN)]);
    assert_eq!(first.status.code(), Some(0), "{:?}", texts(&first));
    assert_eq!(texts(&first).0, "planguard comment: created comment 1\n");
    std::fs::write(&a, "## stack a, fixed\n").unwrap();
    let second = planguard(&args, &[("GITHUB_TOKEN", TOKEN)]);
    assert_eq!(texts(&second).0, "planguard comment: updated comment 1\n");
    assert_eq!(
        *comments.lock().unwrap(),
        vec!["<!-- planguard-comment: default -->\n## stack a, fixed\n\n---\n\n## stack b".to_string()]
    );
    for output in [&first, &second] {
        let (out, err) = texts(output);
        assert!(!out.contains(TOKEN) && !err.contains(TOKEN));
    }
}

#[test]
fn values_come_from_the_actions_environment() {
    let (server, comments) = fake_github();
    let dir = scratch("env");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let event = dir.join("event.json");
    std::fs::write(&event, r#"{"action":"synchronize","pull_request":{"number":12}}"#).unwrap();
    let output = planguard(
        &["comment", "github", "--path", &report.display().to_string()],
        &[
            ("GITHUB_TOKEN", TOKEN),
            ("GITHUB_REPOSITORY", "octo/infra"),
            ("GITHUB_EVENT_PATH", &event.display().to_string()),
            ("GITHUB_API_URL", &server.url),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
    assert_eq!(comments.lock().unwrap().len(), 1);
}

#[test]
fn outside_a_pull_request_it_says_so_and_posts_nothing() {
    let (server, _) = fake_github();
    let dir = scratch("nopr");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let event = dir.join("event.json");
    std::fs::write(&event, r#"{"ref":"refs/heads/main","pusher":{}}"#).unwrap();
    let output = planguard(
        &[
            "comment",
            "github",
            "--path",
            &report.display().to_string(),
            "--repo",
            "octo/infra",
        ],
        &[
            ("GITHUB_TOKEN", TOKEN),
            ("GITHUB_EVENT_PATH", &event.display().to_string()),
            ("GITHUB_API_URL", &server.url),
        ],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        texts(&output).0,
        "planguard comment: not in a pull request; nothing posted\n"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_401_exits_2_naming_the_call_and_never_the_token() {
    let (server, comments) = fake_github();
    let dir = scratch("401");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let wrong = "ghp_WRONG_but_still_secret_77";
    let output = planguard(
        &[
            "comment",
            "github",
            "--path",
            &report.display().to_string(),
            "--repo",
            "octo/infra",
            "--pull-request",
            "12",
            "--github-token",
            wrong,
            "--github-api-url",
            &server.url,
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let (out, err) = texts(&output);
    assert_eq!(
        err,
        "planguard: error: GitHub list issue comments: HTTP 401: {\"message\":\"Bad credentials\"}\n"
    );
    assert!(!out.contains(wrong) && !err.contains(wrong));
    assert!(comments.lock().unwrap().is_empty());
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `planguard check` on a fixture plan, writing its JSON and Markdown reports.
fn check_reports(dir: &std::path::Path, plan: &str, name: &str) -> (PathBuf, PathBuf) {
    let (json, markdown) = (dir.join(format!("{name}.json")), dir.join(format!("{name}.md")));
    let root = repo_root();
    let output = planguard(
        &[
            "check",
            &root.join(plan).display().to_string(),
            "--config",
            &root.join("fixtures/config/strict.yaml").display().to_string(),
            "--soft-fail",
            "--output",
            &format!("json={}", json.display()),
            "--output",
            &format!("markdown={}", markdown.display()),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
    (json, markdown)
}

#[test]
fn a_json_report_posts_the_same_comment_as_its_markdown() {
    let (server, comments) = fake_github();
    let dir = scratch("json");
    let (json, markdown) = check_reports(&dir, "fixtures/terraform/aws-network/plan.json", "network");
    // Content, not the name, says which it is.
    let renamed = dir.join("report.md.txt");
    std::fs::copy(&json, &renamed).unwrap();
    for path in [&markdown, &json, &renamed] {
        let output = planguard(
            &[
                "comment",
                "github",
                "--path",
                &path.display().to_string(),
                "--behavior",
                "new",
                "--repo",
                "octo/infra",
                "--pull-request",
                "12",
                "--github-api-url",
                &server.url,
            ],
            &[("GITHUB_TOKEN", TOKEN)],
        );
        assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
    }
    let comments = comments.lock().unwrap();
    assert_eq!(comments.len(), 3);
    let expected = format!(
        "<!-- planguard-comment: default -->\n{}",
        std::fs::read_to_string(&markdown).unwrap().trim_end()
    );
    assert!(expected.contains("## ❌ planguard: FAIL") && expected.contains("```mermaid"));
    assert_eq!(comments[0], expected);
    assert_eq!(comments[1], expected, "from the JSON report");
    assert_eq!(comments[2], expected, "from the JSON report named .md.txt");
}

#[test]
fn markdown_and_json_reports_combine_into_one_comment() {
    let (server, comments) = fake_github();
    let dir = scratch("mixed");
    let (network_json, network_md) = check_reports(&dir, "fixtures/terraform/aws-network/plan.json", "network");
    let (_, basic_md) = check_reports(&dir, "fixtures/terraform/basic/plan.json", "basic");
    let output = planguard(
        &[
            "comment",
            "github",
            "--path",
            &basic_md.display().to_string(),
            "--path",
            &network_json.display().to_string(),
            "--repo",
            "octo/infra",
            "--pull-request",
            "12",
            "--github-api-url",
            &server.url,
        ],
        &[("GITHUB_TOKEN", TOKEN)],
    );
    assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
    let read = |p: &PathBuf| std::fs::read_to_string(p).unwrap().trim_end().to_string();
    assert_eq!(
        *comments.lock().unwrap(),
        vec![format!(
            "<!-- planguard-comment: default -->\n{}\n\n---\n\n{}",
            read(&basic_md),
            read(&network_md)
        )]
    );
}

#[test]
fn an_unreadable_json_report_or_a_missing_file_is_an_input_error() {
    let (server, _) = fake_github();
    let dir = scratch("badjson");
    let bad = dir.join("r.json");
    std::fs::write(&bad, "{\"schema_version\": 2,\n \"verdict\": \"ghs_LEAKED_IF_QUOTED\"}").unwrap();
    let missing = dir.join("missing.md");
    let good = dir.join("good.md");
    std::fs::write(&good, "## ✅ planguard: PASS\n").unwrap();
    for (path, message) in [
        (
            &bad,
            format!(
                "planguard: error: {}:2:34: a value of the wrong type or a key missing: expected the JSON report of `planguard check --format json`\n",
                bad.display()
            ),
        ),
        (
            &missing,
            format!("planguard: error: {}: cannot read: entity not found\n", missing.display()),
        ),
    ] {
        let output = planguard(
            &[
                "comment",
                "github",
                "--path",
                &good.display().to_string(),
                "--path",
                &path.display().to_string(),
                "--repo",
                "octo/infra",
                "--pull-request",
                "12",
                "--github-api-url",
                &server.url,
            ],
            &[("GITHUB_TOKEN", TOKEN)],
        );
        let (out, err) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert_eq!(err, message);
        assert!(out.is_empty() && !err.contains("LEAKED") && !err.contains(TOKEN));
    }
    assert!(
        server.requests().is_empty(),
        "nothing is posted when one report cannot be read"
    );
}

#[test]
fn an_unknown_behavior_is_a_usage_error() {
    let dir = scratch("behavior");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let output = planguard(
        &[
            "comment",
            "github",
            "--path",
            &report.display().to_string(),
            "--behavior",
            "replace",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(texts(&output).1.contains("--behavior must be one of"));
}

#[test]
fn azure_repos_posts_a_thread_from_pipeline_variables() {
    let threads = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&threads);
    let server = MockServer::start(move |request, _| {
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return Answer::json(401, "");
        }
        let path = "/org/proj/_apis/git/repositories/infra/pullRequests/5/threads?api-version=7.1";
        match (request.method.as_str(), request.target.as_str()) {
            ("GET", p) if p == path => Answer::json(200, r#"{"value":[],"count":0}"#),
            ("POST", p) if p == path => {
                seen.lock().unwrap().push(request.body.clone());
                Answer::json(200, r#"{"id":31}"#)
            }
            _ => Answer::json(404, "{}"),
        }
    });
    let dir = scratch("azure");
    let report = dir.join("r.md");
    std::fs::write(&report, "## ❌ planguard: FAIL\n").unwrap();
    let repo_url = format!("{}/org/proj/_git/infra", server.url);
    let output = planguard(
        &["comment", "azure-repos", "--path", &report.display().to_string()],
        &[
            ("SYSTEM_ACCESSTOKEN", TOKEN),
            ("BUILD_REPOSITORY_URI", &repo_url),
            ("SYSTEM_PULLREQUESTID", "ignored"),
            ("SYSTEM_PULLREQUEST_PULLREQUESTID", "5"),
        ],
    );
    let (out, err) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_eq!(out, "planguard comment: created comment 31\n");
    assert!(!out.contains(TOKEN) && !err.contains(TOKEN));
    let body: serde_json::Value = serde_json::from_str(&threads.lock().unwrap()[0]).unwrap();
    assert_eq!(body["status"], "active");
    let hide = planguard(
        &[
            "comment",
            "azure-repos",
            "--path",
            &report.display().to_string(),
            "--behavior",
            "hide-and-new",
        ],
        &[
            ("SYSTEM_ACCESSTOKEN", TOKEN),
            ("BUILD_REPOSITORY_URI", &repo_url),
            ("SYSTEM_PULLREQUEST_PULLREQUESTID", "5"),
        ],
    );
    assert_eq!(hide.status.code(), Some(2));
    assert_eq!(threads.lock().unwrap().len(), 1);
}

#[test]
fn gitlab_posts_a_note_from_ci_variables_and_outside_an_mr_posts_nothing() {
    let notes = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&notes);
    let server = MockServer::start(move |request, _| {
        // CI_JOB_TOKEN goes as a job token, not as an access token.
        if request.header("job-token") != Some(TOKEN) || request.header("private-token").is_some() {
            return Answer::json(401, "{}");
        }
        let path = "/api/v4/projects/grp%2Finfra/merge_requests/8/notes";
        match (request.method.as_str(), request.target.as_str()) {
            ("GET", p) if p.starts_with(&format!("{path}?")) => Answer::json(200, "[]"),
            ("POST", p) if p == path => {
                seen.lock().unwrap().push(request.body.clone());
                Answer::json(201, r#"{"id":77}"#)
            }
            _ => Answer::json(404, "{}"),
        }
    });
    let dir = scratch("gitlab");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let path = report.display().to_string();
    let base = [
        ("CI_JOB_TOKEN", TOKEN),
        ("CI_PROJECT_PATH", "grp/infra"),
        ("CI_SERVER_URL", server.url.as_str()),
    ];
    let outside = planguard(&["comment", "gitlab", "--path", &path], &base);
    assert_eq!(
        texts(&outside).0,
        "planguard comment: not in a pull request; nothing posted\n"
    );
    let mut env = base.to_vec();
    env.push(("CI_MERGE_REQUEST_IID", "8"));
    let output = planguard(&["comment", "gitlab", "--path", &path], &env);
    let (out, err) = texts(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert_eq!(out, "planguard comment: created comment 77\n");
    assert!(!out.contains(TOKEN) && !err.contains(TOKEN));
    assert_eq!(notes.lock().unwrap().len(), 1);
    assert_eq!(server.requests().len(), 2, "nothing was sent outside the merge request");
}

#[test]
fn a_tag_keeps_a_second_pipelines_comment_apart() {
    let (server, comments) = fake_github();
    let dir = scratch("tag");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let path = report.display().to_string();
    let base = [
        "comment",
        "github",
        "--path",
        &path,
        "--repo",
        "octo/infra",
        "--pull-request",
        "12",
        "--github-api-url",
        &server.url,
    ];
    let mut tagged = base.to_vec();
    tagged.extend(["--tag", "prod"]);
    for args in [&base[..], &tagged[..], &base[..]] {
        let output = planguard(args, &[("GITHUB_TOKEN", TOKEN)]);
        assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
    }
    let comments = comments.lock().unwrap();
    assert_eq!(comments.len(), 2, "the third run updated the untagged comment");
    assert!(comments[1].starts_with("<!-- planguard-comment: prod -->\n"));
}

#[test]
fn each_platform_has_help() {
    for platform in ["github", "azure-repos", "gitlab"] {
        let output = planguard(&["comment", platform, "--help"], &[]);
        assert_eq!(output.status.code(), Some(0));
        assert!(texts(&output).0.contains("--behavior"), "{platform}");
    }
}

#[test]
fn azure_thread_status_follows_the_json_reports_verdict() {
    // (method, path and query, body) of every call but the listing.
    let calls = Arc::new(Mutex::new(Vec::<(String, String, serde_json::Value)>::new()));
    let threads = Arc::new(Mutex::new(Vec::<String>::new()));
    let (seen, state) = (Arc::clone(&calls), Arc::clone(&threads));
    let server = MockServer::start(move |request, _| {
        if request.header("authorization") != Some(&format!("Bearer {TOKEN}")) {
            return Answer::json(401, "");
        }
        let threads_path = "/org/proj/_apis/git/repositories/infra/pullRequests/5/threads";
        let mut threads = state.lock().unwrap();
        if request.method == "GET" {
            let items: Vec<serde_json::Value> = threads
                .iter()
                .enumerate()
                .map(|(i, content)| serde_json::json!({"id": 31 + i, "comments": [{"id": 1, "content": content}]}))
                .collect();
            return Answer::json(200, serde_json::json!({"value": items}).to_string());
        }
        let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
        let target = request.target.replace(threads_path, "THREADS");
        if request.method == "POST" {
            threads.push(body["comments"][0]["content"].as_str().unwrap().to_string());
        } else if target.starts_with("THREADS/31/comments/1") {
            threads[0] = body["content"].as_str().unwrap().to_string();
        }
        seen.lock().unwrap().push((request.method.clone(), target, body));
        Answer::json(200, r#"{"id":31}"#)
    });
    let dir = scratch("azure-verdict");
    let (failing, _) = check_reports(&dir, "fixtures/terraform/aws-network/plan.json", "failing");
    let passing = dir.join("passing.yaml");
    std::fs::write(
        &passing,
        "version: 1\nguardrails:\n  - name: none\n    type: policy\n    rules: [NO-SUCH-*]\n",
    )
    .unwrap();
    let passing_json = dir.join("passing.json");
    let check = planguard(
        &[
            "check",
            &repo_root()
                .join("fixtures/terraform/basic/plan.json")
                .display()
                .to_string(),
            "--config",
            &passing.display().to_string(),
            "--output",
            &format!("json={}", passing_json.display()),
        ],
        &[],
    );
    assert_eq!(check.status.code(), Some(0), "{:?}", texts(&check));
    let repo_url = format!("{}/org/proj/_git/infra", server.url);
    for report in [&failing, &passing_json] {
        let output = planguard(
            &["comment", "azure-repos", "--path", &report.display().to_string()],
            &[
                ("SYSTEM_ACCESSTOKEN", TOKEN),
                ("BUILD_REPOSITORY_URI", &repo_url),
                ("SYSTEM_PULLREQUEST_PULLREQUESTID", "5"),
            ],
        );
        assert_eq!(output.status.code(), Some(0), "{:?}", texts(&output));
    }
    let calls = calls.lock().unwrap();
    let summary: Vec<(&str, &str)> = calls.iter().map(|(m, t, _)| (m.as_str(), t.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("POST", "THREADS?api-version=7.1"),
            ("PATCH", "THREADS/31/comments/1?api-version=7.1"),
            ("PATCH", "THREADS/31?api-version=7.1"),
        ]
    );
    assert_eq!(calls[0].2["status"], "active", "the failing report opens the thread");
    assert!(calls[0].2["comments"][0]["content"]
        .as_str()
        .unwrap()
        .contains("## ❌ planguard: FAIL"));
    assert!(calls[1].2["content"]
        .as_str()
        .unwrap()
        .contains("## ✅ planguard: PASS"));
    assert_eq!(
        calls[2].2,
        serde_json::json!({"status": "fixed"}),
        "the passing one resolves it"
    );
}

#[test]
fn https_proxy_carries_the_calls_and_no_proxy_bypasses_it() {
    let (server, comments) = fake_github();
    let proxy = ConnectProxy::start();
    let dir = scratch("proxy");
    let report = dir.join("r.md");
    std::fs::write(&report, "## ✅ planguard: PASS\n").unwrap();
    let report = report.display().to_string();
    let api = server.url.clone();
    let address = api.trim_start_matches("http://").to_string();
    let args = [
        "comment",
        "github",
        "--path",
        &report,
        "--repo",
        "octo/infra",
        "--pull-request",
        "12",
        "--github-api-url",
        &api,
    ];
    let through = planguard(&args, &[("GITHUB_TOKEN", TOKEN), ("HTTPS_PROXY", &proxy.url)]);
    assert_eq!(through.status.code(), Some(0), "{:?}", texts(&through));
    let connects = proxy.connects();
    // The list, then the create: each call goes through the proxy's tunnel.
    assert_eq!(connects.len(), 2, "{connects:?}");
    for head in &connects {
        assert!(head.starts_with(&format!("CONNECT {address} HTTP/1.1\r\n")), "{head}");
        assert!(!head.contains(TOKEN), "the token travels inside the tunnel only");
    }
    assert_eq!(comments.lock().unwrap().len(), 1);

    let host = address.split(':').next().unwrap().to_string();
    let bypass = planguard(
        &args,
        &[
            ("GITHUB_TOKEN", TOKEN),
            ("HTTPS_PROXY", &proxy.url),
            ("NO_PROXY", &format!("example.com,{host}")),
        ],
    );
    assert_eq!(bypass.status.code(), Some(0), "{:?}", texts(&bypass));
    assert_eq!(proxy.connects().len(), 2, "NO_PROXY: straight to the server");
    assert_eq!(texts(&bypass).0, "planguard comment: updated comment 1\n");
}

#[test]
fn an_unreachable_proxy_is_an_error_naming_the_call() {
    let (server, _) = fake_github();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = scratch("noproxy");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let output = planguard(
        &[
            "comment",
            "github",
            "--path",
            &report.display().to_string(),
            "--repo",
            "octo/infra",
            "--pull-request",
            "12",
            "--github-api-url",
            &server.url,
        ],
        &[
            ("GITHUB_TOKEN", TOKEN),
            ("HTTPS_PROXY", &format!("http://127.0.0.1:{port}")),
        ],
    );
    let (out, err) = texts(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("planguard: error: GitHub list issue comments: "),
        "{err}"
    );
    assert!(!err.contains(TOKEN) && !out.contains(TOKEN));
    assert!(server.requests().is_empty());
}

/// Without a server flag or variable, the calls go to github.com's and gitlab.com's APIs. Seen
/// through a proxy on 127.0.0.1 that refuses every host but 127.0.0.1: nothing leaves the machine.
#[test]
fn the_default_servers_are_the_public_apis() {
    let proxy = ConnectProxy::start();
    let dir = scratch("defaults");
    let report = dir.join("r.md");
    std::fs::write(&report, "report").unwrap();
    let report = report.display().to_string();
    let runs: [(&[&str], &str); 2] = [
        (
            &[
                "comment",
                "github",
                "--path",
                &report,
                "--repo",
                "octo/infra",
                "--pull-request",
                "12",
            ],
            "CONNECT api.github.com:443 HTTP/1.1\r\n",
        ),
        (
            &[
                "comment",
                "gitlab",
                "--path",
                &report,
                "--repo",
                "group/infra",
                "--merge-request",
                "4",
            ],
            "CONNECT gitlab.com:443 HTTP/1.1\r\n",
        ),
    ];
    for (args, connect) in runs {
        let before = proxy.connects().len();
        let output = planguard(
            args,
            &[
                ("GITHUB_TOKEN", TOKEN),
                ("GITLAB_TOKEN", TOKEN),
                ("HTTPS_PROXY", &proxy.url),
            ],
        );
        let (out, err) = texts(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        let connects = proxy.connects();
        assert_eq!(connects.len(), before + 1, "{connects:?}");
        assert!(connects[before].starts_with(connect), "{}", connects[before]);
        assert!(!connects[before].contains(TOKEN) && !out.contains(TOKEN) && !err.contains(TOKEN));
    }
}
