use planguard_comment::{comment_body, has_marker, marker, AzureRepo, Behavior, CommentError, Platform, Secret};

#[test]
fn secret_never_shows_in_debug_or_display() {
    let token = Secret::new("ghp_supersecretvalue123");
    assert!(!format!("{token:?}").contains("supersecret"));
    assert!(!format!("{token}").contains("supersecret"));
    assert_eq!(token.expose(), "ghp_supersecretvalue123");
}

#[test]
fn marker_is_found_again_and_tags_keep_comments_apart() {
    let ours = marker(Some("prod"));
    assert_eq!(ours, "<!-- planguard-comment: prod -->");
    assert_eq!(marker(None), "<!-- planguard-comment: default -->");
    let body = comment_body("## Report", &ours, Platform::GitHub);
    assert!(has_marker(&body, &ours));
    assert!(!has_marker(&body, &marker(Some("staging"))));
}

#[test]
fn tag_cannot_close_the_html_comment() {
    let m = marker(Some("a-->b<script>"));
    assert_eq!(m, "<!-- planguard-comment: abscript -->");
}

#[test]
fn too_large_report_is_cut_to_each_platform_limit_keeping_the_marker() {
    let ours = marker(None);
    for platform in [Platform::GitHub, Platform::AzureRepos, Platform::GitLab] {
        let limit = platform.max_comment_chars();
        let report = "é".repeat(limit + 10);
        let body = comment_body(&report, &ours, platform);
        assert_eq!(body.chars().count(), limit, "{platform:?}");
        assert!(body.starts_with(&ours));
        assert!(body.ends_with("(truncated to fit a comment)\n"));
    }
    let small = comment_body("short", &ours, Platform::GitHub);
    assert_eq!(small, format!("{ours}\nshort"));
}

#[test]
fn azure_urls_of_cloud_and_on_premises_servers() {
    let cloud = AzureRepo::parse("https://dev.azure.com/org/proj/_git/repo").unwrap();
    assert_eq!(
        cloud.threads_url(7),
        "https://dev.azure.com/org/proj/_apis/git/repositories/repo/pullRequests/7/threads?api-version=7.1"
    );
    let old = AzureRepo::parse("https://org.visualstudio.com/proj/_git/repo/").unwrap();
    assert_eq!(old.project_url, "https://org.visualstudio.com/proj");
    let server = AzureRepo::parse("https://tfs.example.com/tfs/Coll/Proj/_git/Repo").unwrap();
    assert_eq!(server.project_url, "https://tfs.example.com/tfs/Coll/Proj");
    assert_eq!(server.repository, "Repo");
    let with_user = AzureRepo::parse("https://user@dev.azure.com/org/proj/_git/repo").unwrap();
    assert_eq!(with_user.project_url, "https://dev.azure.com/org/proj");
}

#[test]
fn malformed_azure_urls_are_rejected_without_quoting_them() {
    for bad in [
        "dev.azure.com/org/proj/_git/repo",
        "https://dev.azure.com/org/proj/repo",
        "https://dev.azure.com/_git/repo",
        "https://dev.azure.com/org/proj/_git/",
        "https://dev.azure.com/org/proj/_git/a/b",
    ] {
        let err = AzureRepo::parse(bad).unwrap_err();
        assert_eq!(err, CommentError::AzureRepoUrl, "{bad}");
        assert!(!err.to_string().contains("proj"), "{bad}");
    }
}

#[test]
fn behaviours_parse_with_the_issue_names() {
    assert_eq!(Behavior::parse("update"), Ok(Behavior::Update));
    assert_eq!(Behavior::parse("new"), Ok(Behavior::New));
    assert_eq!(Behavior::parse("delete-and-new"), Ok(Behavior::DeleteAndNew));
    assert_eq!(Behavior::parse("hide-and-new"), Ok(Behavior::HideAndNew));
    assert_eq!(Behavior::parse("Update"), Err(CommentError::Behavior));
    assert_eq!(Behavior::default(), Behavior::Update);
    assert!(Behavior::HideAndNew.check_platform(Platform::GitHub).is_ok());
    assert_eq!(
        Behavior::HideAndNew.check_platform(Platform::GitLab),
        Err(CommentError::HideOnlyOnGitHub)
    );
}

#[test]
fn azure_thread_status_follows_the_verdict_and_unknown_stays_active() {
    use planguard_comment::azure_thread_status;
    assert_eq!(azure_thread_status(Some("fail")), "active");
    assert_eq!(azure_thread_status(Some("pass")), "fixed");
    assert_eq!(azure_thread_status(Some("warn")), "fixed");
    assert_eq!(azure_thread_status(Some("garbled")), "active");
    assert_eq!(azure_thread_status(None), "active");
}
