//! The `check` report as text for a terminal or a CI log: the change summary, guardrail
//! verdicts first, then findings by severity with the rule, resource and remediation hint,
//! then the cost table.

use std::fmt::Write;

use anstyle::AnsiColor;
use planguard_rules::{RuleSet, Severity, Status};

use crate::analyze::Report;
use crate::guardrails::Verdict;
use crate::render::{Outcome, MAX_TEXT_CHANGES};
use crate::style::{action_marker, Painter};

/// Renders the outcomes of a check as text.
pub fn render(outcomes: &[Outcome], rules: &RuleSet, paint: Painter, quiet: bool) -> String {
    let mut out = String::new();
    if !quiet {
        if let Some(config) = crate::render::config_used(outcomes) {
            let _ = writeln!(out, "{}\n", paint.dim(&format!("config: {}", config.description)));
        }
    }
    for (i, outcome) in outcomes.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match outcome {
            Outcome::Analyzed(report) => render_one(&mut out, report, rules, paint, quiet),
            Outcome::Failed { file, error } => {
                let _ = writeln!(out, "{}", paint.bold(file));
                let _ = writeln!(out, "{} {error}", paint.color(AnsiColor::Red, "error:"));
            }
        }
    }
    if outcomes.len() > 1 {
        let verdict = crate::render::overall_verdict(outcomes);
        let _ = writeln!(
            out,
            "\n{}",
            verdict_line(verdict, paint, &format!("{} plans", outcomes.len()))
        );
    }
    if quiet {
        // Quiet output starts with the guardrails, not the blank line that sets them apart.
        out.drain(..out.len() - out.trim_start_matches('\n').len());
    }
    out
}

fn verdict_line(verdict: Verdict, paint: Painter, what: &str) -> String {
    match verdict {
        Verdict::Pass => paint.color(AnsiColor::Green, &format!("PASS: {what} may ship")),
        Verdict::Warn => paint.color(AnsiColor::Yellow, &format!("WARN: {what} may ship, with warnings")),
        Verdict::Fail => paint.color(AnsiColor::Red, &format!("FAIL: {what} must not ship")),
    }
}

fn severity_color(severity: Severity) -> AnsiColor {
    match severity {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Blue,
        Severity::Info => AnsiColor::BrightBlack,
    }
}

fn render_one(out: &mut String, report: &Report, rules: &RuleSet, paint: Painter, quiet: bool) {
    let summary = &report.summary;
    let version = summary
        .terraform_version
        .as_deref()
        .map(|v| format!(" (Terraform {v})"))
        .unwrap_or_default();
    if !quiet {
        let _ = writeln!(out, "{}{}", paint.bold(&report.file), paint.dim(&version));
        let _ = writeln!(out, "{}", crate::render::summary::counts_line(summary, paint));
        // Every warning, the cost ones included, is printed here, once: the cost table below
        // leaves out its own "Warnings:" list (`render_text_body`).
        for warning in &report.warnings {
            let _ = writeln!(out, "{} {warning}", paint.color(AnsiColor::Yellow, "warning:"));
        }
    }

    if !quiet {
        let changed: Vec<_> = summary.changes.iter().filter(|c| c.kind.is_change()).collect();
        if !changed.is_empty() {
            let _ = writeln!(out, "\n{}", paint.bold("Changes"));
            for change in changed.iter().take(MAX_TEXT_CHANGES) {
                let radius = report
                    .impact
                    .changes
                    .iter()
                    .find(|c| c.address == change.address)
                    .filter(|c| c.blast_radius > 0)
                    .map(|c| {
                        paint.dim(&format!(
                            "  (reaches {}{} dependent{})",
                            if c.blast_radius_capped { "over " } else { "" },
                            c.blast_radius,
                            plural(c.blast_radius)
                        ))
                    })
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {} {}{radius}",
                    paint.action(change.kind, action_marker(change.kind)),
                    change.address
                );
            }
            if changed.len() > MAX_TEXT_CHANGES {
                let _ = writeln!(
                    out,
                    "  … and {} more (planguard summary lists them all)",
                    changed.len() - MAX_TEXT_CHANGES
                );
            }
        }
    }

    let _ = writeln!(out, "\n{}", paint.bold("Guardrails"));
    for g in &report.guardrails {
        let head = format!("{} ({}, {})", g.name, g.guardrail_type, mode_name(g.mode));
        if let Some(reason) = &g.skipped {
            let _ = writeln!(out, "  {} {head}: skipped: {reason}", paint.dim("-"));
            continue;
        }
        let mark = if g.passed {
            paint.color(AnsiColor::Green, "✓")
        } else if g.mode == crate::config::Mode::Warn {
            paint.color(AnsiColor::Yellow, "!")
        } else {
            paint.color(AnsiColor::Red, "✗")
        };
        let mut notes = Vec::new();
        if !g.violations.is_empty() {
            notes.push(format!(
                "{} violation{}",
                g.violations.len(),
                plural(g.violations.len())
            ));
        }
        if !g.warnings.is_empty() {
            notes.push(format!("{} undecided", g.warnings.len()));
        }
        if !g.waived.is_empty() {
            notes.push(format!("{} waived", g.waived.len()));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(": {}", notes.join(", "))
        };
        let _ = writeln!(out, "  {mark} {head}{notes}");
        let limit = if quiet { 10 } else { 25 };
        for v in g.violations.iter().take(limit) {
            let at = v.address.as_deref().map(|a| format!("{a}: ")).unwrap_or_default();
            let _ = writeln!(out, "      {at}{}", v.message);
        }
        if g.violations.len() > limit {
            let _ = writeln!(out, "      … and {} more", g.violations.len() - limit);
        }
    }

    if !report.findings.is_empty() && !quiet {
        let fails = report.findings.iter().filter(|f| f.status == Status::Fail).count();
        let unknown = report.findings.len() - fails;
        let mut counts = Vec::new();
        for s in Severity::ALL {
            let n = report.findings.iter().filter(|f| f.severity == s).count();
            if n > 0 {
                counts.push(format!("{n} {}", s.as_str()));
            }
        }
        let undecided = if unknown > 0 {
            format!("; {unknown} undecided until apply")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{}",
            paint.bold(&format!(
                "Findings ({}: {}{undecided})",
                report.findings.len(),
                counts.join(", ")
            ))
        );
        let mut current = None;
        for f in &report.findings {
            if current != Some(f.severity) {
                current = Some(f.severity);
                let _ = writeln!(
                    out,
                    "  {}",
                    paint.color(severity_color(f.severity), &f.severity.as_str().to_uppercase())
                );
            }
            let status = if f.status == Status::Unknown {
                paint.color(AnsiColor::Yellow, " [undecided]")
            } else {
                String::new()
            };
            let path = if f.path.is_empty() {
                String::new()
            } else {
                paint.dim(&format!(" {}", f.path))
            };
            let _ = writeln!(out, "    {}  {}{path}{status}", paint.bold(&f.rule_id), f.resource);
            let _ = writeln!(out, "      {}", f.message);
            if let Some(rule) = rules.get(&f.rule_id) {
                let hint = first_sentence(&rule.meta().remediation);
                if !hint.is_empty() {
                    let _ = writeln!(out, "      {} {hint}", paint.dim("fix:"));
                }
            } else if f.category == planguard_rules::Category::Policy {
                // A Rego policy's finding: its title names the rule's file and line.
                let _ = writeln!(out, "      {} {}", paint.dim("policy:"), f.title);
            }
        }
    }

    if !quiet {
        render_waivers(out, report, paint);
        render_baseline(out, report, paint);
    }

    if !quiet {
        let _ = writeln!(out, "\n{}", paint.bold("Cost"));
        // The cost warnings are in `report.warnings`, printed at the top.
        out.push_str(&planguard_cost::render_text_body(&report.cost, paint.enabled()));
    }
    let _ = writeln!(out, "\n{}", verdict_line(report.verdict, paint, &report.file));
}

/// Applied waivers and inline skips (what they hid, why, until when, where written), then
/// the ones that no longer apply.
fn render_waivers(out: &mut String, report: &Report, paint: Painter) {
    let mut lines: Vec<String> = report
        .waived_findings
        .iter()
        .map(|w| {
            let until = w.expires.map(|d| format!(" (until {d})")).unwrap_or_default();
            format!(
                "{} {}  {}: waived: {}{until} {}",
                paint.color(AnsiColor::Green, "✓"),
                paint.bold(&w.rule),
                w.address,
                w.reason,
                paint.dim(&format!("[{}]", w.source))
            )
        })
        .collect();
    let warn = paint.color(AnsiColor::Yellow, "!");
    let mut applied_guardrails = Vec::new();
    let mut problems = Vec::new();
    for w in &report.waivers {
        let line = match w {
            crate::analyze::WaiverReport::Rule(o) if o.state != planguard_rules::WaiverState::Applied => format!(
                "waiver of {} for {} is {}",
                o.waiver.rule,
                o.waiver.address,
                waiver_state(o.state)
            ),
            crate::analyze::WaiverReport::Guardrail(o) if o.state == "applied" => {
                let until = o.expires.map(|d| format!(" (until {d})")).unwrap_or_default();
                applied_guardrails.push(format!(
                    "{} guardrail {}  {}: waived ({} violation{}): {}{until}",
                    paint.color(AnsiColor::Green, "✓"),
                    paint.bold(&o.guardrail),
                    o.address,
                    o.matched,
                    plural(o.matched),
                    o.reason
                ));
                continue;
            }
            crate::analyze::WaiverReport::Guardrail(o) => {
                format!("waiver of guardrail {} for {} is {}", o.guardrail, o.address, o.state)
            }
            crate::analyze::WaiverReport::Inline(o) if o.state == "expired" || o.state == "stale" => format!(
                "inline skip of {} on {} is {} [{}]",
                o.id,
                o.address,
                if o.state == "expired" {
                    "expired: it no longer applies"
                } else {
                    "stale: it matched nothing, remove it"
                },
                o.source
            ),
            _ => continue,
        };
        problems.push(format!("{warn} {line}"));
    }
    lines.append(&mut applied_guardrails);
    lines.append(&mut problems);
    if !lines.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Waivers"));
        for line in lines {
            let _ = writeln!(out, "  {line}");
        }
    }
}

/// What a baseline accepted and which of its entries no longer occur.
fn render_baseline(out: &mut String, report: &Report, paint: Painter) {
    let Some(baseline) = &report.baseline else {
        return;
    };
    let _ = writeln!(out, "\n{}", paint.bold(&format!("Baseline ({})", baseline.file)));
    let _ = writeln!(
        out,
        "  {} known finding{} accepted, {} new",
        baseline.known_findings.len(),
        plural(baseline.known_findings.len()),
        report.findings.len()
    );
    for e in &baseline.absent {
        let path = if e.path.is_empty() {
            String::new()
        } else {
            format!(" {}", e.path)
        };
        let _ = writeln!(
            out,
            "  {} {} {}{path} no longer occurs: remove it from the baseline",
            paint.color(AnsiColor::Yellow, "!"),
            e.rule,
            e.address
        );
    }
}

fn waiver_state(state: planguard_rules::WaiverState) -> &'static str {
    match state {
        planguard_rules::WaiverState::Applied => "applied",
        planguard_rules::WaiverState::Expired => "expired: it no longer applies",
        planguard_rules::WaiverState::Stale => "stale: it matched nothing, remove it",
    }
}

fn mode_name(mode: crate::config::Mode) -> &'static str {
    match mode {
        crate::config::Mode::Enforce => "enforce",
        crate::config::Mode::Warn => "warn",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The first sentence of the first paragraph of a remediation, on one line: a hint that
/// fits a log line, with `planguard rules explain` for the rest.
fn first_sentence(text: &str) -> String {
    let paragraph: Vec<&str> = text
        .trim()
        .lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect();
    let joined = paragraph.join(" ");
    let end = joined
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(joined.len());
    joined[..end].to_string()
}
