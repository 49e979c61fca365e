//! The JSON report read back gives the Markdown comment `--format markdown` gives.

use std::path::{Path, PathBuf};

use planguard::render::report_json::{looks_like_json, JsonReport};
use planguard::render::{markdown, overall_verdict, render_json, Outcome};
use planguard::{Analyzer, Config, Verdict};

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").join(relative)
}

/// strict.yaml (every guardrail type, waivers applied, expired and stale) and a waiver
/// that expires in the future, so the comment lists an expiry date.
fn analyzer() -> Analyzer {
    let strict = std::fs::read_to_string(fixture("fixtures/config/strict.yaml")).expect("strict.yaml");
    let text = format!(
        "{strict}  - rule: AWS-VPC-002\n    address: \"*\"\n    reason: reviewed | <ok>\n    expires: 2099-12-31\n"
    );
    let config = Config::from_str_at(&text, Path::new("strict.yaml")).expect("config");
    Analyzer::builder().config(config).build().expect("analyzer")
}

fn analyzed(analyzer: &Analyzer, relative: &str) -> Outcome {
    Outcome::Analyzed(Box::new(analyzer.analyze_file(&fixture(relative)).expect("analysed")))
}

fn read_back(outcomes: &[Outcome]) -> JsonReport {
    JsonReport::read(&render_json(outcomes), Path::new("report.json")).expect("the JSON report reads back")
}

const PLANS: [&str; 8] = [
    "fixtures/terraform/aws-network/plan.json",
    "fixtures/terraform/aws-data/plan.json",
    "fixtures/terraform/aws-iam/plan.json",
    "fixtures/terraform/basic/plan.json",
    "fixtures/terraform/changes/plan.json",
    "fixtures/terraform/modules/plan.json",
    "fixtures/terraform/graph-chains/plan.json",
    "fixtures/terraform/cycle-free-deep/plan.json",
];

#[test]
fn each_plans_json_report_gives_the_same_markdown() {
    let analyzer = analyzer();
    let mut drawn = 0;
    let mut waived_with_expiry = 0;
    for plan in PLANS {
        let outcomes = [analyzed(&analyzer, plan)];
        let expected = markdown::render(&outcomes);
        let read = read_back(&outcomes);
        assert_eq!(read.to_markdown(), expected, "{plan}");
        assert_eq!(read.verdict(), overall_verdict(&outcomes), "{plan}");
        drawn += usize::from(expected.contains("```mermaid"));
        waived_with_expiry += usize::from(expected.contains("| 2099-12-31 |"));
    }
    // The comparison is only worth something if the hard parts were in the comments.
    assert!(drawn >= 3, "graphs drawn in {drawn} comments");
    assert!(waived_with_expiry >= 1, "no waived finding with an expiry");
}

#[test]
fn several_plans_and_a_failed_one_give_the_same_markdown() {
    let analyzer = analyzer();
    let outcomes = [
        analyzed(&analyzer, PLANS[0]),
        Outcome::Failed {
            file: "broken/plan.json".into(),
            error: "broken/plan.json:3:7: expected a JSON object".into(),
        },
        analyzed(&analyzer, PLANS[4]),
    ];
    let read = read_back(&outcomes);
    assert_eq!(read.to_markdown(), markdown::render(&outcomes));
    assert_eq!(read.verdict(), Verdict::Fail);

    let failed_alone = [Outcome::Failed {
        file: "broken/plan.json".into(),
        error: "cannot read".into(),
    }];
    let read = read_back(&failed_alone);
    assert_eq!(read.to_markdown(), markdown::render(&failed_alone));
    assert_eq!(read.verdict(), Verdict::Fail);
}

#[test]
fn a_passing_reports_verdict_is_read() {
    let config = "version: 1\nguardrails:\n  - name: none\n    type: policy\n    rules: [NO-SUCH-*]\n";
    let config = Config::from_str_at(config, Path::new("c.yaml")).expect("config");
    let analyzer = Analyzer::builder().config(config).build().expect("analyzer");
    let outcomes = [analyzed(&analyzer, PLANS[3])];
    assert_eq!(overall_verdict(&outcomes), Verdict::Pass);
    let read = read_back(&outcomes);
    assert_eq!(read.verdict(), Verdict::Pass);
    assert!(read.to_markdown().contains("## ✅ planguard: PASS"));
}

#[test]
fn without_its_drawing_the_comment_points_at_planguard_graph() {
    let outcomes = [analyzed(&analyzer(), PLANS[0])];
    let mut json: serde_json::Value = serde_json::from_str(&render_json(&outcomes)).expect("json");
    let changes = json["impact"]["changes"].as_array().expect("changes").len();
    assert!(json["impact"]["mermaid"]
        .as_str()
        .is_some_and(|m| m.starts_with("flowchart")));
    json["impact"].as_object_mut().expect("impact").remove("mermaid");
    let read = JsonReport::read(&json.to_string(), Path::new("r.json")).expect("reads");
    let markdown = read.to_markdown();
    assert!(!markdown.contains("```mermaid"));
    assert!(markdown.contains(&format!(
        "_The dependency graph of the {changes} changes is too large for a comment: \
         `planguard graph PLAN --changed-only --format mermaid` draws it._"
    )));
}

#[test]
fn unreadable_reports_are_located_and_never_quoted() {
    let secret = "hunter2-SECRET-value";
    let cases = [
        (
            "{\"schema_version\": 2,\n  \"file\": oops}",
            "r.json:2:11: not valid JSON",
        ),
        (
            "{\"schema_version\": 2, \"file\": \"p\"",
            "r.json:1:33: the JSON ends early",
        ),
        (
            &*format!("{{\"schema_version\": 2,\n\"file\": \"p\",\n\"verdict\": \"{secret}\"}}"),
            "r.json:3:33: a value of the wrong type or a key missing",
        ),
        (
            "{\"schema_version\": 3, \"file\": \"p\"}",
            "r.json:1:1: schema_version 3, and this planguard reads 2",
        ),
        (
            "{\"file\": \"p\", \"verdict\": \"pass\"}",
            "r.json:1:1: no schema_version",
        ),
        (
            "{\"schema_version\": 2, \"file\": \"p\", \"verdict\": \"pass\"}",
            "r.json:1:1: a plan's report has no waived_findings",
        ),
        (
            "{\"schema_version\": 2, \"plans\": [], \"verdict\": \"pass\"}",
            "r.json:1:1: no plans",
        ),
    ];
    for (text, start) in cases {
        let error = JsonReport::read(text, Path::new("r.json"))
            .err()
            .unwrap_or_else(|| panic!("{text} must be refused"))
            .to_string();
        assert!(error.starts_with(start), "{error}");
        assert!(
            error.ends_with("expected the JSON report of `planguard check --format json`"),
            "{error}"
        );
        assert!(!error.contains(secret), "{error}");
    }
}

#[test]
fn json_is_told_from_markdown_by_content() {
    assert!(looks_like_json("{\"schema_version\": 2}"));
    assert!(looks_like_json("\u{feff}\n  {"));
    assert!(!looks_like_json("<!-- planguard-comment -->\n## ✅ planguard: PASS"));
    assert!(!looks_like_json("[1, 2]"));
    let outcomes = [analyzed(&analyzer(), PLANS[3])];
    assert!(looks_like_json(&render_json(&outcomes)));
    assert!(!looks_like_json(&markdown::render(&outcomes)));
}

/// A plan of `creates` instance creations and `deletes` bucket deletions.
fn large_plan(creates: usize, deletes: usize) -> PathBuf {
    let mut changes = Vec::new();
    for i in 0..creates {
        changes.push(format!(
            r#"{{"address": "aws_instance.web[{i}]", "mode": "managed", "type": "aws_instance", "name": "web", "index": {i},
  "change": {{"actions": ["create"], "before": null, "after": {{"ami": "ami-1", "instance_type": "t3.micro"}}, "after_unknown": {{}}}}}}"#
        ));
    }
    for i in 0..deletes {
        changes.push(format!(
            r#"{{"address": "aws_s3_bucket.old[{i}]", "mode": "managed", "type": "aws_s3_bucket", "name": "old", "index": {i},
  "change": {{"actions": ["delete"], "before": {{"bucket": "old-{i}"}}, "after": null, "after_unknown": {{}}}}}}"#
        ));
    }
    let plan = format!(
        r#"{{"format_version": "1.2", "resource_changes": [{}]}}"#,
        changes.join(",\n")
    );
    let path = std::env::temp_dir().join(format!("planguard-large-{creates}-{}.json", std::process::id()));
    std::fs::write(&path, plan).expect("plan");
    path
}

#[test]
fn a_large_plans_cut_comment_is_the_same_from_json_most_disruptive_first() {
    let path = large_plan(340, 3);
    let outcomes = [Outcome::Analyzed(Box::new(
        analyzer().analyze_file(&path).expect("analysed"),
    ))];
    let expected = markdown::render(&outcomes);
    assert_eq!(read_back(&outcomes).to_markdown(), expected);
    let rows: Vec<&str> = expected
        .lines()
        .skip_while(|l| !l.starts_with("<details><summary>Changes (343)"))
        .filter(|l| l.starts_with("| 🔴 destroy") || l.starts_with("| 🟢 create"))
        .collect();
    assert_eq!(rows.len(), 100, "cut to 100 rows");
    assert!(
        rows[..3].iter().all(|r| r.starts_with("| 🔴 destroy")),
        "destroys first: {:?}",
        &rows[..4]
    );
    assert!(expected.contains("\n… and 243 more.\n"));
    assert!(expected.contains("_The dependency graph of the 343 changes is too large for a comment"));
    let _ = std::fs::remove_file(path);
}
