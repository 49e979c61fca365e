//! The one entry point: analyse a plan against a configuration and get a [`Report`].

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use planguard_cost::{Catalog, CostReport, Usage};
use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{ActionKind, Loaded, Plan, Redactor, Summary};
use planguard_rules::{EvalOptions, Evaluated, Finding, RuleSet, Severity, WaiverOutcome};
use serde::Serialize;

use crate::ci::CiContext;
use crate::config::Config;
use crate::error::AnalyzeError;
use crate::guardrails::{self, CostFigures, GuardrailResult, GuardrailWaiverOutcome, Inputs, Verdict};

/// The version of the report's JSON shape; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything planguard found about one plan. Its JSON is `planguard check --format json`.
#[derive(Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The plan file.
    pub file: String,
    /// `pass`, `warn` or `fail`.
    pub verdict: Verdict,
    /// What the plan will do.
    pub summary: Summary,
    /// Each guardrail's result, in config order.
    pub guardrails: Vec<GuardrailResult>,
    /// Rule findings (waived ones left out), sorted by severity, rule id, resource, path.
    pub findings: Vec<Finding>,
    /// How many findings waivers hid.
    pub waived_findings: usize,
    /// Each waiver's outcome: applied, expired or stale.
    pub waivers: Vec<WaiverReport>,
    /// The cost of the change.
    pub cost: CostReport,
    /// The changes and what each one reaches.
    pub impact: Impact,
    /// Things the user should know that didn't stop the analysis.
    pub warnings: Vec<String>,
    /// Every (rule, resource) pair evaluated, for JUnit.
    #[serde(skip)]
    pub evaluated: Vec<Evaluated>,
    /// The dependency graph, for renderers that draw it (Markdown's Mermaid view). Kept
    /// rather than rendered up front: most outputs never draw it, and on large plans the
    /// drawing would be too big to use anyway.
    #[serde(skip)]
    pub graph: Graph,
}

/// What became of a waiver.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum WaiverReport {
    /// A waiver of rule findings.
    Rule(WaiverOutcome),
    /// A waiver of guardrail violations.
    Guardrail(GuardrailWaiverOutcome),
}

/// The changes of a plan with their blast radius.
#[derive(Debug, Default, Serialize)]
pub struct Impact {
    /// Nodes in the dependency graph.
    pub nodes: usize,
    /// Edges in the dependency graph.
    pub edges: usize,
    /// Each changed resource, in dependency order (what others depend on first).
    pub changes: Vec<ChangeImpact>,
    /// Dependency cycles (each a list of addresses).
    pub cycles: Vec<Vec<String>>,
}

/// One change and what it reaches.
#[derive(Debug, Serialize)]
pub struct ChangeImpact {
    /// The changed resource.
    pub address: String,
    /// Its action.
    pub action: ActionKind,
    /// How many nodes depend on it, directly or not: exact up to [`MAX_BLAST_RADIUS`]; when
    /// more do, this is [`MAX_BLAST_RADIUS`] and `blast_radius_capped` is true (counting
    /// exactly from every change of a large plan is quadratic).
    pub blast_radius: usize,
    /// True when more than [`MAX_BLAST_RADIUS`] nodes depend on the change (`blast_radius`
    /// is then a lower bound). Left out of the JSON when false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub blast_radius_capped: bool,
    /// The changed resources among them (at most [`MAX_LISTED_DEPENDENTS`], first in address
    /// order; when `blast_radius_capped`, taken from the [`MAX_BLAST_RADIUS`] nodes counted).
    pub dependents: Vec<String>,
    /// The worst action among the change and everything it reaches (always exact, capped
    /// or not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub worst_action: Option<ActionKind>,
}

/// Dependents listed per change in the report.
pub const MAX_LISTED_DEPENDENTS: usize = 50;

/// The most dependents counted per change; see [`ChangeImpact::blast_radius`].
pub const MAX_BLAST_RADIUS: usize = 1_000;

/// Settings of an analysis beyond the config file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The Terraform sources (for locals in the graph).
    pub source_dir: Option<PathBuf>,
    /// Branch and repository for scoped guardrails.
    pub ci: CiContext,
    /// The date waiver expiry is judged against (today when `None`).
    pub today: Option<Date>,
    /// Record every (rule, resource) pair evaluated (JUnit needs it).
    pub record_evaluated: bool,
}

/// A ready-to-run analyzer: configuration, rules, prices and usage loaded once, then applied
/// to any number of plans.
///
/// ```
/// use std::path::Path;
/// use planguard::{Analyzer, Verdict};
///
/// let analyzer = Analyzer::builder().build().unwrap();
/// let report = analyzer
///     .analyze_file(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/terraform/changes/plan.json")))
///     .unwrap();
/// assert_eq!(report.summary.counts.create, 1);
/// assert_eq!(report.verdict, Verdict::Pass); // no findings on terraform_data
/// ```
pub struct Analyzer {
    config: Config,
    rules: RuleSet,
    /// A user's price catalog; `None` means the embedded one.
    catalog: Option<Catalog>,
    usage: Option<Usage>,
    options: Options,
}

/// Builds an [`Analyzer`].
#[derive(Default)]
pub struct AnalyzerBuilder {
    config: Option<Config>,
    rule_dirs: Vec<PathBuf>,
    usage: Option<PathBuf>,
    prices: Option<PathBuf>,
    options: Options,
    fail_on: Option<Severity>,
}

impl AnalyzerBuilder {
    /// Uses this configuration (default: [`Config::default`]).
    pub fn config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    /// Adds a directory of YAML rules.
    pub fn rules_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.rule_dirs.push(dir.into());
        self
    }

    /// Uses a usage file for usage-based costs (overrides the config's).
    pub fn usage(mut self, path: impl Into<PathBuf>) -> Self {
        self.usage = Some(path.into());
        self
    }

    /// Uses a price catalog instead of the embedded one (overrides the config's).
    pub fn prices(mut self, path: impl Into<PathBuf>) -> Self {
        self.prices = Some(path.into());
        self
    }

    /// Replaces the severity threshold of every policy guardrail (the default one included).
    pub fn fail_on(mut self, severity: Severity) -> Self {
        self.fail_on = Some(severity);
        self
    }

    /// Sets the analysis options.
    pub fn options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// Loads rules, prices and usage.
    pub fn build(self) -> Result<Analyzer, AnalyzeError> {
        let mut config = self.config.unwrap_or_default();
        if let Some(severity) = self.fail_on {
            for g in &mut config.guardrails {
                if let crate::config::GuardrailKind::Policy(p) = &mut g.kind {
                    p.severity = Some(severity);
                }
            }
        }
        let mut rules = RuleSet::builtin()?;
        for dir in config.rule_dirs.iter().chain(&self.rule_dirs) {
            rules = rules.merge(RuleSet::load_dir(dir)?)?;
        }
        if !config.disabled_rules.is_empty() {
            let disabled: Vec<crate::config::GlobText> = config
                .disabled_rules
                .iter()
                .map(|g| crate::config::GlobText::new(g))
                .collect::<Result<_, _>>()
                .map_err(|e| AnalyzeError::Values(e.to_string()))?;
            let keep: Vec<String> = rules
                .rules()
                .map(|m| m.id.to_string())
                .filter(|id| !disabled.iter().any(|g| g.is_match(id)))
                .collect();
            rules = rules.only(&keep)?;
        }
        let catalog = match self.prices.as_ref().or(config.prices.as_ref()) {
            Some(path) => Some(Catalog::from_path(path)?),
            None => None,
        };
        let usage = match self.usage.as_ref().or(config.usage.as_ref()) {
            Some(path) => Some(Usage::from_path(path)?),
            None => None,
        };
        let mut options = self.options;
        if options.source_dir.is_none() {
            options.source_dir = config.source_dir.clone();
        }
        Ok(Analyzer {
            config,
            rules,
            catalog,
            usage,
            options,
        })
    }
}

impl Analyzer {
    /// A builder with default settings.
    pub fn builder() -> AnalyzerBuilder {
        AnalyzerBuilder::default()
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The price catalog in use.
    pub fn catalog(&self) -> &Catalog {
        self.catalog.as_ref().unwrap_or_else(|| Catalog::embedded())
    }

    /// The rules in use.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Loads and analyses a plan file.
    pub fn analyze_file(&self, path: &Path) -> Result<Report, AnalyzeError> {
        let loaded = planguard_plan::load_file(path, &Default::default())?;
        self.analyze_loaded(&loaded)
    }

    /// Analyses a loaded plan (its warnings go into the report).
    pub fn analyze_loaded(&self, loaded: &Loaded) -> Result<Report, AnalyzeError> {
        let mut report = self.analyze(&loaded.plan, &loaded.origin.display().to_string())?;
        let mut warnings: Vec<String> = loaded.warnings.iter().map(|w| w.message.clone()).collect();
        warnings.append(&mut report.warnings);
        report.warnings = warnings;
        Ok(report)
    }

    /// Analyses a plan; `file` names it in the report.
    ///
    /// The graph and rules run beside the cost estimate (rayon), each internally parallel.
    pub fn analyze(&self, plan: &Plan, file: &str) -> Result<Report, AnalyzeError> {
        let graph_options = GraphOptions {
            source_dir: self.options.source_dir.clone(),
        };
        let eval_options = EvalOptions {
            waivers: self.config.rule_waivers.clone(),
            today: self.options.today,
            record_evaluated: self.options.record_evaluated,
        };
        let (left, right) = rayon::join(
            || -> Result<_, AnalyzeError> {
                let built = Graph::build(plan, &graph_options)?;
                let evaluation = planguard_rules::evaluate(plan, Some(&built.graph), &self.rules, &eval_options)?;
                Ok((built, evaluation))
            },
            || -> Result<_, AnalyzeError> {
                let cost = planguard_cost::estimate(plan, self.catalog(), self.usage.as_ref())?;
                let summary = Summary::of(plan).map_err(|e| AnalyzeError::Values(e.to_string()))?;
                Ok((cost, summary))
            },
        );
        let (built, evaluation) = left?;
        let (cost, summary) = right?;
        let graph = built.graph;
        let mut warnings: Vec<String> = built.warnings.iter().map(ToString::to_string).collect();
        warnings.extend(cost.warnings.iter().cloned());
        for skipped in &evaluation.skipped {
            warnings.push(format!("rule {} not run: {}", skipped.rule_id, skipped.reason));
        }
        for issue in &evaluation.value_issues {
            warnings.push(format!(
                "{file}:{}:{}: the values of {} cannot be read ({}): its rules report `unknown`",
                issue.line, issue.column, issue.resource, issue.message
            ));
        }

        let today = self.options.today.unwrap_or_else(|| jiff::Zoned::now().date());
        let figures = CostFigures {
            monthly_before: cost.monthly_before,
            monthly_after: cost.monthly_after,
            unknown: cost
                .resources
                .iter()
                .filter(|r| r.status == planguard_cost::Status::Unknown)
                .map(|r| (r.address.clone(), r.reason.clone().unwrap_or_else(|| "unknown".into())))
                .collect(),
            currency: cost.currency.clone(),
        };
        let (guardrail_results, guardrail_waivers) = guardrails::evaluate(
            &self.config,
            &Inputs {
                plan,
                findings: &evaluation.findings,
                cost: &figures,
                ci: &self.options.ci,
                today,
            },
        );
        let mut verdict = guardrails::verdict(&guardrail_results);
        // Fail closed: a plan with a resource whose values could not be read is never a plain
        // pass, whatever the guardrails say about the `unknown` findings this left.
        if verdict == guardrails::Verdict::Pass && !evaluation.value_issues.is_empty() {
            verdict = guardrails::Verdict::Warn;
        }
        let mut waivers: Vec<WaiverReport> = evaluation.waivers.iter().cloned().map(WaiverReport::Rule).collect();
        waivers.extend(guardrail_waivers.into_iter().map(WaiverReport::Guardrail));

        let impact = impact(&graph);
        // Findings quote attribute values; scrub any sensitive variable value that a rule
        // message might carry without its mark.
        let secrets: Redactor = plan.sensitive_variables();
        let mut findings = evaluation.findings;
        for f in &mut findings {
            if !secrets.is_empty() {
                f.message = secrets.scrub(&f.message);
            }
            if let Some(&severity) = self.config.severity_overrides.get(&*f.rule_id) {
                f.severity = severity;
            }
        }
        if !self.config.severity_overrides.is_empty() {
            findings.sort_by(|a, b| {
                (a.severity, &a.rule_id, &a.resource, &a.path).cmp(&(b.severity, &b.rule_id, &b.resource, &b.path))
            });
        }
        Ok(Report {
            schema_version: SCHEMA_VERSION,
            file: file.to_string(),
            verdict,
            summary,
            guardrails: guardrail_results,
            findings,
            waived_findings: evaluation.waived.len(),
            waivers,
            cost,
            impact,
            warnings,
            evaluated: evaluation.evaluated,
            graph,
        })
    }
}

fn impact(graph: &Graph) -> Impact {
    let order = match graph.topological_changes() {
        Ok(order) => order,
        Err(_) => graph
            .nodes()
            .filter(|(_, n)| n.action.is_some_and(|a| a.is_change()))
            .map(|(id, _)| id)
            .collect(),
    };
    let changes = order
        .into_iter()
        .filter_map(|id| {
            let node = graph.node(id);
            let action = node.action?;
            if !action.is_change() || node.change_index.is_none() {
                return None;
            }
            let radius = graph.blast_radius_capped(id, MAX_BLAST_RADIUS);
            let dependents = radius
                .nodes
                .iter()
                .map(|&n| graph.node(n))
                .filter(|n| n.change_index.is_some())
                .take(MAX_LISTED_DEPENDENTS)
                .map(|n| n.address.clone())
                .collect();
            Some(ChangeImpact {
                address: node.address.clone(),
                action,
                blast_radius: radius.nodes.len(),
                blast_radius_capped: radius.capped,
                dependents,
                worst_action: graph.worst_reachable_action(id),
            })
        })
        .collect();
    Impact {
        nodes: graph.len(),
        edges: graph.edge_count(),
        changes,
        cycles: graph
            .cycles()
            .iter()
            .map(|c| c.iter().map(|&id| graph.node(id).address.clone()).collect())
            .collect(),
    }
}

/// Analyses a plan with a configuration: the one-call form of [`Analyzer`].
pub fn analyze(plan: &Plan, config: &Config) -> Result<Report, AnalyzeError> {
    Analyzer::builder()
        .config(config.clone())
        .build()?
        .analyze(plan, "plan")
}
