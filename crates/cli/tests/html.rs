//! The HTML report: a snapshot of a small plan's page, and what makes it self-contained and
//! safe (no external reference, no script breakout, the Markdown comment's link to it).

mod support;
use support::repo;

fn stdout(args: &[&str]) -> (i32, String) {
    // A directory per command: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let run = support::run(
        args,
        &repo().join("fixtures/terraform/changes/plan.json"),
        &format!("html {n}"),
        &[],
    );
    let text = run
        .texts
        .iter()
        .find(|(name, _)| name == "stdout")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    (run.code, text)
}

#[test]
fn the_report_of_a_small_plan_is_stable() {
    let (code, html) = stdout(&["check", "{plan}", "--format", "html"]);
    assert_eq!(code, 0);
    let html = html.replace(&repo().display().to_string(), "REPO");
    insta::assert_snapshot!("html_changes", html);
}

#[test]
fn the_page_is_self_contained() {
    let (_, html) = stdout(&["check", "{plan}", "--format", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // No URL the browser would fetch: only the SVG namespace, which is a name, not a request.
    for needle in ["src=", "<link", "@import", "url(http", "fetch(", "XMLHttpRequest"] {
        assert!(!html.contains(needle), "{needle}");
    }
    assert_eq!(
        html.matches("http://").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    assert!(!html.contains("https://"));
    assert!(html.contains("default-src 'none'"));
    assert!(html.contains("data-panel=\"details\""));
    let (_, graph) = stdout(&["graph", "{plan}", "--format", "html"]);
    assert!(graph.contains("data-address=\"aws_instance.web\"") || graph.contains("data-address="));
    assert!(!graph.contains("https://"));
}

#[test]
fn a_plan_string_cannot_break_out_of_the_data_script() {
    // Every `<` inside the JSON blob is escaped: the only `</script` are the elements' own ends.
    let (_, html) = stdout(&["check", "{plan}", "--format", "html"]);
    let start = html.find("<script type=\"application/json\"").unwrap();
    let end = start + html[start..].find("</script>").unwrap();
    let blob = &html[start..end];
    let body = &blob[blob.find('>').unwrap() + 1..];
    assert!(!body.contains('<') && !body.contains('>'));
    let data: serde_json::Value = serde_json::from_str(body).unwrap();
    assert!(data["nodes"]["address"].as_array().is_some_and(|n| !n.is_empty()));
}

#[test]
fn the_markdown_comment_links_to_the_report_when_given_a_url() {
    let (_, md) = stdout(&[
        "check",
        "{plan}",
        "--format",
        "markdown",
        "--report-url",
        "https://ci.example/a b(1).html",
    ]);
    assert!(
        md.contains("[Interactive report](https://ci.example/a%20b%281%29.html)"),
        "{md}"
    );
    let (_, plain) = stdout(&["check", "{plan}", "--format", "markdown"]);
    assert!(!plain.contains("Interactive report"));
}

#[test]
fn html_extensions_pick_the_html_format() {
    let out = std::env::temp_dir().join(format!("planguard-html-ext-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let file = out.join("report.html");
    let spec = file.display().to_string();
    let run = support::run(
        &["check", "{plan}", "--output", &spec],
        &repo().join("fixtures/terraform/changes/plan.json"),
        "html ext",
        &[],
    );
    assert_eq!(run.code, 0);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn the_shared_command_table_covers_the_html_format() {
    // The leak and determinism tests run every command of the table: html must be in it.
    let html_commands = support::COMMANDS
        .iter()
        .filter(|c| c.iter().any(|a| *a == "html" || a.starts_with("html=")))
        .count();
    assert!(html_commands >= 3, "{html_commands}");
}

/// The `data-address` of each node a graph page draws, in page order.
fn drawn_addresses(html: &str) -> Vec<String> {
    html.split("<g class=\"node ")
        .skip(1)
        .filter_map(|node| {
            let start = node.find("data-address=\"")? + "data-address=\"".len();
            let end = start + node[start..].find('"')?;
            Some(node[start..end].replace("&quot;", "\""))
        })
        .collect()
}

/// The node addresses of the JSON graph format for the same options: the HTML page draws the
/// same nodes.
fn json_addresses(extra: &[&str]) -> Vec<String> {
    let mut args = vec!["graph", "{plan}", "--format", "json"];
    args.extend_from_slice(extra);
    let run = support::run(
        &args,
        &repo().join("fixtures/terraform/graph-chains/plan.json"),
        "graph json view",
        &[],
    );
    let text = run
        .texts
        .iter()
        .find(|(name, _)| name == "stdout")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    let graph: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out: Vec<String> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["address"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn the_html_graph_honours_focus_depth_and_changed_only() {
    let page = |extra: &[&str]| {
        let mut args = vec!["graph", "{plan}", "--format", "html"];
        args.extend_from_slice(extra);
        let run = support::run(
            &args,
            &repo().join("fixtures/terraform/graph-chains/plan.json"),
            "graph html view",
            &[],
        );
        assert_eq!(run.code, 0, "{extra:?}");
        let html = run
            .texts
            .iter()
            .find(|(name, _)| name == "stdout")
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        let mut drawn = drawn_addresses(&html);
        drawn.sort();
        drawn
    };
    let all = page(&[]);
    assert_eq!(all, json_addresses(&[]));
    let views: [&[&str]; 4] = [
        &["--changed-only"],
        &["--focus", "module.counted[0].terraform_data.c"],
        &["--focus", "module.counted[0].terraform_data.c", "--depth", "1"],
        &["--depth", "1"],
    ];
    let mut sizes = Vec::new();
    for view in views {
        let drawn = page(view);
        assert!(
            !drawn.is_empty() && drawn.len() < all.len(),
            "{view:?}: {} of {}",
            drawn.len(),
            all.len()
        );
        assert_eq!(drawn, json_addresses(view), "{view:?}");
        sizes.push(drawn.len());
    }
    // A depth limit keeps no more than the focus alone does.
    assert!(sizes[2] < sizes[1], "{sizes:?}");
    assert!(page(&["--focus", "module.counted[0].terraform_data.c"])
        .contains(&"module.counted[0].terraform_data.c".to_string()));
}

#[test]
fn the_config_report_url_links_the_comment_and_the_flag_wins() {
    let dir = std::env::temp_dir().join(format!("planguard-report-url-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("planguard.yaml");
    std::fs::write(&config, "version: 1\nreport_url: https://ci.example/from-config.html\n").unwrap();
    let config = config.display().to_string();
    let (_, from_config) = stdout(&["check", "{plan}", "--config", &config, "--format", "markdown"]);
    assert!(
        from_config.contains("[Interactive report](https://ci.example/from-config.html)"),
        "{from_config}"
    );
    let (_, from_flag) = stdout(&[
        "check",
        "{plan}",
        "--config",
        &config,
        "--format",
        "markdown",
        "--report-url",
        "https://ci.example/from-flag.html",
    ]);
    assert!(
        from_flag.contains("[Interactive report](https://ci.example/from-flag.html)"),
        "{from_flag}"
    );
    assert!(!from_flag.contains("from-config"), "{from_flag}");
    // An empty one is a config error with its position, before any plan is read.
    std::fs::write(dir.join("empty.yaml"), "version: 1\nreport_url: \"\"\n").unwrap();
    let empty = dir.join("empty.yaml").display().to_string();
    let run = support::run(
        &["check", "{plan}", "--config", &empty, "--format", "markdown"],
        &repo().join("fixtures/terraform/changes/plan.json"),
        "report url empty",
        &[],
    );
    assert_eq!(run.code, 2);
    let stderr = run
        .texts
        .iter()
        .find(|(name, _)| name == "stderr")
        .map(|(_, t)| t.clone())
        .unwrap_or_default();
    assert!(
        stderr.contains("empty.yaml:2:13") && stderr.contains("report_url"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
