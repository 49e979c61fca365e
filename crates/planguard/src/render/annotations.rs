//! CI log annotations: GitHub Actions workflow commands (`::error ...`) and Azure Pipelines
//! logging commands (`##vso[task.logissue ...]`), so findings show up on the run's summary
//! page and, with sources, on the lines of the pull request.

use std::fmt::Write;

use planguard_rules::Status;

use crate::analyze::Report;
use crate::config::Mode;
use crate::guardrails::Verdict;
use crate::render::{overall_verdict, Locator, Outcome};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    Error,
    Warning,
    Notice,
}

struct Annotation {
    level: Level,
    title: String,
    message: String,
    file: String,
    line: Option<usize>,
    code: Option<String>,
}

/// The annotations of one report. With `soft_fail`, what would fail the step is a warning:
/// the step passes, and says so.
fn annotations(report: &Report, locator: &Locator, soft_fail: bool) -> Vec<Annotation> {
    let root = locator.root_of(report);
    let plan = locator
        .artifact(root.as_deref(), std::path::Path::new(&report.file))
        .display();
    let place = |address: Option<&str>| -> (String, Option<usize>) {
        match address.and_then(|a| locator.source(report, root.as_deref(), a)) {
            Some((file, line)) => (file.display(), Some(line)),
            None => (plan.clone(), None),
        }
    };
    let mut out = Vec::new();
    let mut reported = std::collections::BTreeSet::new();
    for g in &report.guardrails {
        if g.skipped.is_some() {
            continue;
        }
        let level = if g.mode == Mode::Enforce && !soft_fail {
            Level::Error
        } else {
            Level::Warning
        };
        for v in &g.violations {
            let (file, line) = place(v.address.as_deref());
            if let (Some(rule), Some(addr)) = (&v.rule_id, &v.address) {
                reported.insert((rule.clone(), addr.clone()));
            }
            out.push(Annotation {
                level,
                title: format!("planguard {}: {}", g.guardrail_type, g.name),
                message: match &v.address {
                    Some(a) => format!("{a}: {}", v.message),
                    None => v.message.clone(),
                },
                file,
                line,
                code: v.rule_id.clone(),
            });
        }
        for v in &g.warnings {
            let (file, line) = place(v.address.as_deref());
            // Reported here as undecided: not again as a notice below.
            if let (Some(rule), Some(addr)) = (&v.rule_id, &v.address) {
                reported.insert((rule.clone(), addr.clone()));
            }
            out.push(Annotation {
                level: Level::Warning,
                title: format!("planguard {} (undecided): {}", g.guardrail_type, g.name),
                message: match &v.address {
                    Some(a) => format!("{a}: {}", v.message),
                    None => v.message.clone(),
                },
                file,
                line,
                code: v.rule_id.clone(),
            });
        }
    }
    // Findings no guardrail reported still deserve a mention.
    for f in &report.findings {
        if reported.contains(&(f.rule_id.to_string(), f.resource.clone())) {
            continue;
        }
        let (file, line) = place(Some(&f.resource));
        out.push(Annotation {
            level: Level::Notice,
            title: format!("planguard {} [{}]", f.rule_id, f.severity.as_str()),
            message: format!(
                "{}: {}{}",
                f.resource,
                f.message,
                if f.status == Status::Unknown {
                    " (undecided until apply)"
                } else {
                    ""
                }
            ),
            file,
            line,
            code: Some(f.rule_id.to_string()),
        });
    }
    out
}

/// GitHub's escaping of a workflow command's message.
fn gh_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Renders GitHub Actions workflow commands. With `soft_fail` no annotation is an error
/// (violations are warnings); a plan that cannot be read still is.
pub fn render_github(outcomes: &[Outcome], locator: &Locator, soft_fail: bool) -> String {
    let mut out = String::new();
    if let Some(config) = crate::render::config_used(outcomes) {
        let _ = writeln!(out, "planguard: config: {}", config.description);
    }
    for outcome in outcomes {
        match outcome {
            Outcome::Analyzed(report) => {
                for a in annotations(report, locator, soft_fail) {
                    let command = match a.level {
                        Level::Error => "error",
                        Level::Warning => "warning",
                        Level::Notice => "notice",
                    };
                    let mut props = format!("file={},title={}", gh_property(&a.file), gh_property(&a.title));
                    if let Some(line) = a.line {
                        let _ = write!(props, ",line={line}");
                    }
                    let _ = writeln!(out, "::{command} {props}::{}", gh_data(&a.message));
                }
                let _ = writeln!(
                    out,
                    "::notice title=planguard::{}",
                    gh_data(&format!(
                        "{}: {} ({} findings, {} guardrails failed){}",
                        report.file,
                        report.verdict.as_str().to_uppercase(),
                        report.findings.len(),
                        report.guardrails.iter().filter(|g| !g.passed).count(),
                        if soft_fail && report.verdict == Verdict::Fail {
                            "; --soft-fail: the step passes"
                        } else {
                            ""
                        }
                    ))
                );
            }
            Outcome::Failed { file, error } => {
                let root = locator.root_for(file, None);
                let shown = locator.artifact(root.as_deref(), std::path::Path::new(file)).display();
                let _ = writeln!(
                    out,
                    "::error file={},title={}::{}",
                    gh_property(&shown),
                    gh_property("planguard: cannot read the plan"),
                    gh_data(&crate::render::input_error_message(file, error))
                );
            }
        }
    }
    out
}

/// Azure Pipelines' escaping of a logging command's message and properties.
fn azp(s: &str) -> String {
    s.replace('%', "%AZP25")
        .replace(';', "%3B")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace(']', "%5D")
}

/// Renders Azure Pipelines logging commands, ending with the task result. With
/// `soft_fail` a failed verdict completes the task as `SucceededWithIssues`; a plan that
/// cannot be read completes it as `Failed` regardless.
pub fn render_azure(outcomes: &[Outcome], locator: &Locator, soft_fail: bool) -> String {
    let mut out = String::new();
    if let Some(config) = crate::render::config_used(outcomes) {
        let _ = writeln!(out, "planguard: config: {}", config.description);
    }
    for outcome in outcomes {
        match outcome {
            Outcome::Analyzed(report) => {
                for a in annotations(report, locator, soft_fail) {
                    // Azure has no notice level: notices are warnings there.
                    let kind = if a.level == Level::Error { "error" } else { "warning" };
                    let mut props = format!("type={kind};sourcepath={}", azp(&a.file));
                    if let Some(line) = a.line {
                        let _ = write!(props, ";linenumber={line}");
                    }
                    if let Some(code) = &a.code {
                        let _ = write!(props, ";code={}", azp(code));
                    }
                    let _ = writeln!(
                        out,
                        "##vso[task.logissue {props};]{}",
                        azp(&format!("{}: {}", a.title, a.message))
                    );
                }
            }
            Outcome::Failed { file, error } => {
                let root = locator.root_for(file, None);
                let shown = locator.artifact(root.as_deref(), std::path::Path::new(file)).display();
                let _ = writeln!(
                    out,
                    "##vso[task.logissue type=error;sourcepath={};code=input-error;]{}",
                    azp(&shown),
                    azp(&format!(
                        "planguard: {}",
                        crate::render::input_error_message(file, error)
                    ))
                );
            }
        }
    }
    let unreadable = outcomes.iter().filter(|o| matches!(o, Outcome::Failed { .. })).count();
    let (result, text) = if unreadable > 0 {
        (
            "Failed",
            format!(
                "planguard: {unreadable} plan{} could not be read",
                if unreadable == 1 { "" } else { "s" }
            ),
        )
    } else {
        match overall_verdict(outcomes) {
            Verdict::Fail if soft_fail => (
                "SucceededWithIssues",
                "planguard: guardrails failed (--soft-fail: the step passes)".to_string(),
            ),
            Verdict::Fail => ("Failed", "planguard: guardrails failed".to_string()),
            Verdict::Warn => (
                "SucceededWithIssues",
                "planguard: guardrails passed with warnings".to_string(),
            ),
            Verdict::Pass => ("Succeeded", "planguard: guardrails passed".to_string()),
        }
    };
    let _ = writeln!(out, "##vso[task.complete result={result};]{}", azp(&text));
    out
}
