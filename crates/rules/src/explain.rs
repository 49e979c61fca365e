//! The text of `planguard rules explain ID`, identical for YAML and Rust rules.

use std::fmt::Write;

use crate::meta::RuleMeta;

/// Renders a rule's documentation: header, what it does, why it is bad, an example, what
/// to do instead, references. Markdown-flavoured plain text, fit for a terminal.
pub fn explain(meta: &RuleMeta) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", meta.id, meta.title);
    out.push('\n');
    let _ = writeln!(
        out,
        "severity: {}  category: {}  provider: {}",
        meta.severity, meta.category, meta.provider
    );
    let _ = writeln!(out, "resource types: {}", meta.resource_types.join(", "));
    let actions: Vec<&str> = meta.actions.iter().map(|a| a.as_str()).collect();
    let _ = writeln!(out, "actions: {}", actions.join(", "));
    if meta.uses_graph {
        let _ = writeln!(out, "needs the dependency graph: yes");
    }
    if !meta.benchmarks.is_empty() {
        let _ = writeln!(out, "benchmarks: {}", meta.benchmarks.join(", "));
    }
    for (tool, ids) in meta.peers.iter() {
        let _ = writeln!(out, "{tool}: {}", ids.join(", "));
    }
    section(&mut out, "What it does", meta.summary.as_deref().unwrap_or(&meta.title));
    section(&mut out, "Why is this bad?", &meta.description);
    if let Some(example) = &meta.example {
        section(&mut out, "Example", &fenced(example));
    }
    let mut instead = meta.remediation.clone();
    if let Some(snippet) = &meta.remediation_snippet {
        instead.push_str("\n\n");
        instead.push_str(&fenced(snippet));
    }
    section(&mut out, "Use instead", &instead);
    if !meta.references.is_empty() {
        let list: Vec<String> = meta.references.iter().map(|r| format!("- {r}")).collect();
        section(&mut out, "References", &list.join("\n"));
    }
    out
}

fn section(out: &mut String, heading: &str, body: &str) {
    let _ = write!(out, "\n## {heading}\n{}\n", body.trim_end());
}

fn fenced(code: &str) -> String {
    format!("```hcl\n{}\n```", code.trim_end())
}
