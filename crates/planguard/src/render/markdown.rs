//! A pull-request comment: verdict, changes by action, a Mermaid graph of the changes,
//! findings and the cost delta. It stays under GitHub's and Azure DevOps' comment size
//! limit by summarising: long lists are cut with a count of what was left out, and the
//! graph is dropped before anything else when it doesn't fit.

use std::collections::HashMap;
use std::fmt::Write;

use planguard_cost::CostReport;
use planguard_plan::ActionKind;
use planguard_rules::Status;

use crate::analyze::Report;
use crate::guardrails::Verdict;
use crate::render::Outcome;

/// GitHub rejects comments over 65,536 characters; stay clear of it.
pub const MAX_COMMENT_CHARS: usize = 65_000;

/// Mermaid refuses diagrams over 50,000 characters or 500 edges by default (GitHub and Azure
/// DevOps use the defaults); a larger graph is replaced by a pointer to `planguard graph`.
pub const MAX_MERMAID_CHARS: usize = 20_000;
/// See [`MAX_MERMAID_CHARS`].
pub const MAX_MERMAID_EDGES: usize = 400;
/// Above this many changes the graph isn't even drawn to be measured.
pub const MAX_MERMAID_CHANGES: usize = 300;

#[derive(Clone, Copy)]
struct Limits {
    rows: usize,
    graph: bool,
}

/// Renders the outcomes as one Markdown comment of at most [`MAX_COMMENT_CHARS`].
pub fn render(outcomes: &[Outcome]) -> String {
    let views: Vec<OutcomeView<'_>> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Analyzed(report) => OutcomeView::Analyzed(Box::new(PlanView::of(report))),
            Outcome::Failed { file, error } => OutcomeView::Failed { file, error },
        })
        .collect();
    render_views(&views)
}

/// [`render`] of what the comment needs of each plan, however it was obtained.
pub(crate) fn render_views(outcomes: &[OutcomeView<'_>]) -> String {
    let mut limits = Limits { rows: 100, graph: true };
    loop {
        let text = render_with(outcomes, limits);
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

/// One plan as the comment shows it, or the error that stopped its analysis.
pub(crate) enum OutcomeView<'a> {
    Analyzed(Box<PlanView<'a>>),
    Failed { file: &'a str, error: &'a str },
}

/// What the comment shows of one plan: borrowed from a [`Report`], or from the JSON report
/// read back (`render::report_json`), so that both give the same comment.
pub(crate) struct PlanView<'a> {
    pub file: &'a str,
    pub verdict: Verdict,
    pub config: &'a str,
    /// Create, update, replace, destroy, forget, unchanged.
    pub counts: [usize; 6],
    pub guardrails: Vec<GuardrailView<'a>>,
    /// The changes in plan order.
    pub changes: Vec<(ActionKind, &'a str)>,
    /// How many nodes each change reaches.
    pub radii: HashMap<&'a str, usize>,
    /// The changes of the dependency graph (`impact.changes`).
    pub graph_changes: usize,
    /// See [`crate::analyze::Impact::mermaid`].
    pub mermaid: Option<&'a str>,
    pub findings: Vec<FindingView<'a>>,
    pub waived: Vec<WaivedView<'a>>,
    /// The baseline file, its known findings and its entries no longer occurring.
    pub baseline: Option<(&'a str, usize, usize)>,
    pub cost: &'a CostReport,
    /// [`PlanView::most_disruptive_first`], sorted once though the comment may be rendered
    /// several times with fewer rows until it fits.
    pub most_disruptive: std::cell::OnceCell<Vec<(ActionKind, &'a str)>>,
}

pub(crate) struct GuardrailView<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub enforce: bool,
    pub passed: bool,
    pub skipped: Option<&'a str>,
    pub undecided: usize,
    /// Resource (when about one) and message of each violation.
    pub violations: Vec<(Option<&'a str>, &'a str)>,
}

pub(crate) struct FindingView<'a> {
    pub severity: &'a str,
    pub undecided: bool,
    pub rule_id: &'a str,
    pub resource: &'a str,
    pub message: &'a str,
}

pub(crate) struct WaivedView<'a> {
    pub rule: &'a str,
    pub address: &'a str,
    pub reason: &'a str,
    /// `YYYY-MM-DD`.
    pub expires: Option<String>,
    pub source: &'a str,
}

impl<'a> PlanView<'a> {
    fn of(report: &'a Report) -> Self {
        let c = &report.summary.counts;
        PlanView {
            file: &report.file,
            verdict: report.verdict,
            config: &report.config.description,
            counts: [c.create, c.update, c.replace, c.delete, c.forget, c.no_op],
            guardrails: report
                .guardrails
                .iter()
                .map(|g| GuardrailView {
                    name: &g.name,
                    kind: g.guardrail_type,
                    enforce: g.mode == crate::config::Mode::Enforce,
                    passed: g.passed,
                    skipped: g.skipped.as_deref(),
                    undecided: g.warnings.len(),
                    violations: g
                        .violations
                        .iter()
                        .map(|v| (v.address.as_deref(), v.message.as_str()))
                        .collect(),
                })
                .collect(),
            changes: report
                .summary
                .changes
                .iter()
                .filter(|c| c.kind.is_change())
                .map(|c| (c.kind, c.address.as_str()))
                .collect(),
            radii: report
                .impact
                .changes
                .iter()
                .map(|c| (c.address.as_str(), c.blast_radius))
                .collect(),
            graph_changes: report.impact.changes.len(),
            mermaid: report.impact.mermaid.as_deref(),
            findings: report
                .findings
                .iter()
                .map(|f| FindingView {
                    severity: f.severity.as_str(),
                    undecided: f.status == Status::Unknown,
                    rule_id: &f.rule_id,
                    resource: &f.resource,
                    message: &f.message,
                })
                .collect(),
            waived: report
                .waived_findings
                .iter()
                .map(|w| WaivedView {
                    rule: &w.rule,
                    address: &w.address,
                    reason: &w.reason,
                    expires: w.expires.map(|d| d.to_string()),
                    source: &w.source,
                })
                .collect(),
            baseline: report
                .baseline
                .as_ref()
                .map(|b| (b.file.as_str(), b.known_findings.len(), b.absent.len())),
            cost: &report.cost,
            most_disruptive: std::cell::OnceCell::new(),
        }
    }

    /// Most disruptive first, then what reaches the most: what a reviewer must see before
    /// the list is cut.
    fn most_disruptive_first(&self) -> &[(ActionKind, &'a str)] {
        self.most_disruptive.get_or_init(|| {
            let mut changes = self.changes.clone();
            // Cached: a key is a hash lookup by address, too dear to repeat per comparison.
            changes.sort_by_cached_key(|(kind, address)| {
                (
                    std::cmp::Reverse(kind.severity()),
                    std::cmp::Reverse(self.radii.get(address).copied().unwrap_or(0)),
                )
            });
            changes
        })
    }
}

/// The verdict of the whole comment: a plan that could not be read fails it.
fn overall_verdict(outcomes: &[OutcomeView<'_>]) -> Verdict {
    outcomes
        .iter()
        .map(|o| match o {
            OutcomeView::Analyzed(plan) => plan.verdict,
            OutcomeView::Failed { .. } => Verdict::Fail,
        })
        .max()
        .unwrap_or(Verdict::Pass)
}

fn render_with(outcomes: &[OutcomeView<'_>], limits: Limits) -> String {
    let mut out = String::new();
    let verdict = overall_verdict(outcomes);
    let _ = writeln!(out, "{}", crate::render::COMMENT_MARKER);
    let _ = writeln!(
        out,
        "## {} planguard: {}\n",
        icon(verdict),
        verdict.as_str().to_uppercase()
    );
    if let [OutcomeView::Analyzed(plan)] = outcomes {
        // A code span shows its text as is (`<stdin>` included): only backticks would end it.
        let _ = writeln!(out, "Plan: `{}`  ", plan.file.replace('`', "'"));
    }
    // One check uses one configuration: the first analysed plan's says it.
    let config = outcomes.iter().find_map(|o| match o {
        OutcomeView::Analyzed(plan) => Some(plan.config),
        OutcomeView::Failed { .. } => None,
    });
    if let Some(config) = config {
        let _ = writeln!(out, "Config: {}\n", cell(config));
    }
    for outcome in outcomes {
        match outcome {
            OutcomeView::Analyzed(plan) => render_one(&mut out, plan, limits, outcomes.len() > 1),
            OutcomeView::Failed { file, error } => {
                let _ = writeln!(out, "### ❌ `{file}`\n\n```\n{error}\n```\n");
            }
        }
    }
    out
}

fn render_one(out: &mut String, plan: &PlanView<'_>, limits: Limits, several: bool) {
    if several {
        let _ = writeln!(out, "### {} `{}`\n", icon(plan.verdict), plan.file);
    }
    let [create, update, replace, delete, forget, no_op] = plan.counts;
    let _ = writeln!(out, "| Create | Update | Replace | Destroy | Forget | Unchanged |");
    let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|");
    let _ = writeln!(
        out,
        "| {create} | {update} | {replace} | {delete} | {forget} | {no_op} |\n"
    );

    let _ = writeln!(out, "#### Guardrails\n");
    let _ = writeln!(out, "| | Guardrail | Type | Mode | Result |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for g in &plan.guardrails {
        let (mark, result) = if let Some(reason) = g.skipped {
            ("➖", format!("skipped: {reason}"))
        } else if g.passed {
            let extra = if g.undecided == 0 {
                String::new()
            } else {
                format!(" ({} undecided)", g.undecided)
            };
            ("✅", format!("passed{extra}"))
        } else {
            (
                if g.enforce { "❌" } else { "⚠️" },
                format!(
                    "{} violation{}",
                    g.violations.len(),
                    if g.violations.len() == 1 { "" } else { "s" }
                ),
            )
        };
        let mode = if g.enforce { "enforce" } else { "warn" };
        let _ = writeln!(
            out,
            "| {mark} | {} | {} | {mode} | {} |",
            cell(g.name),
            g.kind,
            cell(&result)
        );
    }
    out.push('\n');
    let violations: Vec<_> = plan
        .guardrails
        .iter()
        .filter(|g| g.kind != "policy")
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
        for (g, (address, message)) in violations.iter().take(limits.rows) {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(g.name),
                address.map(|a| format!("`{}`", cell(a))).unwrap_or_default(),
                cell(message)
            );
        }
        if violations.len() > limits.rows {
            let _ = writeln!(out, "\n… and {} more.", violations.len() - limits.rows);
        }
        let _ = writeln!(out, "\n</details>\n");
    }

    let changes = if plan.changes.len() > limits.rows {
        plan.most_disruptive_first()
    } else {
        &plan.changes
    };
    if !changes.is_empty() {
        let _ = writeln!(out, "<details><summary>Changes ({})</summary>\n", changes.len());
        let _ = writeln!(out, "| Action | Resource | Reaches |");
        let _ = writeln!(out, "|---|---|---:|");
        for (kind, address) in changes.iter().take(limits.rows) {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} |",
                action_label(*kind),
                cell(address),
                plan.radii.get(address).copied().unwrap_or(0)
            );
        }
        if changes.len() > limits.rows {
            let _ = writeln!(out, "\n… and {} more.", changes.len() - limits.rows);
        }
        let _ = writeln!(out, "\n</details>\n");
        match plan.mermaid {
            Some(mermaid) if limits.graph => {
                let _ = writeln!(out, "<details><summary>Dependency graph of the changes</summary>\n");
                let _ = writeln!(out, "```mermaid\n{}```\n", ensure_newline(mermaid));
                let _ = writeln!(out, "</details>\n");
            }
            None if limits.graph && plan.graph_changes > 0 => {
                let _ = writeln!(
                    out,
                    "_The dependency graph of the {} changes is too large for a comment: \
                     `planguard graph PLAN --changed-only --format mermaid` draws it._\n",
                    plan.graph_changes
                );
            }
            _ => {}
        }
    }

    if !plan.findings.is_empty() {
        let undecided = plan.findings.iter().filter(|f| f.undecided).count();
        let _ = writeln!(
            out,
            "#### Findings ({}{})\n",
            plan.findings.len(),
            if undecided > 0 {
                format!(", {undecided} undecided until apply")
            } else {
                String::new()
            }
        );
        let _ = writeln!(out, "| Severity | Rule | Resource | Finding |");
        let _ = writeln!(out, "|---|---|---|---|");
        for f in plan.findings.iter().take(limits.rows) {
            let status = if f.undecided { " (undecided)" } else { "" };
            let _ = writeln!(
                out,
                "| {}{status} | `{}` | `{}` | {} |",
                f.severity,
                f.rule_id,
                cell(f.resource),
                cell(f.message)
            );
        }
        if plan.findings.len() > limits.rows {
            let _ = writeln!(
                out,
                "\n… and {} more (see the SARIF or JSON report).",
                plan.findings.len() - limits.rows
            );
        }
        out.push('\n');
    }

    render_waivers(out, plan, limits);

    let _ = writeln!(out, "#### Cost\n");
    out.push_str(&planguard_cost::render_markdown_table(plan.cost, limits.rows));
    out.push('\n');
}

/// Applied waivers and inline skips, and what the baseline accepted.
fn render_waivers(out: &mut String, plan: &PlanView<'_>, limits: Limits) {
    if !plan.waived.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Waived findings ({})</summary>\n",
            plan.waived.len()
        );
        let _ = writeln!(out, "| Rule | Resource | Reason | Expires | Source |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for w in plan.waived.iter().take(limits.rows) {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | {} | `{}` |",
                cell(w.rule),
                cell(w.address),
                cell(w.reason),
                w.expires.as_deref().unwrap_or("never"),
                cell(w.source)
            );
        }
        if plan.waived.len() > limits.rows {
            let _ = writeln!(out, "\n… and {} more.", plan.waived.len() - limits.rows);
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    if let Some((file, known, absent)) = plan.baseline {
        let _ = writeln!(
            out,
            "_Baseline `{}`: {known} known finding{} accepted, {absent} no longer occurring._\n",
            cell(file),
            if known == 1 { "" } else { "s" },
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
