//! A pull-request comment: verdict, changes by action, a Mermaid graph of the changes,
//! findings and the cost delta. It stays under GitHub's and Azure DevOps' comment size
//! limit by summarising: long lists are cut with a count of what was left out, and the
//! graph is dropped before anything else when it doesn't fit.

use std::fmt::Write;

use planguard_plan::summary::ChangeSummary;
use planguard_plan::ActionKind;
use planguard_rules::Status;

use crate::analyze::Report;
use crate::guardrails::Verdict;
use crate::render::{overall_verdict, Outcome};

/// GitHub rejects comments over 65,536 characters; stay clear of it.
pub const MAX_COMMENT_CHARS: usize = 65_000;

/// Mermaid refuses diagrams over 50,000 characters or 500 edges by default (GitHub and Azure
/// DevOps use the defaults); a larger graph is replaced by a pointer to `planguard graph`.
const MAX_MERMAID_CHARS: usize = 20_000;
const MAX_MERMAID_EDGES: usize = 400;
/// Above this many changes the graph isn't even drawn to be measured.
const MAX_MERMAID_CHANGES: usize = 300;

#[derive(Clone, Copy)]
struct Limits {
    rows: usize,
    graph: bool,
}

/// Renders the outcomes as one Markdown comment of at most [`MAX_COMMENT_CHARS`].
pub fn render(outcomes: &[Outcome]) -> String {
    let mut limits = Limits { rows: 100, graph: true };
    // Computed once: the comment may be rendered several times with fewer rows until it fits.
    let orders: Vec<ChangeOrder<'_>> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Analyzed(report) => ChangeOrder::of(report),
            Outcome::Failed { .. } => ChangeOrder::default(),
        })
        .collect();
    loop {
        let text = render_with(outcomes, &orders, limits);
        if text.chars().count() <= MAX_COMMENT_CHARS {
            return text;
        }
        if limits.graph {
            limits.graph = false;
        } else if limits.rows > 5 {
            limits.rows /= 2;
        } else {
            return planguard_comment::cut_to_fit(&text, MAX_COMMENT_CHARS);
        }
    }
}

/// [`render`] with a link to the HTML report (`--report-url`) under the heading, when given.
pub fn render_linked(outcomes: &[Outcome], report_url: Option<&str>) -> String {
    let text = render(outcomes);
    let Some(url) = report_url else {
        return text;
    };
    // The comment's heading is its second line; the link goes right below it.
    let mut lines = text.splitn(3, '\n');
    let (marker, heading, rest) = (
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
        lines.next().unwrap_or_default(),
    );
    format!(
        "{marker}\n{heading}\n📊 [Interactive report]({})\n{rest}",
        link_target(url)
    )
}

/// A URL as a Markdown link target: characters that would end the link or the line encoded.
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn icon(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "✅",
        Verdict::Warn => "⚠️",
        Verdict::Fail => "❌",
    }
}

/// Escapes text for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A report's changes in plan order and most disruptive first, with how much each reaches.
#[derive(Default)]
struct ChangeOrder<'r> {
    radii: std::collections::HashMap<&'r str, usize>,
    in_plan_order: Vec<&'r ChangeSummary>,
    most_disruptive_first: Vec<&'r ChangeSummary>,
}

impl<'r> ChangeOrder<'r> {
    fn of(report: &'r Report) -> Self {
        let radii: std::collections::HashMap<&str, usize> = report
            .impact
            .changes
            .iter()
            .map(|c| (c.address.as_str(), c.blast_radius))
            .collect();
        let in_plan_order: Vec<_> = report.summary.changes.iter().filter(|c| c.kind.is_change()).collect();
        let mut most_disruptive_first = in_plan_order.clone();
        // Most disruptive first, then what reaches the most: what a reviewer must see before
        // the list is cut.
        // Cached: a key is a hash lookup by address, too dear to repeat per comparison.
        most_disruptive_first.sort_by_cached_key(|c| {
            (
                std::cmp::Reverse(c.kind.severity()),
                std::cmp::Reverse(radii.get(c.address.as_str()).copied().unwrap_or(0)),
            )
        });
        ChangeOrder {
            radii,
            in_plan_order,
            most_disruptive_first,
        }
    }
}

fn render_with(outcomes: &[Outcome], orders: &[ChangeOrder<'_>], limits: Limits) -> String {
    let mut out = String::new();
    let verdict = overall_verdict(outcomes);
    let _ = writeln!(out, "{}", crate::render::COMMENT_MARKER);
    let _ = writeln!(
        out,
        "## {} planguard: {}\n",
        icon(verdict),
        verdict.as_str().to_uppercase()
    );
    if let [Outcome::Analyzed(report)] = outcomes {
        // A code span shows its text as is (`<stdin>` included): only backticks would end it.
        let _ = writeln!(out, "Plan: `{}`  ", report.file.replace('`', "'"));
    }
    if let Some(config) = crate::render::config_used(outcomes) {
        let _ = writeln!(out, "Config: {}\n", cell(&config.description));
    }
    for (outcome, order) in outcomes.iter().zip(orders) {
        match outcome {
            Outcome::Analyzed(report) => render_one(&mut out, report, order, limits, outcomes.len() > 1),
            Outcome::Failed { file, error } => {
                let _ = writeln!(out, "### ❌ `{file}`\n\n```\n{error}\n```\n");
            }
        }
    }
    out
}

fn render_one(out: &mut String, report: &Report, order: &ChangeOrder<'_>, limits: Limits, several: bool) {
    if several {
        let _ = writeln!(out, "### {} `{}`\n", icon(report.verdict), report.file);
    }
    let c = &report.summary.counts;
    let _ = writeln!(out, "| Create | Update | Replace | Destroy | Forget | Unchanged |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} |\n",
        c.create, c.update, c.replace, c.delete, c.forget, c.no_op
    );

    let _ = writeln!(out, "#### Guardrails\n");
    let _ = writeln!(out, "| | Guardrail | Type | Mode | Result |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for g in &report.guardrails {
        let (mark, result) = if let Some(reason) = &g.skipped {
            ("➖", format!("skipped: {reason}"))
        } else if g.passed {
            let extra = if g.warnings.is_empty() {
                String::new()
            } else {
                format!(" ({} undecided)", g.warnings.len())
            };
            ("✅", format!("passed{extra}"))
        } else {
            (
                if g.mode == crate::config::Mode::Enforce {
                    "❌"
                } else {
                    "⚠️"
                },
                format!(
                    "{} violation{}",
                    g.violations.len(),
                    if g.violations.len() == 1 { "" } else { "s" }
                ),
            )
        };
        let mode = if g.mode == crate::config::Mode::Enforce {
            "enforce"
        } else {
            "warn"
        };
        let _ = writeln!(
            out,
            "| {mark} | {} | {} | {mode} | {} |",
            cell(&g.name),
            g.guardrail_type,
            cell(&result)
        );
    }
    out.push('\n');
    let violations: Vec<_> = report
        .guardrails
        .iter()
        .filter(|g| g.guardrail_type != "policy")
        .flat_map(|g| g.violations.iter().map(move |v| (g, v)))
        .collect();
    if !violations.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Guardrail violations ({})</summary>\n",
            violations.len()
        );
        let _ = writeln!(out, "| Guardrail | Resource | Violation |");
        let _ = writeln!(out, "|---|---|---|");
        for (g, v) in violations.iter().take(limits.rows) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&g.name),
                v.address
                    .as_deref()
                    .map(|a| format!("`{}`", cell(a)))
                    .unwrap_or_default(),
                cell(&v.message)
            );
        }
        if violations.len() > limits.rows {
            let _ = writeln!(out, "\n… and {} more.", violations.len() - limits.rows);
        }
        let _ = writeln!(out, "\n</details>\n");
    }

    let radii = &order.radii;
    let changes = if order.in_plan_order.len() > limits.rows {
        &order.most_disruptive_first
    } else {
        &order.in_plan_order
    };
    if !changes.is_empty() {
        let _ = writeln!(out, "<details><summary>Changes ({})</summary>\n", changes.len());
        let _ = writeln!(out, "| Action | Resource | Reaches |");
        let _ = writeln!(out, "|---|---|---:|");
        for change in changes.iter().take(limits.rows) {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} |",
                action_label(change.kind),
                cell(&change.address),
                radii.get(change.address.as_str()).copied().unwrap_or(0)
            );
        }
        if changes.len() > limits.rows {
            let _ = writeln!(out, "\n… and {} more.", changes.len() - limits.rows);
        }
        let _ = writeln!(out, "\n</details>\n");
        // Drawing thousands of changes would only be refused by Mermaid: count first.
        let drawable = report.impact.changes.len() <= MAX_MERMAID_CHANGES;
        let mermaid = if limits.graph && drawable {
            report.graph.to_mermaid(&planguard_graph::View {
                changed_only: true,
                ..planguard_graph::View::default()
            })
        } else {
            String::new()
        };
        let edges = mermaid
            .lines()
            .filter(|l| l.contains("-->") || l.contains("-.->"))
            .count();
        let fits = drawable && mermaid.len() <= MAX_MERMAID_CHARS && edges <= MAX_MERMAID_EDGES;
        if limits.graph && fits && mermaid.lines().count() > 1 {
            let _ = writeln!(out, "<details><summary>Dependency graph of the changes</summary>\n");
            let _ = writeln!(out, "```mermaid\n{}```\n", ensure_newline(&mermaid));
            let _ = writeln!(out, "</details>\n");
        } else if limits.graph && !fits {
            let _ = writeln!(
                out,
                "_The dependency graph of the {} changes is too large for a comment: \
                 `planguard graph PLAN --changed-only --format mermaid` draws it._\n",
                report.impact.changes.len()
            );
        }
    }

    if !report.findings.is_empty() {
        let undecided = report.findings.iter().filter(|f| f.status == Status::Unknown).count();
        let _ = writeln!(
            out,
            "#### Findings ({}{})\n",
            report.findings.len(),
            if undecided > 0 {
                format!(", {undecided} undecided until apply")
            } else {
                String::new()
            }
        );
        let _ = writeln!(out, "| Severity | Rule | Resource | Finding |");
        let _ = writeln!(out, "|---|---|---|---|");
        for f in report.findings.iter().take(limits.rows) {
            let status = if f.status == Status::Unknown {
                " (undecided)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "| {}{status} | `{}` | `{}` | {} |",
                f.severity.as_str(),
                f.rule_id,
                cell(&f.resource),
                cell(&f.message)
            );
        }
        if report.findings.len() > limits.rows {
            let _ = writeln!(
                out,
                "\n… and {} more (see the SARIF or JSON report).",
                report.findings.len() - limits.rows
            );
        }
        out.push('\n');
    }

    render_waivers(out, report, limits);

    let _ = writeln!(out, "#### Cost\n");
    out.push_str(&planguard_cost::render_markdown_table(&report.cost, limits.rows));
    out.push('\n');
}

/// Applied waivers and inline skips, and what the baseline accepted.
fn render_waivers(out: &mut String, report: &Report, limits: Limits) {
    if !report.waived_findings.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Waived findings ({})</summary>\n",
            report.waived_findings.len()
        );
        let _ = writeln!(out, "| Rule | Resource | Reason | Expires | Source |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for w in report.waived_findings.iter().take(limits.rows) {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} | `{}` |",
                cell(&w.rule),
                cell(&w.address),
                cell(&w.reason),
                w.expires.map(|d| d.to_string()).unwrap_or_else(|| "never".into()),
                cell(&w.source)
            );
        }
        if report.waived_findings.len() > limits.rows {
            let _ = writeln!(out, "\n… and {} more.", report.waived_findings.len() - limits.rows);
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    if let Some(baseline) = &report.baseline {
        let _ = writeln!(
            out,
            "_Baseline `{}`: {} known finding{} accepted, {} no longer occurring._\n",
            cell(&baseline.file),
            baseline.known_findings.len(),
            if baseline.known_findings.len() == 1 { "" } else { "s" },
            baseline.absent.len()
        );
    }
}

fn ensure_newline(s: &str) -> String {
    if s.ends_with('\n') {
        s.to_string()
    } else {
        format!("{s}\n")
    }
}

fn action_label(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Create => "🟢 create",
        ActionKind::Update => "🟡 update",
        ActionKind::Replace => "🟠 replace",
        ActionKind::Delete => "🔴 destroy",
        ActionKind::Forget => "⚪ forget",
        ActionKind::Read => "read",
        ActionKind::NoOp => "no-op",
    }
}
