use planguard_comment::discover::{azure_repos, github, gitlab, Discovered, Flags};
use planguard_comment::{CommentError, Secret};
use std::collections::BTreeMap;

fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: BTreeMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| map.get(name).cloned()
}

fn target(found: Discovered) -> (String, u64, String) {
    match found {
        Discovered::Target(t) => (t.repository, t.number, t.token.expose().to_string()),
        Discovered::NotInPullRequest => panic!("expected a target"),
    }
}

#[test]
fn github_reads_the_pr_number_from_the_event_file() {
    let env = env_of(&[
        ("GITHUB_REPOSITORY", "o/r"),
        ("GITHUB_TOKEN", "tok"),
        ("GITHUB_EVENT_PATH", "/ev.json"),
    ]);
    let files = |p: &str| (p == "/ev.json").then(|| r#"{"pull_request":{"number":42}}"#.into());
    let found = github(Flags::default(), env, files).unwrap();
    assert_eq!(target(found), ("o/r".into(), 42, "tok".into()));
}

#[test]
fn github_push_event_is_not_a_pull_request() {
    let env = env_of(&[("GITHUB_EVENT_PATH", "/ev.json")]);
    let files = |_: &str| Some(r#"{"ref":"refs/heads/main"}"#.to_string());
    assert_eq!(
        github(Flags::default(), env, files).unwrap(),
        Discovered::NotInPullRequest
    );
}

#[test]
fn github_unreadable_event_file_is_an_error() {
    let env = env_of(&[("GITHUB_EVENT_PATH", "/ev.json")]);
    let err = github(Flags::default(), env, |_| Some("{not json".into())).unwrap_err();
    assert_eq!(err, CommentError::EventFile);
}

#[test]
fn flags_win_over_the_environment() {
    let env = env_of(&[
        ("CI_PROJECT_PATH", "g/p"),
        ("CI_MERGE_REQUEST_IID", "3"),
        ("CI_JOB_TOKEN", "job"),
    ]);
    let flags = Flags {
        repository: Some("x/y".into()),
        number: Some(9),
        token: Some(Secret::new("flag")),
    };
    assert_eq!(target(gitlab(flags, env).unwrap()), ("x/y".into(), 9, "flag".into()));
}

#[test]
fn gitlab_prefers_gitlab_token_over_the_job_token() {
    let env = env_of(&[
        ("CI_PROJECT_PATH", "g/p"),
        ("CI_MERGE_REQUEST_IID", "3"),
        ("CI_JOB_TOKEN", "job"),
        ("GITLAB_TOKEN", "personal"),
    ]);
    assert_eq!(
        target(gitlab(Flags::default(), env).unwrap()),
        ("g/p".into(), 3, "personal".into())
    );
}

#[test]
fn azure_reads_pipeline_variables_and_rejects_a_bad_number() {
    let env = env_of(&[
        ("BUILD_REPOSITORY_URI", "https://dev.azure.com/o/p/_git/r"),
        ("SYSTEM_PULLREQUEST_PULLREQUESTID", "17"),
        ("SYSTEM_ACCESSTOKEN", "sat"),
    ]);
    assert_eq!(
        target(azure_repos(Flags::default(), env).unwrap()),
        ("https://dev.azure.com/o/p/_git/r".into(), 17, "sat".into())
    );
    let bad = env_of(&[("SYSTEM_PULLREQUEST_PULLREQUESTID", "abc")]);
    let err = azure_repos(Flags::default(), bad).unwrap_err();
    assert_eq!(err, CommentError::NotANumber("SYSTEM_PULLREQUEST_PULLREQUESTID"));
    assert!(!err.to_string().contains("abc"));
}

#[test]
fn outside_a_pull_request_nothing_is_needed() {
    assert_eq!(
        azure_repos(Flags::default(), env_of(&[])).unwrap(),
        Discovered::NotInPullRequest
    );
    assert_eq!(
        gitlab(Flags::default(), env_of(&[])).unwrap(),
        Discovered::NotInPullRequest
    );
}

#[test]
fn a_pull_request_without_a_token_names_the_flag() {
    let env = env_of(&[("CI_PROJECT_PATH", "g/p"), ("CI_MERGE_REQUEST_IID", "3")]);
    let err = gitlab(Flags::default(), env).unwrap_err();
    assert!(err.to_string().contains("--gitlab-token"));
}
