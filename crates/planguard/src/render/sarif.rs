//! SARIF 2.1.0 for GitHub code scanning and the Azure DevOps SARIF viewer.
//!
//! One run per plan, one `reportingDescriptor` per rule that produced a finding (with help
//! text, help URI and a `security-severity` GitHub ranks alerts by), one result per finding
//! and per guardrail violation. Results point at the `.tf` file and line of the resource when
//! sources are known, else at the plan file.
//!
//! URIs inside the repository are relative, percent-encoded and carry `uriBaseId: SRCROOT`,
//! which `originalUriBaseIds` resolves to the repository root's `file://` URI; files
//! outside it get absolute `file://` URIs (see [`Locator`] for how the root is found).
//! Findings hidden by a waiver are results with a `suppressions` entry (`external` for a
//! config waiver, `inSource` for an inline skip), so code scanning shows them dismissed;
//! with a baseline, results carry `baselineState` (`new` or `unchanged`). A plan that could
//! not be read is a run whose invocation failed, with the error as a tool notification.

use std::collections::BTreeMap;

use planguard_rules::{Finding, RuleSet, Severity, Status};
use serde_json::{json, Value};

use crate::analyze::Report;
use crate::baseline::fingerprint;
use crate::render::{Locator, Outcome, SRCROOT};

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

/// Renders the outcomes as one SARIF log.
pub fn render(outcomes: &[Outcome], rules: &RuleSet, locator: &Locator) -> String {
    let runs: Vec<Value> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Analyzed(report) => run(report, rules, locator),
            Outcome::Failed { file, error } => failed_run(file, error, locator),
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

fn driver(descriptors: Vec<Value>) -> Value {
    json!({"driver": {
        "name": "planguard",
        "fullName": format!("planguard {}", env!("CARGO_PKG_VERSION")),
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://github.com/planguard/planguard",
        "rules": descriptors,
    }})
}

/// `originalUriBaseIds` for a repository root: its `file://` URI, ending with `/` as SARIF
/// requires of a base.
fn uri_base_ids(root: Option<&std::path::Path>) -> Option<Value> {
    root.map(|r| {
        let mut uri = crate::sources::file_uri(r);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        json!({SRCROOT: {"uri": uri}})
    })
}

fn automation_details(locator: &Locator, file: &str) -> Value {
    let cwd = std::env::current_dir().unwrap_or_default();
    let key = crate::baseline::plan_key(file, &cwd);
    match locator.azure_build() {
        Some(build) => json!({
            "id": format!("azuredevops/pipeline/build/{}/{key}", build.definition_id),
            "properties": {
                "azuredevops/pipeline/build/buildDefinitionId": build.definition_id,
                "azuredevops/pipeline/build/buildDefinitionName": build.definition_name,
                "azuredevops/pipeline/build/phaseId": build.phase_id,
                "azuredevops/pipeline/build/phaseName": build.phase_name,
            },
        }),
        // `category/`: GitHub keeps one set of alerts per category, so one per plan.
        None => json!({"id": format!("planguard/{key}/")}),
    }
}

/// The run of a plan that could not be read: no results, a failed invocation saying why.
fn failed_run(file: &str, error: &str, locator: &Locator) -> Value {
    let root = locator.root_for(file, None);
    let artifact = locator.artifact(root.as_deref(), std::path::Path::new(file));
    let mut run = json!({
        "tool": driver(Vec::new()),
        "automationDetails": automation_details(locator, file),
        "invocations": [{
            "executionSuccessful": false,
            "exitCode": 2,
            "toolExecutionNotifications": [{
                "level": "error",
                "descriptor": {"id": "input-error"},
                "message": {"text": crate::render::input_error_message(file, error)},
                "locations": [{"physicalLocation": {"artifactLocation": artifact.sarif_location()}}],
            }],
        }],
        "results": [],
        "properties": {"verdict": "fail"},
    });
    if let Some(bases) = uri_base_ids(root.as_deref()) {
        run["originalUriBaseIds"] = bases;
    }
    run
}

fn run(report: &Report, rules: &RuleSet, locator: &Locator) -> Value {
    let root = locator.root_of(report);
    let plan_artifact = locator.artifact(root.as_deref(), std::path::Path::new(&report.file));
    let plan_location = plan_artifact.sarif_location();
    let known: &[Finding] = report.baseline.as_ref().map_or(&[], |b| b.known_findings.as_slice());
    // Rules in id order; guardrails get descriptors of their own.
    let mut descriptors: BTreeMap<String, Value> = BTreeMap::new();
    for f in report
        .findings
        .iter()
        .chain(known)
        .chain(report.waived_findings.iter().map(|w| &w.finding))
    {
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
        let physical = match locator.source(report, root.as_deref(), address) {
            Some((file, line)) => json!({
                "artifactLocation": file.sarif_location(),
                "region": {"startLine": line},
            }),
            None => json!({
                "artifactLocation": plan_location,
                "region": {"startLine": 1},
            }),
        };
        json!({
            "physicalLocation": physical,
            "logicalLocations": [{"fullyQualifiedName": address, "kind": "resource"}],
        })
    };

    let finding_result = |f: &Finding| -> Value {
        let mut message = format!("{}: {}", f.resource, f.message);
        if f.status == Status::Unknown {
            message.push_str(" (undecided: depends on values known only after apply)");
        }
        json!({
            "ruleId": f.rule_id.as_ref(),
            "ruleIndex": index.get(f.rule_id.as_ref()).copied().unwrap_or(0),
            "level": level(f.severity, f.status),
            "message": {"text": message},
            "locations": [location(&f.resource)],
            "partialFingerprints": {"planguardFinding/v1": fingerprint(&f.rule_id, &f.resource, &f.path)},
            "properties": {"status": f.status, "path": f.path, "action": f.action, "module": f.module},
        })
    };
    let mut results = Vec::new();
    for f in &report.findings {
        let mut result = finding_result(f);
        if report.baseline.is_some() {
            result["baselineState"] = json!("new");
        }
        results.push(result);
    }
    for f in known {
        let mut result = finding_result(f);
        result["baselineState"] = json!("unchanged");
        results.push(result);
    }
    for w in &report.waived_findings {
        let mut result = finding_result(&w.finding);
        let mut justification = w.reason.clone();
        if let Some(expires) = w.expires {
            justification.push_str(&format!(" (until {expires})"));
        }
        justification.push_str(&format!(" [{}]", w.source));
        // An inline skip is a suppression written in the source; a config waiver is not.
        let kind = if w.kind == "inline" { "inSource" } else { "external" };
        result["suppressions"] = json!([{"kind": kind, "status": "accepted", "justification": justification}]);
        results.push(result);
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
                json!({"physicalLocation": {"artifactLocation": plan_location, "region": {"startLine": 1}}})
            } else {
                location(address)
            };
            results.push(json!({
                "ruleId": id,
                "ruleIndex": index.get(id.as_str()).copied().unwrap_or(0),
                "level": if g.mode == crate::config::Mode::Enforce { "error" } else { "warning" },
                "message": {"text": if address.is_empty() { v.message.clone() } else { format!("{address}: {}", v.message) }},
                "locations": [loc],
                "partialFingerprints": {"planguardFinding/v1": fingerprint(&id, address, &v.message)},
            }));
        }
    }

    let notifications: Vec<Value> = report
        .warnings
        .iter()
        .map(|w| json!({"level": "warning", "message": {"text": w}}))
        .collect();
    let mut run = json!({
        "tool": driver(descriptors.into_values().collect()),
        "automationDetails": automation_details(locator, &report.file),
        "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
        "artifacts": [{"location": plan_location}],
        "results": results,
        "properties": {"verdict": report.verdict.as_str(), "config": report.config.description},
    });
    if let Some(bases) = uri_base_ids(root.as_deref()) {
        run["originalUriBaseIds"] = bases;
    }
    run
}

fn guardrail_id(name: &str) -> String {
    format!("GUARDRAIL-{name}")
}
