//! The `summary` report: what a plan will do, as text for people.

use std::fmt::Write;

use planguard_plan::summary::{ChangeSummary, Summary};
use planguard_plan::{Action, ActionKind};

use crate::style::{action_marker, Painter};

/// The longest attribute value printed in full; longer ones are cut with an ellipsis.
const MAX_VALUE_CHARS: usize = 120;

/// Renders a plan summary as text. `origin` names the plan file in the heading.
pub fn render_text(summary: &Summary, origin: &str, paint: Painter) -> String {
    let mut out = String::new();
    let version = match (&summary.terraform_version, &summary.format_version) {
        (Some(tf), Some(fmt)) => format!(" (Terraform {tf}, plan format {fmt})"),
        (None, Some(fmt)) => format!(" (plan format {fmt})"),
        (Some(tf), None) => format!(" (Terraform {tf})"),
        (None, None) => String::new(),
    };
    let _ = writeln!(out, "{}{}", paint.bold(origin), paint.dim(&version));
    let _ = writeln!(out, "{}", counts_line(summary, paint));
    if summary.errored {
        let _ = writeln!(
            out,
            "{}",
            paint.action(
                ActionKind::Delete,
                "Terraform reported errors while planning: this plan is partial and cannot be applied."
            )
        );
    }
    for kind in [
        ActionKind::Create,
        ActionKind::Update,
        ActionKind::Replace,
        ActionKind::Delete,
        ActionKind::Forget,
        ActionKind::Read,
        ActionKind::NoOp,
    ] {
        let group: Vec<&ChangeSummary> = summary.changes.iter().filter(|c| c.kind == kind).collect();
        if group.is_empty() {
            continue;
        }
        let title = match kind {
            ActionKind::Create => "Create",
            ActionKind::Update => "Update in place",
            ActionKind::Replace => "Replace",
            ActionKind::Delete => "Destroy",
            ActionKind::Forget => "Forget (removed from state, not destroyed)",
            ActionKind::Read => "Read during apply",
            ActionKind::NoOp => "Moved or imported, otherwise unchanged",
        };
        let _ = writeln!(out, "\n{}", paint.action(kind, &format!("{title} ({})", group.len())));
        for change in group {
            write_change(&mut out, change, paint);
        }
    }
    if !summary.drift.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint.bold(&format!(
                "Changed outside Terraform since the last apply ({})",
                summary.drift.len()
            ))
        );
        for change in &summary.drift {
            write_change(&mut out, change, paint);
        }
    }
    if !summary.deferred.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint.bold(&format!("Deferred to a later plan ({})", summary.deferred.len()))
        );
        for change in &summary.deferred {
            write_change(&mut out, change, paint);
        }
    }
    if !summary.outputs.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint.bold(&format!("Output changes ({})", summary.outputs.len()))
        );
        for output in &summary.outputs {
            let kind = output.action.kind();
            let marker = paint.action(kind, action_marker(kind));
            let text = match output.action {
                Action::Create => format!("{} = {}", output.name, clip(&output.after)),
                Action::Delete => format!("{} (was {})", output.name, clip(&output.before)),
                _ => format!("{}: {} -> {}", output.name, clip(&output.before), clip(&output.after)),
            };
            let _ = writeln!(out, "  {marker} {text}");
        }
    }
    out
}

/// `Plan: 1 to create, 2 to update, ...`, the line Terraform users know.
pub fn counts_line(summary: &Summary, paint: Painter) -> String {
    let c = &summary.counts;
    let mut parts = Vec::new();
    for (n, label, kind) in [
        (c.create, "to create", ActionKind::Create),
        (c.update, "to update", ActionKind::Update),
        (c.replace, "to replace", ActionKind::Replace),
        (c.delete, "to destroy", ActionKind::Delete),
        (c.forget, "to forget", ActionKind::Forget),
        (c.import, "to import", ActionKind::Create),
        (c.read, "to read", ActionKind::Read),
    ] {
        if n > 0 {
            parts.push(paint.action(kind, &format!("{n} {label}")));
        }
    }
    let changes = if parts.is_empty() {
        "no changes".to_string()
    } else {
        parts.join(", ")
    };
    format!("Plan: {changes}; {} unchanged.", c.no_op)
}

fn write_change(out: &mut String, change: &ChangeSummary, paint: Painter) {
    let kind = change.kind;
    let marker = paint.action(kind, action_marker(kind));
    let mut notes = Vec::new();
    if change.action == Action::CreateThenDelete {
        notes.push("create before destroy".to_string());
    }
    if let Some(reason) = &change.reason {
        notes.push(reason.replace('_', " "));
    }
    if let Some(previous) = &change.previous_address {
        notes.push(format!("moved from {previous}"));
    }
    if change.import {
        notes.push("imported".to_string());
    }
    if let Some(deposed) = &change.deposed {
        notes.push(format!("deposed object {deposed}"));
    }
    let notes = if notes.is_empty() {
        String::new()
    } else {
        paint.dim(&format!("  ({})", notes.join("; ")))
    };
    let _ = writeln!(out, "  {marker} {}{notes}", change.address);
    for attr in &change.attributes {
        let forces = if attr.forces_replacement {
            paint.action(ActionKind::Replace, "  # forces replacement")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "      {}: {} -> {}{forces}",
            attr.path,
            clip(&attr.before),
            clip(&attr.after)
        );
    }
}

fn clip(value: &str) -> String {
    if value.chars().count() <= MAX_VALUE_CHARS {
        value.to_string()
    } else {
        let cut: String = value.chars().take(MAX_VALUE_CHARS).collect();
        format!("{cut}…")
    }
}
