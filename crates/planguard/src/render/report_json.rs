//! Reads the JSON report (`planguard check --format json`) back, for what the Markdown
//! comment shows: `planguard comment --path report.json` then posts the comment
//! `--format markdown` would have written for the same check.
//!
//! Only the parts the comment shows are read; other keys are ignored, so that a report
//! with more in it (a later minor addition) still reads. Errors give the line and column
//! and what was expected, never quoting the report's text.

use std::path::Path;

use planguard_cost::{Component, CostReport, ResourceCost, UnsupportedType, UsageBased};
use planguard_plan::ActionKind;
use planguard_rules::{Severity, Status};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::analyze::SCHEMA_VERSION;
use crate::config::Mode;
use crate::error::AnalyzeError;
use crate::guardrails::Verdict;
use crate::render::markdown::{self, FindingView, GuardrailView, OutcomeView, PlanView, WaivedView};

/// What a JSON report should be, said in every error.
const EXPECTED: &str = "expected the JSON report of `planguard check --format json`";

/// One JSON document of either shape: a plan's report (or its error), or
/// `{"plans": [...], "verdict": ...}` for several. Every key is optional here so that one
/// streaming pass reads both shapes with exact error positions; [`read`] then says what is missing.
#[derive(Deserialize)]
struct Document {
    schema_version: Option<u32>,
    plans: Option<Vec<Document>>,
    file: Option<String>,
    error: Option<String>,
    config: Option<ConfigJson>,
    verdict: Option<Verdict>,
    summary: Option<SummaryJson>,
    guardrails: Option<Vec<GuardrailJson>>,
    findings: Option<Vec<FindingJson>>,
    waived_findings: Option<Vec<WaivedJson>>,
    baseline: Option<BaselineJson>,
    cost: Option<CostJson>,
    impact: Option<ImpactJson>,
}

#[derive(Deserialize)]
struct ConfigJson {
    description: String,
}

#[derive(Deserialize)]
struct SummaryJson {
    counts: CountsJson,
    changes: Vec<ChangeJson>,
}

#[derive(Deserialize)]
struct CountsJson {
    create: usize,
    update: usize,
    replace: usize,
    delete: usize,
    forget: usize,
    no_op: usize,
}

#[derive(Deserialize)]
struct ChangeJson {
    address: String,
    kind: ActionKind,
}

#[derive(Deserialize)]
struct GuardrailJson {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    mode: Mode,
    passed: bool,
    skipped: Option<String>,
    violations: Vec<ViolationJson>,
    #[serde(default)]
    warnings: Vec<IgnoredAny>,
}

#[derive(Deserialize)]
struct ViolationJson {
    address: Option<String>,
    message: String,
}

#[derive(Deserialize)]
struct FindingJson {
    rule_id: String,
    severity: Severity,
    status: Status,
    resource: String,
    message: String,
}

#[derive(Deserialize)]
struct WaivedJson {
    rule: String,
    address: String,
    reason: String,
    /// `YYYY-MM-DD`; checked to be a date before it is shown.
    expires: Option<String>,
    source: String,
}

#[derive(Deserialize)]
struct BaselineJson {
    file: String,
    known_findings: Vec<IgnoredAny>,
    absent: Vec<IgnoredAny>,
}

#[derive(Deserialize)]
struct ImpactJson {
    changes: Vec<ChangeImpactJson>,
    mermaid: Option<String>,
}

#[derive(Deserialize)]
struct ChangeImpactJson {
    address: String,
    blast_radius: usize,
}

#[derive(Deserialize)]
struct CostJson {
    currency: String,
    catalog_date: String,
    monthly_before: f64,
    monthly_after: f64,
    monthly_delta: f64,
    #[serde(default)]
    totals_at_least: bool,
    resources: Vec<ResourceJson>,
    unsupported: Vec<UnsupportedJson>,
    usage_based: Vec<UsageJson>,
    warnings: Vec<String>,
}

#[derive(Deserialize)]
struct ResourceJson {
    address: String,
    #[serde(rename = "type")]
    resource_type: String,
    module: String,
    action: String,
    deposed: Option<String>,
    monthly_before: Option<f64>,
    monthly_after: Option<f64>,
    monthly_delta: Option<f64>,
    status: CostStatusJson,
    reason: Option<String>,
    approximate: Option<String>,
    components: Vec<ComponentJson>,
    components_before: Option<Vec<ComponentJson>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum CostStatusJson {
    Priced,
    Free,
    UsageBased,
    Partial,
    Unknown,
    Unsupported,
}

#[derive(Deserialize)]
struct ComponentJson {
    name: String,
    unit: String,
    quantity: Option<f64>,
    unit_price: Option<f64>,
    monthly: Option<f64>,
    assumed: Option<String>,
    approximate: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct UnsupportedJson {
    #[serde(rename = "type")]
    resource_type: String,
    count: usize,
    addresses: Vec<String>,
    reason: String,
}

#[derive(Deserialize)]
struct UsageJson {
    address: String,
    #[serde(rename = "type")]
    resource_type: String,
    usage_given: bool,
}

/// A JSON report read back: one entry per plan, as the check listed them.
pub struct JsonReport {
    plans: Vec<Entry>,
}

enum Entry {
    Analyzed(Box<Analyzed>),
    Failed { file: String, error: String },
}

struct Analyzed {
    file: String,
    verdict: Verdict,
    config: String,
    summary: SummaryJson,
    guardrails: Vec<GuardrailJson>,
    findings: Vec<FindingJson>,
    waived: Vec<WaivedJson>,
    baseline: Option<BaselineJson>,
    impact: ImpactJson,
    cost: CostReport,
}

/// Whether `text` is a JSON report rather than the Markdown one: by its content, whatever
/// the file is called (a JSON report is an object; the Markdown comment starts with its marker).
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

impl JsonReport {
    /// Reads `text`, the content of `path` (named in errors).
    pub fn read(text: &str, path: &Path) -> Result<JsonReport, AnalyzeError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let document: Document = serde_json::from_str(text).map_err(|e| {
            let what = match e.classify() {
                serde_json::error::Category::Syntax => "not valid JSON",
                serde_json::error::Category::Eof => "the JSON ends early",
                _ => "a value of the wrong type or a key missing",
            };
            invalid(path, e.line(), e.column(), what)
        })?;
        // A single plan that could not be read is reported as `{"file", "error"}` alone.
        let failed_alone = document.plans.is_none() && document.error.is_some();
        let version = match document.schema_version {
            Some(version) => version,
            None if failed_alone => SCHEMA_VERSION,
            None => return Err(invalid(path, 1, 1, "no schema_version")),
        };
        if version != SCHEMA_VERSION {
            let message = format!(
                "schema_version {version}, and this planguard reads {SCHEMA_VERSION}: make the report with the same planguard version"
            );
            return Err(invalid(path, 1, 1, &message));
        }
        let plans = match document.plans {
            Some(plans) => plans
                .into_iter()
                .map(|plan| entry(plan, path))
                .collect::<Result<Vec<_>, _>>()?,
            None => vec![entry(document, path)?],
        };
        if plans.is_empty() {
            return Err(invalid(path, 1, 1, "no plans"));
        }
        Ok(JsonReport { plans })
    }

    /// The verdict of the check: a plan that could not be read fails it.
    pub fn verdict(&self) -> Verdict {
        self.plans
            .iter()
            .map(|p| match p {
                Entry::Analyzed(plan) => plan.verdict,
                Entry::Failed { .. } => Verdict::Fail,
            })
            .max()
            .unwrap_or(Verdict::Fail)
    }

    /// The Markdown comment, as `planguard check --format markdown` renders it.
    pub fn to_markdown(&self) -> String {
        let views: Vec<OutcomeView<'_>> = self.plans.iter().map(view).collect();
        markdown::render_views(&views)
    }
}

fn invalid(path: &Path, line: usize, column: usize, what: &str) -> AnalyzeError {
    AnalyzeError::Report {
        path: path.to_path_buf(),
        line: line.max(1),
        column: column.max(1),
        message: format!("{what}: {EXPECTED}"),
    }
}

fn entry(document: Document, path: &Path) -> Result<Entry, AnalyzeError> {
    let missing = |key: &str| invalid(path, 1, 1, &format!("a plan's report has no {key}"));
    let file = document.file.ok_or_else(|| missing("file"))?;
    if let Some(error) = document.error {
        return Ok(Entry::Failed { file, error });
    }
    let waived = document.waived_findings.ok_or_else(|| missing("waived_findings"))?;
    if waived
        .iter()
        .filter_map(|w| w.expires.as_deref())
        .any(|d| d.parse::<jiff::civil::Date>().is_err())
    {
        return Err(invalid(path, 1, 1, "a waiver's expires is not a YYYY-MM-DD date"));
    }
    Ok(Entry::Analyzed(Box::new(Analyzed {
        file,
        verdict: document.verdict.ok_or_else(|| missing("verdict"))?,
        config: document.config.ok_or_else(|| missing("config"))?.description,
        summary: document.summary.ok_or_else(|| missing("summary"))?,
        guardrails: document.guardrails.ok_or_else(|| missing("guardrails"))?,
        findings: document.findings.ok_or_else(|| missing("findings"))?,
        waived,
        baseline: document.baseline,
        impact: document.impact.ok_or_else(|| missing("impact"))?,
        cost: cost_report(document.cost.ok_or_else(|| missing("cost"))?),
    })))
}

fn view(entry: &Entry) -> OutcomeView<'_> {
    let plan = match entry {
        Entry::Failed { file, error } => return OutcomeView::Failed { file, error },
        Entry::Analyzed(plan) => plan,
    };
    let c = &plan.summary.counts;
    OutcomeView::Analyzed(Box::new(PlanView {
        file: &plan.file,
        verdict: plan.verdict,
        config: &plan.config,
        counts: [c.create, c.update, c.replace, c.delete, c.forget, c.no_op],
        guardrails: plan
            .guardrails
            .iter()
            .map(|g| GuardrailView {
                name: &g.name,
                kind: &g.kind,
                enforce: g.mode == Mode::Enforce,
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
        changes: plan
            .summary
            .changes
            .iter()
            .filter(|c| c.kind.is_change())
            .map(|c| (c.kind, c.address.as_str()))
            .collect(),
        radii: plan
            .impact
            .changes
            .iter()
            .map(|c| (c.address.as_str(), c.blast_radius))
            .collect(),
        graph_changes: plan.impact.changes.len(),
        mermaid: plan.impact.mermaid.as_deref(),
        findings: plan
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
        waived: plan
            .waived
            .iter()
            .map(|w| WaivedView {
                rule: &w.rule,
                address: &w.address,
                reason: &w.reason,
                expires: w.expires.clone(),
                source: &w.source,
            })
            .collect(),
        baseline: plan
            .baseline
            .as_ref()
            .map(|b| (b.file.as_str(), b.known_findings.len(), b.absent.len())),
        cost: &plan.cost,
        most_disruptive: std::cell::OnceCell::new(),
    }))
}

fn cost_report(json: CostJson) -> CostReport {
    CostReport {
        currency: json.currency,
        catalog_date: json.catalog_date,
        monthly_before: json.monthly_before,
        monthly_after: json.monthly_after,
        monthly_delta: json.monthly_delta,
        totals_at_least: json.totals_at_least,
        resources: json.resources.into_iter().map(resource_cost).collect(),
        unsupported: json
            .unsupported
            .into_iter()
            .map(|u| UnsupportedType {
                resource_type: u.resource_type,
                count: u.count,
                addresses: u.addresses,
                reason: u.reason,
            })
            .collect(),
        usage_based: json
            .usage_based
            .into_iter()
            .map(|u| UsageBased {
                address: u.address,
                resource_type: u.resource_type,
                usage_given: u.usage_given,
            })
            .collect(),
        warnings: json.warnings,
    }
}

fn resource_cost(json: ResourceJson) -> ResourceCost {
    use planguard_cost::Status as Cost;
    let components = |list: Vec<ComponentJson>| -> Vec<Component> {
        list.into_iter()
            .map(|c| Component {
                name: c.name,
                unit: c.unit,
                quantity: c.quantity,
                unit_price: c.unit_price,
                monthly: c.monthly,
                assumed: c.assumed,
                approximate: c.approximate,
                note: c.note,
            })
            .collect()
    };
    ResourceCost {
        address: json.address,
        resource_type: json.resource_type,
        module: json.module,
        action: json.action,
        deposed: json.deposed,
        monthly_before: json.monthly_before,
        monthly_after: json.monthly_after,
        monthly_delta: json.monthly_delta,
        status: match json.status {
            CostStatusJson::Priced => Cost::Priced,
            CostStatusJson::Free => Cost::Free,
            CostStatusJson::UsageBased => Cost::UsageBased,
            CostStatusJson::Partial => Cost::Partial,
            CostStatusJson::Unknown => Cost::Unknown,
            CostStatusJson::Unsupported => Cost::Unsupported,
        },
        reason: json.reason,
        approximate: json.approximate,
        components: components(json.components),
        components_before: json.components_before.map(components),
    }
}
