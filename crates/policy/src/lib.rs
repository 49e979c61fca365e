//! Rego policies, written for conftest or OPA, run in-process over a Terraform plan.
//!
//! A [`PolicySet`] loads every `.rego` file of some directories (Rego v1, or the older v0
//! syntax of `deny[msg] { ... }`, decided file by file) into one [regorus] engine, with the
//! `.json`/`.yaml` files beside them merged into `data`, and checks that it compiles:
//! errors name the file, line and column before any plan is read.
//!
//! [`PolicySet::evaluate`] follows conftest's conventions: in each selected package
//! (`main` by default) the rules `deny`, `violation` and `warn`, and those named
//! `deny_<name>`, `violation_<name>`, `warn_<name>`, are evaluated with the plan JSON as
//! `input`; each result (a string, or an object with `msg`) is one [`PolicyResult`]. A
//! package's `exception` rule whose value holds `<name>` (the rule name without its
//! `deny_`/`violation_` prefix; `""` for plain `deny`/`violation`) moves that rule's
//! results to [`Outcome::excepted`], as conftest reports them apart.
//!
//! The input is built once per plan and shared by every rule, and sensitive values
//! (`after_sensitive` and the other masks of the plan) are replaced by `"(sensitive)"`
//! before any policy sees them: no message a policy builds can carry one.

#![deny(missing_docs)]

mod error;
mod input;
mod load;
mod roots;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

pub use error::PolicyError;
pub use input::{build_input, Input, SENSITIVE};
pub use roots::InputRoots;

use rayon::prelude::*;
use regorus::Value;

/// Which packages' rules [`PolicySet::evaluate`] runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Namespaces {
    /// `main`, as conftest.
    #[default]
    Default,
    /// These packages (`--namespace`, repeatable); each must exist.
    List(Vec<String>),
    /// Every package the policies declare (`--all-namespaces`).
    All,
}

/// The kind of a conftest rule, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleKind {
    /// `deny`, `deny_<name>`: a failure.
    Deny,
    /// `violation`, `violation_<name>`: a failure (conftest's structured form).
    Violation,
    /// `warn`, `warn_<name>`: a warning.
    Warn,
}

impl RuleKind {
    /// The kind and the name without its prefix (`""` for the bare rule) of a conftest
    /// rule name, or `None` for any other rule.
    pub fn of(rule: &str) -> Option<(RuleKind, &str)> {
        for (prefix, kind) in [
            ("deny", RuleKind::Deny),
            ("violation", RuleKind::Violation),
            ("warn", RuleKind::Warn),
        ] {
            if let Some(rest) = rule.strip_prefix(prefix) {
                if rest.is_empty() {
                    return Some((kind, ""));
                }
                if let Some(name) = rest.strip_prefix('_') {
                    if !name.is_empty() {
                        return Some((kind, name));
                    }
                }
            }
        }
        None
    }

    /// True for deny and violation rules, which fail a policy.
    pub fn is_failure(self) -> bool {
        matches!(self, RuleKind::Deny | RuleKind::Violation)
    }
}

/// A rule of a loaded policy: where it is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSite {
    /// The package (`main`, `terraform.aws`).
    pub package: String,
    /// The rule name (`deny`, `deny_public_ip`, `test_open_ingress`).
    pub rule: String,
    /// The policy file of its first definition, as found under the directory.
    pub file: String,
    /// 1-based line of its first definition.
    pub line: u32,
}

impl RuleSite {
    /// `package.rule`.
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.package, self.rule)
    }

    fn path(&self) -> String {
        format!("data.{}.{}", self.package, self.rule)
    }
}

/// One result of a conftest rule on a plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyResult {
    /// The rule that produced it.
    pub package: String,
    /// The rule name.
    pub rule: String,
    /// Deny, violation or warn.
    pub kind: RuleKind,
    /// The message (the string result, or the object's `msg`).
    pub message: String,
    /// The object's `id` field, when a string.
    pub id: Option<String>,
    /// The object's `severity` field, when a string (not checked here).
    pub severity: Option<String>,
    /// The object's `resource` (or else `address`) field, when a string.
    pub address: Option<String>,
    /// The policy file of the rule.
    pub file: String,
    /// 1-based line of the rule.
    pub line: u32,
    /// False when the result is neither a string nor an object with a string `msg`:
    /// `message` then says so, and the caller should report it as undecided.
    pub well_formed: bool,
}

/// What the policies said about one plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Results of rules no exception covers, sorted (package, rule, message).
    pub results: Vec<PolicyResult>,
    /// Results of deny/violation rules an `exception` of their package covers, sorted.
    pub excepted: Vec<PolicyResult>,
}

/// One `test_` rule's result, as `conftest verify` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// Where the test is.
    pub site: RuleSite,
    /// Pass, fail or error.
    pub status: TestStatus,
}

/// The verdict of one test rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestStatus {
    /// The rule is true.
    Pass,
    /// The rule is false or undefined.
    Fail,
    /// The rule could not be evaluated (the reason, which may quote the test's own data).
    Error(String),
}

/// The default execution limit of one rule on one plan.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(30);

/// Loaded, compiled policies, ready to evaluate any number of plans.
#[derive(Clone)]
pub struct PolicySet {
    engine: regorus::Engine,
    /// Every rule of every package, sorted by package then rule.
    sites: Vec<RuleSite>,
    /// The conftest rules of the selected packages, sorted by package then rule.
    selected: Vec<RuleSite>,
    /// The selected packages that declare an `exception` rule.
    with_exceptions: BTreeSet<String>,
    files: Vec<String>,
    time_limit: Duration,
    namespaces: BTreeSet<String>,
    packages: BTreeSet<String>,
    roots: InputRoots,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("files", &self.files)
            .field("selected", &self.selected)
            .field("time_limit", &self.time_limit)
            .finish()
    }
}

impl PolicySet {
    /// Loads every `.rego` file under the directories (recursively, in sorted order) and
    /// the `.json`/`.yaml`/`.yml` data files beside them, compiles them, and selects the
    /// conftest rules of `namespaces`. A directory may also be a single `.rego` file.
    pub fn load<P: AsRef<Path>>(dirs: &[P], namespaces: &Namespaces) -> Result<PolicySet, PolicyError> {
        let loaded = load::load(dirs)?;
        let chosen: BTreeSet<String> = match namespaces {
            Namespaces::Default => std::iter::once("main".to_string()).collect(),
            Namespaces::All => loaded.packages.clone(),
            Namespaces::List(list) => {
                for ns in list {
                    if !loaded.packages.contains(ns) {
                        return Err(PolicyError::UnknownNamespace {
                            namespace: ns.clone(),
                            packages: loaded.packages.iter().cloned().collect::<Vec<_>>().join(", "),
                        });
                    }
                }
                list.iter().cloned().collect()
            }
        };
        let selected: Vec<RuleSite> = loaded
            .sites
            .iter()
            .filter(|s| chosen.contains(&s.package) && RuleKind::of(&s.rule).is_some())
            .cloned()
            .collect();
        let with_exceptions = loaded
            .sites
            .iter()
            .filter(|s| chosen.contains(&s.package) && s.rule == "exception")
            .map(|s| s.package.clone())
            .collect();
        let mut set = PolicySet {
            engine: loaded.engine,
            sites: loaded.sites,
            selected,
            with_exceptions,
            files: loaded.files,
            time_limit: DEFAULT_TIME_LIMIT,
            namespaces: chosen,
            packages: loaded.packages,
            roots: loaded.roots,
        };
        set.set_time_limit(DEFAULT_TIME_LIMIT);
        Ok(set)
    }

    /// An error when no deny, violation or warn rule was selected: a policy directory whose
    /// rules all sit outside the chosen namespaces would otherwise pass every plan.
    pub fn require_rules(&self) -> Result<(), PolicyError> {
        if !self.selected.is_empty() {
            return Ok(());
        }
        Err(PolicyError::NoRules {
            namespaces: self.namespaces.iter().cloned().collect::<Vec<_>>().join(", "),
            packages: self.packages.iter().cloned().collect::<Vec<_>>().join(", "),
        })
    }

    /// Stops any one rule that runs longer than `limit` on a plan (an error, exit 2).
    pub fn set_time_limit(&mut self, limit: Duration) {
        self.time_limit = limit;
        self.engine
            .set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
                limit,
                // Work units between clock reads: often enough to stop a runaway rule
                // within a few milliseconds of its limit, rarely enough to cost nothing.
                check_interval: std::num::NonZeroU32::MIN.saturating_add(255),
            });
    }

    /// The `.rego` files loaded, in load order.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// The conftest rules that [`evaluate`](Self::evaluate) runs.
    pub fn selected_rules(&self) -> &[RuleSite] {
        &self.selected
    }

    /// The members of the plan document the loaded sources may read.
    pub fn input_roots(&self) -> &InputRoots {
        &self.roots
    }

    /// The `input` for these policies: [`build_input`] without the top-level members no
    /// source reads (most policies read `resource_changes` alone), which are checked to be
    /// JSON but not built. The outcome of [`evaluate`](Self::evaluate) is the same.
    pub fn build_input(&self, plan_json: &str) -> Result<Input, PolicyError> {
        input::build_input_of(plan_json, &self.roots)
    }

    /// Evaluates the selected rules with `input` (see [`build_input`]).
    pub fn evaluate(&self, input: &Input) -> Result<Outcome, PolicyError> {
        let mut engine = self.engine.clone();
        engine.set_input(input.value.clone());
        let mut excepted_names: BTreeSet<(String, String)> = BTreeSet::new();
        for package in &self.with_exceptions {
            let site = self
                .sites
                .iter()
                .find(|s| &s.package == package && s.rule == "exception")
                .cloned()
                .unwrap_or_else(|| RuleSite {
                    package: package.clone(),
                    rule: "exception".into(),
                    file: String::new(),
                    line: 1,
                });
            let value = self.eval(&mut engine, &site)?;
            for entry in items(&value) {
                for name in items(entry) {
                    if let Value::String(name) = name {
                        excepted_names.insert((package.clone(), name.to_string()));
                    }
                }
            }
        }
        // Rules are independent: each thread evaluates some on its own copy of the engine
        // (the input is shared, not copied). Errors are taken in rule order and results
        // sorted, so the outcome is the same whatever the thread count.
        let values: Vec<Result<Value, PolicyError>> = self
            .selected
            .par_iter()
            .map_init(|| engine.clone(), |engine, site| self.eval(engine, site))
            .collect();
        let mut outcome = Outcome::default();
        for (site, value) in self.selected.iter().zip(values) {
            let Some((kind, name)) = RuleKind::of(&site.rule) else {
                continue;
            };
            let value = value?;
            let excepted = kind.is_failure() && excepted_names.contains(&(site.package.clone(), name.to_string()));
            for result in items(&value) {
                let result = to_result(site, kind, result);
                match excepted {
                    true => outcome.excepted.push(result),
                    false => outcome.results.push(result),
                }
            }
        }
        outcome.results.sort();
        outcome.results.dedup();
        outcome.excepted.sort();
        outcome.excepted.dedup();
        Ok(outcome)
    }

    /// Runs every `test_` rule of every package, like `conftest verify`.
    pub fn run_tests(&self) -> Vec<TestResult> {
        let mut engine = self.engine.clone();
        engine.set_input(Value::new_object());
        self.sites
            .iter()
            .filter(|s| s.rule.starts_with("test_"))
            .map(|site| {
                let status = match engine.eval_rule(site.path()) {
                    Ok(Value::Bool(true)) => TestStatus::Pass,
                    Ok(_) => TestStatus::Fail,
                    Err(e) => TestStatus::Error(load::short_message(&e.to_string())),
                };
                TestResult {
                    site: site.clone(),
                    status,
                }
            })
            .collect()
    }

    fn eval(&self, engine: &mut regorus::Engine, site: &RuleSite) -> Result<Value, PolicyError> {
        engine.eval_rule(site.path()).map_err(|e| {
            let text = e.to_string();
            if e.downcast_ref::<regorus::LimitError>().is_some() || text.contains("time limit") {
                PolicyError::TimeLimit {
                    file: site.file.clone(),
                    line: site.line,
                    rule: site.qualified(),
                    limit_ms: self.time_limit.as_millis(),
                }
            } else {
                let (file, line, column) = load::position(&text).unwrap_or_else(|| (site.file.clone(), site.line, 1));
                PolicyError::Eval {
                    file,
                    line,
                    column,
                    rule: site.qualified(),
                    reason: load::eval_reason(&text),
                }
            }
        })
    }
}

/// The members of a set or array; a lone string or object is its own one member; nothing
/// for undefined, null, false or an empty collection.
fn items(value: &Value) -> Vec<&Value> {
    match value {
        Value::Set(set) => set.iter().collect(),
        Value::Array(array) => array.iter().collect(),
        Value::Undefined | Value::Null | Value::Bool(false) => Vec::new(),
        other => vec![other],
    }
}

fn to_result(site: &RuleSite, kind: RuleKind, value: &Value) -> PolicyResult {
    let mut result = PolicyResult {
        package: site.package.clone(),
        rule: site.rule.clone(),
        kind,
        message: String::new(),
        id: None,
        severity: None,
        address: None,
        file: site.file.clone(),
        line: site.line,
        well_formed: true,
    };
    match value {
        Value::String(s) => result.message = s.to_string(),
        Value::Object(_) => {
            let field = |key: &str| match &value[key] {
                Value::String(s) => Some(s.to_string()),
                _ => None,
            };
            match field("msg") {
                Some(msg) => result.message = msg,
                None => {
                    result.well_formed = false;
                    result.message = "the rule's result is an object without a string `msg`".into();
                }
            }
            result.id = field("id");
            result.severity = field("severity");
            result.address = field("resource").or_else(|| field("address"));
        }
        _ => {
            result.well_formed = false;
            result.message = "the rule's result is neither a string nor an object with a string `msg`".into();
        }
    }
    result
}
