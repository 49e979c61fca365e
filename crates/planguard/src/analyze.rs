//! The one entry point: analyse a plan against a configuration and get a [`Report`].

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use planguard_cost::{Catalog, CostReport, Usage};
use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{ActionKind, Loaded, Plan, Redactor, Summary};
use planguard_rules::{
    EvalOptions, Evaluated, Finding, RuleMeta, RuleSet, Scope, Selection, SelectorKind, Severity, SeverityScope,
    WaiverOutcome,
};
use serde::Serialize;

use crate::baseline::{BaselineOutcome, LoadedBaseline};
use crate::ci::CiContext;
use crate::config::{Config, FoundBy, GuardrailKind, Mode, PolicyGuardrail};
use crate::error::{AnalyzeError, ConfigError};
use crate::guardrails::{self, CostFigures, GuardrailResult, GuardrailWaiverOutcome, Inputs, Verdict};
use crate::inline_skips::{AppliedWaiver, InlineSkipOutcome};
use crate::sources::SourceIndex;

/// The version of the report's JSON shape; bumped on any incompatible change (2:
/// `waived_findings` became the list of hidden findings, with reason, expiry and source).
pub const SCHEMA_VERSION: u32 = 2;

/// Everything planguard found about one plan. Its JSON is `planguard check --format json`.
#[derive(Debug, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The plan file.
    pub file: String,
    /// The configuration file used, or that none was found.
    pub config: ConfigUsed,
    /// `pass`, `warn` or `fail`.
    pub verdict: Verdict,
    /// What the plan will do.
    pub summary: Summary,
    /// Each guardrail's result, in config order.
    pub guardrails: Vec<GuardrailResult>,
    /// Rule findings (waived ones left out), sorted by severity, rule id, resource, path.
    pub findings: Vec<Finding>,
    /// The findings waivers and inline skips hid, each with its reason, expiry and source.
    pub waived_findings: Vec<AppliedWaiver>,
    /// Each waiver's and inline skip's outcome: applied, expired or stale.
    pub waivers: Vec<WaiverReport>,
    /// With a baseline: the findings it knew (not failing) and its entries that no longer
    /// occur. Left out of the JSON without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineOutcome>,
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
    /// Where the plan's resources are declared, when a source directory was given.
    #[serde(skip)]
    pub sources: Option<SourceIndex>,
    /// The source directory, as given.
    #[serde(skip)]
    pub source_dir: Option<PathBuf>,
    /// How long each stage of the analysis took, in the order they ran (for `--verbose`;
    /// not in the JSON, which stays the same from run to run).
    #[serde(skip)]
    pub timings: Vec<(&'static str, Duration)>,
}

/// Which configuration a report was made with: every report says it at the top.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigUsed {
    /// The file (relative to the working directory when under it); `None` without one.
    pub file: Option<String>,
    /// How it was chosen.
    pub found_by: FoundBy,
    /// One line for people: the file and how it was found, or that none was.
    pub description: String,
}

impl ConfigUsed {
    /// What `config` says about itself.
    pub fn of(config: &Config) -> ConfigUsed {
        ConfigUsed {
            file: config.origin.as_ref().map(|p| p.display().to_string()),
            found_by: config.found_by,
            description: config.describe(),
        }
    }
}

/// What became of a waiver.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum WaiverReport {
    /// A waiver of rule findings.
    Rule(WaiverOutcome),
    /// A waiver of guardrail violations.
    Guardrail(GuardrailWaiverOutcome),
    /// An inline skip comment in the Terraform sources.
    Inline(InlineSkipOutcome),
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
    /// The dependency graph of the changes as a Mermaid flowchart: what the Markdown comment
    /// draws, kept here so that the comment can be made again from the JSON report. Left out
    /// without changes, and when Mermaid would refuse it (over
    /// [`MAX_MERMAID_CHANGES`](crate::render::markdown::MAX_MERMAID_CHANGES) changes, or over
    /// its character or edge limit): the comment then points at `planguard graph`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mermaid: Option<String>,
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

/// Under `--scope all`, says how many managed resources of the prior state or the planned
/// values the plan doesn't list in `resource_changes` (a `-target` or refresh-only plan):
/// the rules judge resource changes, so those were not judged.
fn unlisted_resources(plan: &Plan) -> Option<String> {
    let listed: std::collections::HashSet<&str> = plan.resource_changes.iter().map(|c| c.address.as_str()).collect();
    let mut missing: Vec<&str> = plan
        .prior_state
        .iter()
        .filter_map(|s| s.values.as_ref())
        .chain(plan.planned_values.iter())
        .flat_map(|v| v.resources())
        .filter(|r| r.mode == planguard_plan::Mode::Managed && !listed.contains(r.address.as_str()))
        .map(|r| r.address.as_str())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    let first = missing.first()?;
    Some(format!(
        "scope all: {} resource(s) of the prior state are not among the plan's resource changes \
         (a -target or refresh-only plan?) and were not judged, e.g. {first}",
        missing.len()
    ))
}

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
    /// Which resources the rules judge, replacing the config's `rules.scope` when given.
    pub scope: Option<Scope>,
    /// Findings to accept as known: they are reported but fail no guardrail.
    pub baseline: Option<std::sync::Arc<LoadedBaseline>>,
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
    /// Things the user should know about the setup (a `--skip-check` entry naming no
    /// rule); every report repeats them.
    warnings: Vec<String>,
    /// How long loading rules, prices and usage took.
    setup_timings: Vec<(&'static str, Duration)>,
    /// A user's price catalog; `None` means the embedded one.
    catalog: Option<Catalog>,
    usage: Option<Usage>,
    options: Options,
    /// Rego policies (`--policy`, `policy_dirs:`), when any.
    policies: Option<planguard_policy::PolicySet>,
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
    selection: Selection,
    policy_dirs: Vec<PathBuf>,
    policy_namespaces: Option<planguard_policy::Namespaces>,
    policy_time_limit: Option<Duration>,
}

/// The name of the guardrail `--fail-on` adds when no enforced policy guardrail of the
/// config has a severity threshold to replace.
pub const FAIL_ON_GUARDRAIL: &str = "fail-on";

impl AnalyzerBuilder {
    /// Uses this configuration (default: [`Config::default`]).
    pub fn config(mut self, config: Config) -> Self {
        self.config = Some(config);
        self
    }

    /// Adds a directory of YAML rules: planguard rules or Checkov custom policies.
    pub fn rules_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.rule_dirs.push(dir.into());
        self
    }

    /// Adds a directory of Rego (conftest/OPA) policies, after the config's `policy_dirs`.
    pub fn policy_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.policy_dirs.push(dir.into());
        self
    }

    /// Runs the conftest rules of these packages (conftest's `--namespace`, repeatable;
    /// `main` by default), replacing the config's `policy_namespaces`.
    pub fn policy_namespace(mut self, namespace: impl Into<String>) -> Self {
        match &mut self.policy_namespaces {
            Some(planguard_policy::Namespaces::List(list)) => list.push(namespace.into()),
            _ => self.policy_namespaces = Some(planguard_policy::Namespaces::List(vec![namespace.into()])),
        }
        self
    }

    /// Runs the conftest rules of every package (conftest's `--all-namespaces`).
    pub fn all_policy_namespaces(mut self) -> Self {
        self.policy_namespaces = Some(planguard_policy::Namespaces::All);
        self
    }

    /// Stops a policy rule that runs longer than this on a plan (default
    /// [`planguard_policy::DEFAULT_TIME_LIMIT`]); the analysis then fails with an error.
    pub fn policy_time_limit(mut self, limit: Duration) -> Self {
        self.policy_time_limit = Some(limit);
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

    /// Fails on findings at or above `severity`, whatever the config says: the threshold
    /// of every policy guardrail that has one (the default one included) is replaced, and
    /// when no enforced, unscoped policy guardrail has a threshold, an enforced
    /// [`FAIL_ON_GUARDRAIL`] is added, so the flag always takes effect.
    pub fn fail_on(mut self, severity: Severity) -> Self {
        self.fail_on = Some(severity);
        self
    }

    /// Runs only the rules these selectors name (Checkov's `--check`): rule ids in any
    /// case, globs over ids (`AWS-S3-*`), severities (that severity and above) and peer
    /// ids (`CKV_AWS_20`). A selector that names no rule is an error.
    pub fn check(mut self, selectors: impl IntoIterator<Item = String>) -> Self {
        self.selection.check.extend(selectors);
        self
    }

    /// Doesn't run the rules these selectors name (Checkov's `--skip-check`; a severity
    /// means that severity and below). A selector that names no rule is a warning.
    pub fn skip_check(mut self, selectors: impl IntoIterator<Item = String>) -> Self {
        self.selection.skip.extend(selectors);
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
            apply_fail_on(&mut config, severity);
        }
        let started = Instant::now();
        let mut rules = load_rules(config.rule_dirs.iter().chain(&self.rule_dirs))?;
        config.severity_overrides = canonical_overrides(&config, &rules)?;
        let overrides = config.severity_overrides.clone();
        let severity_of = move |m: &RuleMeta| overrides.get(&*m.id).copied().unwrap_or(m.severity);
        if !config.disabled_rules.is_empty() {
            let mut disabled = std::collections::BTreeSet::new();
            for id in &config.disabled_rules {
                let resolved = rules.resolve(id, SeverityScope::AtOrBelow, &severity_of)?;
                if resolved.rules.is_empty() {
                    return Err(unknown_rule_id(&config, "rules.disable", id, &rules).into());
                }
                disabled.extend(resolved.rules.iter().map(|m| m.id.to_string()));
            }
            let keep: Vec<String> = rules
                .rules()
                .map(|m| m.id.to_string())
                .filter(|id| !disabled.contains(id))
                .collect();
            rules = rules.only(&keep)?;
        }
        let mut warnings = Vec::new();
        if !self.selection.is_empty() {
            let selected = rules.select(&self.selection, &severity_of)?;
            rules = selected.rules;
            warnings = selected.warnings;
        }
        let mut setup_timings = vec![("load rules", started.elapsed())];
        let started = Instant::now();
        let catalog = match self.prices.as_ref().or(config.prices.as_ref()) {
            Some(path) => Some(Catalog::from_path(path)?),
            None => None,
        };
        let usage = match self.usage.as_ref().or(config.usage.as_ref()) {
            Some(path) => Some(Usage::from_path(path)?),
            None => None,
        };
        setup_timings.push(("load prices and usage", started.elapsed()));
        let started = Instant::now();
        let policy_dirs: Vec<&PathBuf> = config.policy_dirs.iter().chain(&self.policy_dirs).collect();
        let policies = if policy_dirs.is_empty() {
            None
        } else {
            let namespaces = self
                .policy_namespaces
                .or_else(|| config.policy_namespaces.clone())
                .unwrap_or_default();
            let mut set = planguard_policy::PolicySet::load(&policy_dirs, &namespaces)?;
            set.require_rules()?;
            if let Some(limit) = self.policy_time_limit {
                set.set_time_limit(limit);
            }
            setup_timings.push(("load policies", started.elapsed()));
            Some(set)
        };
        let mut options = self.options;
        if options.source_dir.is_none() {
            options.source_dir = config.source_dir.clone();
        }
        Ok(Analyzer {
            config,
            rules,
            warnings,
            setup_timings,
            catalog,
            usage,
            options,
            policies,
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

    /// The Rego policies in use, if any.
    pub fn policies(&self) -> Option<&planguard_policy::PolicySet> {
        self.policies.as_ref()
    }

    /// The usage file in use, if any.
    pub fn usage(&self) -> Option<&Usage> {
        self.usage.as_ref()
    }

    /// The analysis options (the source directory resolved from the config included).
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Warnings about the setup, repeated in every report.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// How long loading rules, prices and usage took (for `--verbose`).
    pub fn setup_timings(&self) -> &[(&'static str, Duration)] {
        &self.setup_timings
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
            scope: self.options.scope.unwrap_or(self.config.rule_scope),
        };
        let graph_and_rules = || -> Result<_, AnalyzeError> {
            let started = Instant::now();
            let built = Graph::build(plan, &graph_options)?;
            let graph_time = started.elapsed();
            let started = Instant::now();
            let evaluation = planguard_rules::evaluate(plan, Some(&built.graph), &self.rules, &eval_options)?;
            Ok((built, evaluation, [("graph", graph_time), ("rules", started.elapsed())]))
        };
        let cost_and_summary = || -> Result<_, AnalyzeError> {
            let started = Instant::now();
            let cost = planguard_cost::estimate(plan, self.catalog(), self.usage.as_ref())?;
            let cost_time = started.elapsed();
            let started = Instant::now();
            let summary = Summary::of(plan).map_err(|e| AnalyzeError::Values(e.to_string()))?;
            Ok((cost, summary, [("cost", cost_time), ("summary", started.elapsed())]))
        };
        // Policies read the whole plan document again, the longest stage on a large plan:
        // started first, on this thread, while another takes the built-in analysis.
        let (policy_run, (left, right)) = match &self.policies {
            Some(set) => rayon::join(
                || -> Result<_, AnalyzeError> {
                    let started = Instant::now();
                    let found = crate::policies::evaluate(set, plan)?;
                    Ok((Some(found), ("policies", started.elapsed())))
                },
                || rayon::join(graph_and_rules, cost_and_summary),
            ),
            None => (
                Ok((None, ("policies", Duration::ZERO))),
                rayon::join(graph_and_rules, cost_and_summary),
            ),
        };
        let (built, mut evaluation, left_times) = left?;
        let (cost, summary, right_times) = right?;
        let (policy_findings, policy_time) = policy_run?;
        let today = self.options.today.unwrap_or_else(|| jiff::Zoned::now().date());
        let mut policy_warn_ids = std::collections::BTreeSet::new();
        let mut policy_excepted = Vec::new();
        if let Some(found) = policy_findings {
            let kept =
                crate::policies::apply_waivers(found.findings, &self.config.rule_waivers, today, &mut evaluation);
            evaluation.findings.extend(kept);
            evaluation.findings.sort_by(|a, b| {
                (a.severity, &a.rule_id, &a.resource, &a.path, a.status, &a.message).cmp(&(
                    b.severity,
                    &b.rule_id,
                    &b.resource,
                    &b.path,
                    b.status,
                    &b.message,
                ))
            });
            policy_warn_ids = found.warn_ids;
            policy_excepted = found.excepted;
        }
        let started = Instant::now();
        let graph = built.graph;
        let mut warnings: Vec<String> = self.warnings.clone();
        warnings.extend(built.warnings.iter().map(ToString::to_string));
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
        if eval_options.scope == Scope::All {
            warnings.extend(unlisted_resources(plan));
        }

        // Overrides apply before the guardrails judge the findings: a rule raised to
        // critical must fail the policy as critical.
        if !self.config.severity_overrides.is_empty() {
            for f in &mut evaluation.findings {
                if let Some(&severity) = self.config.severity_overrides.get(&*f.rule_id) {
                    f.severity = severity;
                }
            }
            evaluation.findings.sort_by(|a, b| {
                (a.severity, &a.rule_id, &a.resource, &a.path).cmp(&(b.severity, &b.rule_id, &b.resource, &b.path))
            });
        }
        let mut exceptions = self.apply_exceptions(plan, file, &mut evaluation, today, &mut warnings);
        if !policy_excepted.is_empty() {
            exceptions.waived.extend(
                policy_excepted
                    .into_iter()
                    .map(|(finding, file)| crate::policies::excepted_entry(finding, file)),
            );
            exceptions
                .waived
                .sort_by(|a, b| (&a.rule, &a.address, &a.path).cmp(&(&b.rule, &b.address, &b.path)));
        }
        let figures = CostFigures {
            monthly_before: cost.monthly_before,
            monthly_after: cost.monthly_after,
            unknown: cost
                .resources
                .iter()
                // A partial resource's figures are lower bounds: a budget can't be decided on them.
                .filter(|r| {
                    matches!(
                        r.status,
                        planguard_cost::Status::Unknown | planguard_cost::Status::Partial
                    )
                })
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
        // A policy's `warn` rule warns, as in conftest, whatever threshold the guardrails set.
        if verdict == guardrails::Verdict::Pass
            && evaluation.findings.iter().any(|f| policy_warn_ids.contains(&f.rule_id))
        {
            verdict = guardrails::Verdict::Warn;
        }
        let mut waivers: Vec<WaiverReport> = evaluation.waivers.iter().cloned().map(WaiverReport::Rule).collect();
        waivers.extend(guardrail_waivers.into_iter().map(WaiverReport::Guardrail));
        waivers.extend(exceptions.inline.into_iter().map(WaiverReport::Inline));

        let impact = impact(&graph);
        // Findings quote attribute values; scrub any sensitive variable value that a rule
        // message might carry without its mark.
        let secrets: Redactor = plan.sensitive_variables();
        let mut findings = evaluation.findings;
        if !secrets.is_empty() {
            for f in &mut findings {
                f.message = secrets.scrub_shown(&f.message);
                f.path = secrets.scrub_shown(&f.path);
            }
        }
        let mut timings = left_times.to_vec();
        timings.extend(right_times);
        if self.policies.is_some() {
            timings.push(policy_time);
        }
        timings.push(("guardrails", started.elapsed()));
        Ok(Report {
            schema_version: SCHEMA_VERSION,
            file: file.to_string(),
            config: ConfigUsed::of(&self.config),
            verdict,
            summary,
            guardrails: guardrail_results,
            findings,
            waived_findings: exceptions.waived,
            waivers,
            baseline: exceptions.baseline,
            cost,
            impact,
            warnings,
            evaluated: evaluation.evaluated,
            graph,
            timings,
            sources: exceptions.sources,
            source_dir: self.options.source_dir.clone(),
        })
    }

    /// Takes out of `evaluation.findings` what config waivers, inline skips and the
    /// baseline accept, before guardrails judge the rest.
    fn apply_exceptions(
        &self,
        plan: &Plan,
        file: &str,
        evaluation: &mut planguard_rules::Evaluation,
        today: Date,
        warnings: &mut Vec<String>,
    ) -> Exceptions {
        let config_source = self
            .config
            .origin
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "config".to_string());
        let mut waived: Vec<AppliedWaiver> = std::mem::take(&mut evaluation.waived)
            .into_iter()
            .filter_map(|w| {
                let waiver = self.config.rule_waivers.get(w.waiver)?;
                Some(AppliedWaiver {
                    rule: w.finding.rule_id.to_string(),
                    address: w.finding.resource.clone(),
                    path: w.finding.path.to_string(),
                    reason: waiver.reason.clone(),
                    expires: waiver.expires,
                    source: config_source.clone(),
                    kind: "config",
                    finding: w.finding,
                })
            })
            .collect();
        let mut inline = Vec::new();
        let sources = self.options.source_dir.as_ref().map(|dir| {
            let index = SourceIndex::build(dir, plan);
            if index.files_read() == 0 {
                warnings.push(format!(
                    "--source-dir {}: no .tf file there: findings point at the plan file",
                    dir.display()
                ));
            } else if !plan.resource_changes.is_empty() && !index.declares_any_of(plan) {
                warnings.push(format!(
                    "--source-dir {}: its .tf files declare none of the plan's {} resources (is it this plan's \
                     configuration?): findings point at the plan file and inline skips there do not apply",
                    dir.display(),
                    plan.resource_changes.len()
                ));
            }
            let findings = std::mem::take(&mut evaluation.findings);
            let (kept, hidden, outcomes, skip_warnings) =
                crate::inline_skips::apply(findings, &index, &self.rules, today);
            evaluation.findings = kept;
            waived.extend(hidden);
            inline = outcomes;
            warnings.extend(skip_warnings);
            index
        });
        waived.sort_by(|a, b| (&a.rule, &a.address, &a.path).cmp(&(&b.rule, &b.address, &b.path)));
        let baseline = self.options.baseline.as_ref().map(|loaded| {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
            let key = crate::baseline::plan_key(file, &cwd);
            let findings = std::mem::take(&mut evaluation.findings);
            let (fresh, outcome) = loaded.baseline.split(&key, findings, &loaded.path);
            evaluation.findings = fresh;
            outcome
        });
        Exceptions {
            waived,
            inline,
            baseline,
            sources,
        }
    }
}

/// What [`Analyzer::apply_exceptions`] took out of the findings.
struct Exceptions {
    waived: Vec<AppliedWaiver>,
    inline: Vec<InlineSkipOutcome>,
    baseline: Option<BaselineOutcome>,
    sources: Option<SourceIndex>,
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
    let changes: Vec<ChangeImpact> = order
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
    let mermaid = changes_mermaid(graph, changes.len());
    Impact {
        nodes: graph.len(),
        edges: graph.edge_count(),
        mermaid,
        changes,
        cycles: graph
            .cycles()
            .iter()
            .map(|c| c.iter().map(|&id| graph.node(id).address.clone()).collect())
            .collect(),
    }
}

/// The Mermaid drawing of the changes, when there are some and Mermaid would draw it.
fn changes_mermaid(graph: &Graph, changes: usize) -> Option<String> {
    use crate::render::markdown::{MAX_MERMAID_CHANGES, MAX_MERMAID_CHARS, MAX_MERMAID_EDGES};
    // Drawing thousands of changes would only be refused by Mermaid: count first.
    if changes == 0 || changes > MAX_MERMAID_CHANGES {
        return None;
    }
    let mermaid = graph.to_mermaid(&planguard_graph::View {
        changed_only: true,
        ..planguard_graph::View::default()
    });
    let edges = mermaid
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
        .count();
    (mermaid.len() <= MAX_MERMAID_CHARS && edges <= MAX_MERMAID_EDGES).then_some(mermaid)
}

/// Analyses a plan with a configuration: the one-call form of [`Analyzer`].
pub fn analyze(plan: &Plan, config: &Config) -> Result<Report, AnalyzeError> {
    Analyzer::builder()
        .config(config.clone())
        .build()?
        .analyze(plan, "plan")
}

/// The builtin rules plus those of each directory, in order: what `planguard rules` and
/// `planguard check` load.
pub fn load_rules<P: AsRef<Path>>(dirs: impl IntoIterator<Item = P>) -> Result<RuleSet, AnalyzeError> {
    let mut rules = RuleSet::builtin()?;
    for dir in dirs {
        rules = rules.merge(RuleSet::load_dir(dir.as_ref())?)?;
    }
    Ok(rules)
}

fn apply_fail_on(config: &mut Config, severity: Severity) {
    let mut enforced = false;
    for g in &mut config.guardrails {
        if let GuardrailKind::Policy(p) = &mut g.kind {
            if p.severity.is_some() {
                p.severity = Some(severity);
                let unscoped = g.scope.branches.is_empty() && g.scope.repositories.is_empty();
                enforced |= g.mode == Mode::Enforce && unscoped;
            }
        }
    }
    if !enforced {
        config.guardrails.push(crate::config::Guardrail {
            name: FAIL_ON_GUARDRAIL.into(),
            mode: Mode::Enforce,
            scope: Default::default(),
            kind: GuardrailKind::Policy(PolicyGuardrail {
                severity: Some(severity),
                ..PolicyGuardrail::default()
            }),
            line: 0,
        });
    }
}

/// The config's severity overrides keyed by the ids of the rules they name (written in any
/// case, or as a peer id naming several rules); a key naming no rule is an error at its
/// position in the file.
fn canonical_overrides(
    config: &Config,
    rules: &RuleSet,
) -> Result<std::collections::BTreeMap<String, Severity>, AnalyzeError> {
    let mut out = std::collections::BTreeMap::new();
    let own = |m: &RuleMeta| m.severity;
    for (id, &severity) in &config.severity_overrides {
        // Policy rules are known only once a plan is evaluated: their ids are taken as written.
        if id.starts_with(crate::policies::REGO_ID_PREFIX) {
            out.insert(id.clone(), severity);
            continue;
        }
        let resolved = rules.resolve(id, SeverityScope::AtOrAbove, &own)?;
        if resolved.rules.is_empty() || matches!(resolved.kind, SelectorKind::Severity(_)) {
            return Err(unknown_rule_id(config, "rules.severity", id, rules).into());
        }
        for m in resolved.rules {
            out.insert(m.id.to_string(), severity);
        }
    }
    Ok(out)
}

/// A rule id in the config that names no rule, reported where it is written. An error,
/// not a warning: every rule directory is loaded before the check, so a miss is a typo,
/// and a mistyped severity override silently keeps a severity the team meant to change.
fn unknown_rule_id(config: &Config, section: &str, id: &str, rules: &RuleSet) -> ConfigError {
    let (line, column) = config
        .rule_id_positions
        .iter()
        .find(|p| p.section == section && p.id == id)
        .map_or((1, 1), |p| (p.line, p.column));
    let path = config
        .origin
        .clone()
        .unwrap_or_else(|| PathBuf::from(crate::config::CONFIG_FILE_NAME));
    let closest = rules
        .closest_id(id)
        .map(|c| format!("; the closest is {c}"))
        .unwrap_or_default();
    ConfigError::at(
        &path,
        line,
        column,
        &format!("this {section} entry matches no rule id, glob or peer id of the loaded rules{closest}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::from_str_at(text, Path::new(".planguard.yaml")).unwrap()
    }

    fn thresholds(config: &Config) -> Vec<(&str, Option<Severity>)> {
        config
            .guardrails
            .iter()
            .filter_map(|g| match &g.kind {
                GuardrailKind::Policy(p) => Some((g.name.as_str(), p.severity)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn fail_on_replaces_thresholds_or_adds_an_enforced_guardrail() {
        let mut default = Config::default();
        apply_fail_on(&mut default, Severity::Critical);
        assert_eq!(thresholds(&default), [("default-policy", Some(Severity::Critical))]);

        // Warning-only, branch-scoped and rule-list policies can't carry the flag: it adds
        // its own guardrail, and leaves a rule-list policy without a threshold.
        for text in [
            "guardrails:\n  - name: p\n    type: policy\n    mode: warn\n    severity: high\n",
            "guardrails:\n  - name: p\n    type: policy\n    severity: high\n    branches: [main]\n",
            "guardrails:\n  - name: p\n    type: policy\n    rules: [AWS-IAM-*]\n",
        ] {
            let mut c = config(text);
            let before = thresholds(&c)[0].1;
            apply_fail_on(&mut c, Severity::Medium);
            let after = thresholds(&c);
            assert_eq!(after.len(), 2, "{text}");
            assert_eq!(after[0].1, before.map(|_| Severity::Medium), "{text}");
            assert_eq!(after[1], (FAIL_ON_GUARDRAIL, Some(Severity::Medium)), "{text}");
            assert_eq!(c.guardrails.last().unwrap().mode, Mode::Enforce);
        }
    }
}
