//! SARIF 2.1.0 for GitHub code scanning and the Azure DevOps SARIF viewer.
//!
//! One run per plan, one `reportingDescriptor` per rule that produced a finding (with help
//! text, help URI and a `security-severity` GitHub ranks alerts by), one result per finding
//! and per guardrail violation. Results point at the `.tf` file and line of the resource when
//! sources are known, else at the plan file; URIs are relative to the repository root.

use std::collections::BTreeMap;

use planguard_rules::{RuleSet, Severity, Status};
use serde_json::{json, Value};

use crate::analyze::Report;
use crate::render::{Locator, Outcome};

/// The schema the output conforms to.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub's scale: critical above 9.0, high 7.0 to 8.9, medium 4.0 to 6.9, low below 4.0.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

fn level(severity: Severity, status: Status) -> &'static str {
    match (status, severity) {
        (Status::Unknown, _) => "note",
        (_, Severity::Critical | Severity::High) => "error",
        (_, Severity::Medium) => "warning",
        _ => "note",
    }
}

/// A stable fingerprint, so code scanning tracks the same alert across runs.
fn fingerprint(parts: &[&str]) -> String {
    // FNV-1a: stable across platforms and versions, unlike std's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Renders the outcomes as one SARIF log.
pub fn render(outcomes: &[Outcome], rules: &RuleSet, locator: &Locator) -> String {
    let runs: Vec<Value> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Analyzed(report) => Some(run(report, rules, locator)),
            Outcome::Failed { .. } => None,
        })
        .collect();
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": runs,
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn run(report: &Report, rules: &RuleSet, locator: &Locator) -> Value {
    let plan_uri = locator.plan_uri(&report.file);
    // Rules in id order; guardrails get descriptors of their own.
    let mut descriptors: BTreeMap<String, Value> = BTreeMap::new();
    for f in &report.findings {
        descriptors
            .entry(f.rule_id.to_string())
            .or_insert_with(|| match rules.get(&f.rule_id) {
                Some(rule) => {
                    let m = rule.meta();
                    let mut help = format!("{}\n\nRemediation:\n{}", m.description.trim(), m.remediation.trim());
                    if let Some(snippet) = &m.remediation_snippet {
                        help.push_str(&format!("\n\n{}", snippet.trim()));
                    }
                    let mut markdown = format!(
                        "{}\n\n**Remediation**\n\n{}",
                        m.description.trim(),
                        m.remediation.trim()
                    );
                    if let Some(snippet) = &m.remediation_snippet {
                        markdown.push_str(&format!("\n\n```hcl\n{}\n```", snippet.trim()));
                    }
                    if !m.references.is_empty() {
                        markdown.push_str("\n\n**References**\n");
                        for r in &m.references {
                            markdown.push_str(&format!("\n- {r}"));
                        }
                    }
                    let mut d = json!({
                        "id": m.id.as_ref(),
                        "name": m.id.replace('-', ""),
                        "shortDescription": {"text": m.title},
                        "fullDescription": {"text": m.description.trim()},
                        "help": {"text": help, "markdown": markdown},
                        "defaultConfiguration": {"level": level(m.severity, Status::Fail)},
                        "properties": {
                            "security-severity": security_severity(m.severity),
                            "problem.severity": m.severity.as_str(),
                            "tags": ["security", "terraform", m.category.as_str(), m.provider.as_str()],
                            "precision": "high",
                        },
                    });
                    if let Some(uri) = m.references.iter().find(|r| r.starts_with("http")) {
                        d["helpUri"] = json!(uri);
                    }
                    d
                }
                None => json!({"id": f.rule_id.as_ref(), "shortDescription": {"text": f.title}}),
            });
    }
    for g in report
        .guardrails
        .iter()
        .filter(|g| !g.passed && g.guardrail_type != "policy")
    {
        descriptors.entry(guardrail_id(&g.name)).or_insert_with(|| {
            json!({
                "id": guardrail_id(&g.name),
                "name": format!("Guardrail{}", g.name.replace(['-', '_', ' '], "")),
                "shortDescription": {"text": format!("{} guardrail {}", g.guardrail_type, g.name)},
                "fullDescription": {"text": format!("The {} guardrail {:?} from the planguard configuration.", g.guardrail_type, g.name)},
                "help": {"text": "See the guardrail in .planguard.yaml."},
                "defaultConfiguration": {"level": if g.mode == crate::config::Mode::Enforce { "error" } else { "warning" }},
                "properties": {"security-severity": "7.0", "tags": ["guardrail", g.guardrail_type]},
            })
        });
    }
    let index: BTreeMap<&str, usize> = descriptors.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();

    let location = |address: &str| -> Value {
        let physical = match locator.source(address) {
            Some(loc) => json!({
                "artifactLocation": {"uri": loc.file},
                "region": {"startLine": loc.line},
            }),
            None => json!({
                "artifactLocation": {"uri": plan_uri},
                "region": {"startLine": 1},
            }),
        };
        json!({
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": address, "kind": "resource"}],
        })
    };

    let mut results = Vec::new();
    for f in &report.findings {
        let mut message = format!("{}: {}", f.resource, f.message);
        if f.status == Status::Unknown {
            message.push_str(" (undecided: depends on values known only after apply)");
        }
        results.push(json!({
            "ruleId": f.rule_id.as_ref(),
            "ruleIndex": index.get(f.rule_id.as_ref()).copied().unwrap_or(0),
            "level": level(f.severity, f.status),
            "message": {"text": message},
            "locations": [location(&f.resource)],
            "partialFingerprints": {"planguardFinding/v1": fingerprint(&[&f.rule_id, &f.resource, &f.path])},
            "properties": {"status": f.status, "path": f.path, "action": f.action, "module": f.module},
        }));
    }
    for g in report
        .guardrails
        .iter()
        .filter(|g| !g.passed && g.guardrail_type != "policy")
    {
        let id = guardrail_id(&g.name);
        for v in &g.violations {
            let address = v.address.as_deref().unwrap_or("");
            let loc = if address.is_empty() {
                json!({"physicalLocation": {"artifactLocation": {"uri": plan_uri}, "region": {"startLine": 1}}})
            } else {
                location(address)
            };
            results.push(json!({
                "ruleId": id,
                "ruleIndex": index.get(id.as_str()).copied().unwrap_or(0),
                "level": if g.mode == crate::config::Mode::Enforce { "error" } else { "warning" },
                "message": {"text": if address.is_empty() { v.message.clone() } else { format!("{address}: {}", v.message) }},
                "locations": [loc],
                "partialFingerprints": {"planguardFinding/v1": fingerprint(&[&id, address, &v.message])},
            }));
        }
    }

    let automation = match locator.azure_build() {
        Some(build) => json!({
            "id": format!("azuredevops/pipeline/build/{}/{plan_uri}", build.definition_id),
            "properties": {
                "azuredevops/pipeline/build/buildDefinitionId": build.definition_id,
                "azuredevops/pipeline/build/buildDefinitionName": build.definition_name,
                "azuredevops/pipeline/build/phaseId": build.phase_id,
                "azuredevops/pipeline/build/phaseName": build.phase_name,
            },
        }),
        None => json!({"id": format!("planguard/{plan_uri}/")}),
    };
    json!({
        "tool": {"driver": {
            "name": "planguard",
            "fullName": format!("planguard {}", env!("CARGO_PKG_VERSION")),
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/planguard/planguard",
            "rules": descriptors.into_values().collect::<Vec<_>>(),
        }},
        "automationDetails": automation,
        "artifacts": [{"location": {"uri": plan_uri}}],
        "results": results,
        "properties": {"verdict": report.verdict.as_str(), "config": report.config.description},
    })
}

fn guardrail_id(name: &str) -> String {
    format!("GUARDRAIL-{name}")
}
