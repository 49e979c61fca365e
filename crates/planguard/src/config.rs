//! The `.planguard.yaml` configuration: guardrails, waivers and rule settings.
//!
//! The file is parsed into raw types that mirror the YAML (unknown keys rejected, every value
//! with its location), then validated into [`Config`], so that every mistake is reported at
//! the line and column where it was made, before any plan is read.
//!
//! ```yaml
//! version: 1
//! rules:
//!   dirs: [policies/]              # extra rule directories, like --rules
//!   disable: [AWS-EC2-005]         # rule ids (or globs) not to run
//!   severity: {AWS-EC2-005: low}   # severity overrides
//!   scope: changes                 # or all: judge unchanged resources too (audits)
//! usage: infracost-usage.yml       # like --usage
//! guardrails:
//!   - name: no-high-findings
//!     type: policy
//!     severity: high               # fail on findings at or above
//!   - name: monthly-budget
//!     type: cost
//!     mode: warn
//!     max_monthly_increase: 500
//!   - name: protect-databases
//!     type: resource
//!     deny_actions: [delete, replace]
//!     resource_types: [aws_db_instance, aws_rds_cluster]
//!   - name: tags
//!     type: tag
//!     required_tags: [owner, cost-center]
//! waivers:
//!   - rule: AWS-EC2-001
//!     address: module.bastion.*
//!     reason: the bastion is public by design
//!     expires: 2027-01-31
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use jiff::civil::Date;
use planguard_plan::ActionKind;
use planguard_rules::meta::{Category, Severity};
use planguard_rules::waiver::Waiver;
use planguard_rules::Scope;
use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::error::ConfigError;

/// The name of the configuration file planguard looks for.
pub const CONFIG_FILE_NAME: &str = ".planguard.yaml";

/// A validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from (`None` for the built-in defaults).
    pub origin: Option<PathBuf>,
    /// How the file was chosen; reports say it at the top.
    pub found_by: FoundBy,
    /// Guardrails, in file order.
    pub guardrails: Vec<Guardrail>,
    /// Waivers of rule findings.
    pub rule_waivers: Vec<Waiver>,
    /// Waivers of guardrail violations.
    pub guardrail_waivers: Vec<GuardrailWaiver>,
    /// Extra rule directories, resolved against the config file's directory.
    pub rule_dirs: Vec<PathBuf>,
    /// Rule ids (globs) not to run.
    pub disabled_rules: Vec<String>,
    /// Severity overrides by rule id.
    pub severity_overrides: BTreeMap<String, Severity>,
    /// Which resources the rules judge: what the plan changes (default), or all of them.
    pub rule_scope: Scope,
    /// A usage file for usage-based costs.
    pub usage: Option<PathBuf>,
    /// A price catalog replacing the embedded one.
    pub prices: Option<PathBuf>,
    /// The Terraform source directory (for locals in the graph and SARIF locations).
    pub source_dir: Option<PathBuf>,
    /// Where the HTML report will be published, for the Markdown comment's link to it
    /// (`--report-url` wins over it).
    pub report_url: Option<String>,
    /// Rego policy directories (`policy_dirs:`, like `--policy`), resolved against the
    /// config file's directory.
    pub policy_dirs: Vec<PathBuf>,
    /// The packages whose conftest rules run (`policy_namespaces:`, a list, or `all`);
    /// `main` when not set.
    pub policy_namespaces: Option<planguard_policy::Namespaces>,
    /// Where each rule id of `rules.disable` and `rules.severity` is written, so that an id
    /// matching no rule (checked once every rule directory is loaded) is reported there.
    pub rule_id_positions: Vec<RuleIdPosition>,
    /// Things to tell the user about how the file was found (another config that was not
    /// used, for instance).
    pub notes: Vec<String>,
}

/// A rule id written in the config, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleIdPosition {
    /// The id (or glob) as written.
    pub id: String,
    /// `rules.disable` or `rules.severity`.
    pub section: &'static str,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// How the configuration in use was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FoundBy {
    /// No file: the built-in default policy.
    #[default]
    NotFound,
    /// Named by the caller (`--config`, [`Config::from_path`], [`Config::from_str_at`]).
    Given,
    /// Found from the working directory, up to its repository root.
    WorkingDirectory,
    /// Found from the plan's directory, up to its repository root (none was found from the
    /// working directory).
    PlanDirectory,
}

/// The name of the guardrail that applies when the config defines no policy guardrail.
pub const DEFAULT_POLICY: &str = "default-policy";

impl Guardrail {
    /// The default policy: fail on critical and high findings. It applies without a config
    /// file and with one that defines no policy guardrail (one that only sets `source_dir`
    /// or waivers must not turn enforcement off).
    pub fn default_policy() -> Guardrail {
        Guardrail {
            name: DEFAULT_POLICY.into(),
            mode: Mode::Enforce,
            scope: CiScope::default(),
            kind: GuardrailKind::Policy(PolicyGuardrail {
                severity: Some(Severity::High),
                ..PolicyGuardrail::default()
            }),
            line: 0,
        }
    }
}

impl Default for Config {
    /// The defaults used without a config file: fail on critical and high findings.
    fn default() -> Self {
        Config {
            origin: None,
            found_by: FoundBy::NotFound,
            guardrails: vec![Guardrail::default_policy()],
            rule_waivers: Vec::new(),
            guardrail_waivers: Vec::new(),
            rule_dirs: Vec::new(),
            disabled_rules: Vec::new(),
            severity_overrides: BTreeMap::new(),
            rule_scope: Scope::default(),
            usage: None,
            prices: None,
            source_dir: None,
            report_url: None,
            policy_dirs: Vec::new(),
            policy_namespaces: None,
            rule_id_positions: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// Whether a failing guardrail fails the check or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A violation fails the check (exit 1).
    Enforce,
    /// A violation is reported but the check passes.
    Warn,
}

/// One named guardrail.
#[derive(Debug, Clone)]
pub struct Guardrail {
    /// Its name, unique in the file.
    pub name: String,
    /// Enforce or warn.
    pub mode: Mode,
    /// The branches and repositories it applies to (all when empty).
    pub scope: CiScope,
    /// What it checks.
    pub kind: GuardrailKind,
    /// The line in the config file where it is declared (0 for built-in ones).
    pub line: usize,
}

impl Guardrail {
    /// The type name (`policy`, `cost`, `resource`, `tag`).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            GuardrailKind::Policy(_) => "policy",
            GuardrailKind::Cost(_) => "cost",
            GuardrailKind::Resource(_) => "resource",
            GuardrailKind::Tag(_) => "tag",
        }
    }
}

/// Branch and repository globs a guardrail is limited to.
#[derive(Debug, Clone, Default)]
pub struct CiScope {
    /// Branch globs (`main`, `release/*`); `refs/heads/` is ignored on both sides.
    pub branches: Vec<GlobText>,
    /// Repository globs (`org/repo`, `org/*`).
    pub repositories: Vec<GlobText>,
}

/// A compiled glob with its text.
#[derive(Debug, Clone)]
pub struct GlobText {
    /// The glob as written.
    pub text: String,
    matcher: GlobMatcher,
}

impl GlobText {
    /// Compiles a glob with the waivers' rules ([`planguard_rules::waiver::address_glob`]):
    /// `*` matches any run of characters and `[`/`]` are literal, so Terraform addresses can
    /// be written as they are.
    pub fn new(text: &str) -> Result<GlobText, globset::Error> {
        Ok(GlobText {
            text: text.to_string(),
            matcher: planguard_rules::waiver::address_glob(text)?,
        })
    }

    /// True when `candidate` matches.
    pub fn is_match(&self, candidate: &str) -> bool {
        self.matcher.is_match(candidate)
    }
}

/// What a guardrail checks.
#[derive(Debug, Clone)]
pub enum GuardrailKind {
    /// Findings of the rules.
    Policy(PolicyGuardrail),
    /// The cost of the change.
    Cost(CostGuardrail),
    /// Actions, regions, instance types and resource types.
    Resource(ResourceGuardrail),
    /// Required tags.
    Tag(TagGuardrail),
}

/// Fails on findings that match.
#[derive(Debug, Clone, Default)]
pub struct PolicyGuardrail {
    /// Findings at or above this severity.
    pub severity: Option<Severity>,
    /// Findings of these rule ids (globs).
    pub rules: Vec<GlobText>,
    /// Findings in these categories.
    pub categories: Vec<Category>,
    /// Count findings whose status is `unknown` too (default: they only warn).
    pub include_unknown: bool,
    /// Only resources in these modules (globs over module addresses).
    pub modules: Vec<GlobText>,
    /// Only resources at these addresses (globs).
    pub addresses: Vec<GlobText>,
}

/// Fails when the cost of the change crosses a threshold.
#[derive(Debug, Clone, Default)]
pub struct CostGuardrail {
    /// Largest allowed increase of the monthly cost.
    pub max_monthly_increase: Option<f64>,
    /// Largest allowed increase as a percentage of the current monthly cost.
    pub max_monthly_increase_percent: Option<f64>,
    /// Largest allowed monthly total after the change.
    pub max_monthly_total: Option<f64>,
    /// What an unknown cost does.
    pub on_unknown: OnUnknown,
}

/// What a guardrail does when a value it needs is unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OnUnknown {
    /// Report it as a violation.
    Fail,
    /// Report it as a warning (default).
    #[default]
    Warn,
    /// Say nothing.
    Ignore,
}

/// Restricts actions, regions, instance types and resource types.
#[derive(Debug, Clone, Default)]
pub struct ResourceGuardrail {
    /// Actions that must not happen to matching resources.
    pub deny_actions: Vec<ActionKind>,
    /// Resource type globs the guardrail applies to (all when empty).
    pub resource_types: Vec<GlobText>,
    /// Address globs the guardrail applies to (all when empty).
    pub addresses: Vec<GlobText>,
    /// Regions resources may be created or changed in.
    pub allowed_regions: Vec<GlobText>,
    /// Instance type globs allowed.
    pub allowed_instance_types: Vec<GlobText>,
    /// Instance type globs denied.
    pub denied_instance_types: Vec<GlobText>,
    /// Resource type globs that may be created or changed.
    pub allowed_resource_types: Vec<GlobText>,
    /// Resource type globs that must not be created or changed.
    pub denied_resource_types: Vec<GlobText>,
    /// What an unknown region or instance type does.
    pub on_unknown: OnUnknown,
}

/// Requires tags on taggable resources being created or updated.
#[derive(Debug, Clone, Default)]
pub struct TagGuardrail {
    /// Tag keys that must be present.
    pub required_tags: Vec<String>,
    /// Patterns the value of a tag must match (when the tag is present).
    pub tag_values: Vec<(String, Regex)>,
    /// Resource type globs it applies to (every taggable type when empty).
    pub resource_types: Vec<GlobText>,
    /// Address globs it applies to (all when empty).
    pub addresses: Vec<GlobText>,
    /// What unknown tags do.
    pub on_unknown: OnUnknown,
}

/// An exception to a guardrail for some addresses.
#[derive(Debug, Clone)]
pub struct GuardrailWaiver {
    /// The guardrail name (or a glob of names).
    pub guardrail: GlobText,
    /// Address glob.
    pub address: GlobText,
    /// Why.
    pub reason: String,
    /// The last day it applies.
    pub expires: Option<Date>,
    /// The line where it is declared.
    pub line: usize,
}

// ---- raw YAML types -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    version: Option<Spanned<u32>>,
    #[serde(default)]
    rules: Option<RawRules>,
    usage: Option<Spanned<String>>,
    prices: Option<String>,
    source_dir: Option<String>,
    report_url: Option<Spanned<String>>,
    #[serde(default)]
    guardrails: Vec<RawGuardrail>,
    #[serde(default)]
    waivers: Vec<RawWaiver>,
    #[serde(default)]
    policy_dirs: Vec<Spanned<String>>,
    policy_namespaces: Option<Spanned<RawNamespaces>>,
}

/// `policy_namespaces: all`, or a list of packages.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawNamespaces {
    Word(String),
    List(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    #[serde(default)]
    dirs: Vec<Spanned<String>>,
    #[serde(default)]
    disable: Vec<Spanned<String>>,
    #[serde(default)]
    severity: SpannedMap<Spanned<Severity>>,
    scope: Option<Scope>,
}

/// A YAML mapping read with the position of each key: serde's derive keeps no position
/// for keys, and a mistake in a key must be reported where the key is written.
struct SpannedMap<V>(Vec<(Spanned<String>, V)>);

impl<V> Default for SpannedMap<V> {
    fn default() -> Self {
        SpannedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Entries<V> {
            type Value = SpannedMap<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value::<V>()?));
                }
                Ok(SpannedMap(entries))
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// The keys of each guardrail, with positions: read again only to locate a misplaced key.
#[derive(Deserialize)]
struct GuardrailKeys {
    #[serde(default)]
    guardrails: Vec<SpannedMap<serde::de::IgnoredAny>>,
}

/// Where `key` is written in guardrail number `index`, if it can be found.
fn key_position(text: &str, index: usize, key: &str) -> Option<(usize, usize)> {
    let keys: GuardrailKeys = serde_saphyr::from_str(text).ok()?;
    keys.guardrails
        .get(index)?
        .0
        .iter()
        .find(|(k, _)| k.value == key)
        .map(|(k, _)| loc(k))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuardrail {
    name: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
    mode: Option<Mode>,
    #[serde(default)]
    branches: Vec<Spanned<String>>,
    #[serde(default)]
    repositories: Vec<Spanned<String>>,
    // policy
    severity: Option<Spanned<Severity>>,
    rules: Option<Vec<Spanned<String>>>,
    categories: Option<Vec<Category>>,
    include_unknown: Option<bool>,
    modules: Option<Vec<Spanned<String>>>,
    // policy, resource, tag
    addresses: Option<Vec<Spanned<String>>>,
    // cost
    max_monthly_increase: Option<Spanned<f64>>,
    max_monthly_increase_percent: Option<Spanned<f64>>,
    max_monthly_total: Option<Spanned<f64>>,
    on_unknown: Option<OnUnknown>,
    // resource
    deny_actions: Option<Vec<Spanned<String>>>,
    resource_types: Option<Vec<Spanned<String>>>,
    allowed_regions: Option<Vec<Spanned<String>>>,
    allowed_instance_types: Option<Vec<Spanned<String>>>,
    denied_instance_types: Option<Vec<Spanned<String>>>,
    allowed_resource_types: Option<Vec<Spanned<String>>>,
    denied_resource_types: Option<Vec<Spanned<String>>>,
    // tag
    required_tags: Option<Vec<String>>,
    tag_values: Option<BTreeMap<String, Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: Option<Spanned<String>>,
    guardrail: Option<Spanned<String>>,
    address: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    expires: Option<Spanned<String>>,
}

// ---- loading ---------------------------------------------------------------------------

impl Config {
    /// Finds `.planguard.yaml` in `start` or its parents up to the repository root (see
    /// [`search_root`]), never above it.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        discover_in(start, &ci_checkout_roots())
    }

    /// The configuration for a check run from `cwd` on `plans` (paths as given; `-` for
    /// standard input is ignored): `explicit` when given, else the file found from the
    /// working directory, else the one found from the plans' directories, else the
    /// defaults. Each search goes up to the repository root and never above it. Plans
    /// whose directories lead to different files are an error: which one applies would be
    /// a guess. A plan-side file that differs from the working directory's is named in
    /// [`Config::notes`].
    pub fn resolve(cwd: &Path, plans: &[String], explicit: Option<&Path>) -> Result<Config, ConfigError> {
        if let Some(path) = explicit {
            return Config::from_path(path);
        }
        let roots = ci_checkout_roots();
        let from_cwd = discover_in(cwd, &roots);
        let mut from_plans: Vec<(PathBuf, &str)> = Vec::new();
        for plan in plans.iter().filter(|p| p.as_str() != "-") {
            let dir = match Path::new(plan).parent() {
                Some(d) if !d.as_os_str().is_empty() => cwd.join(d),
                _ => cwd.to_path_buf(),
            };
            if let Some(found) = discover_in(&dir, &roots) {
                if !from_plans.iter().any(|(p, _)| *p == found) {
                    from_plans.push((found, plan));
                }
            }
        }
        let shown = |p: &Path| display_path(p, cwd);
        match from_cwd {
            Some(path) => {
                let mut config = Config::from_path(&path)?;
                config.origin = Some(PathBuf::from(shown(&path)));
                config.found_by = FoundBy::WorkingDirectory;
                for (other, _) in from_plans.iter().filter(|(p, _)| *p != path) {
                    config.notes.push(format!(
                        "the plan's directory leads to another config, {}, which is not used: the working \
                         directory's comes first (pass --config to choose)",
                        shown(other)
                    ));
                }
                Ok(config)
            }
            None => match from_plans.as_slice() {
                [] => Ok(Config::default()),
                [(path, _)] => {
                    let mut config = Config::from_path(path)?;
                    config.origin = Some(PathBuf::from(shown(path)));
                    config.found_by = FoundBy::PlanDirectory;
                    Ok(config)
                }
                several => Err(ConfigError::Ambiguous {
                    candidates: several.iter().map(|(p, _)| shown(p)).collect::<Vec<_>>().join(", "),
                }),
            },
        }
    }

    /// One line saying which config file is used, or that none was found; every report
    /// starts with it.
    pub fn describe(&self) -> String {
        let file = self
            .origin
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        match self.found_by {
            FoundBy::NotFound => format!(
                "no {CONFIG_FILE_NAME} found (working directory and plan directories, up to the repository root): \
                 default policy, fail on critical and high findings"
            ),
            FoundBy::Given => format!("{file} (given)"),
            FoundBy::WorkingDirectory => format!("{file} (found from the working directory)"),
            FoundBy::PlanDirectory => format!("{file} (found from the plan's directory)"),
        }
    }

    /// Reads and validates a config file.
    pub fn from_path(path: &Path) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let text = planguard_plan::text::decode_text(&bytes)
            .map_err(|e| ConfigError::at(path, e.line, e.column, &e.reason))?;
        Config::from_str_at(&text, path)
    }

    /// Parses and validates config text; `path` names it in errors and anchors relative paths.
    pub fn from_str_at(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = if text.trim().is_empty() {
            return Err(ConfigError::at(
                path,
                1,
                1,
                "the file is empty: expected `version: 1` and `guardrails:`",
            ));
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let (line, column, message) = planguard_plan::text::yaml_error(&e);
                ConfigError::at(path, line, column, &message)
            })?
        };
        validate(raw, text, path)
    }
}

fn loc<T>(s: &Spanned<T>) -> (usize, usize) {
    (s.referenced.line() as usize, s.referenced.column() as usize)
}

fn validate(raw: RawConfig, text: &str, path: &Path) -> Result<Config, ConfigError> {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let resolve = |p: &str| -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        }
    };
    if let Some(version) = &raw.version {
        if version.value != 1 {
            let (l, c) = loc(version);
            return Err(ConfigError::at(
                path,
                l,
                c,
                &format!("unsupported config version {}: expected 1", version.value),
            ));
        }
    }
    let glob = |s: &Spanned<String>| -> Result<GlobText, ConfigError> {
        GlobText::new(&s.value).map_err(|e| {
            let (l, c) = loc(s);
            ConfigError::at(path, l, c, &format!("invalid glob: {e}"))
        })
    };
    let globs = |list: &Option<Vec<Spanned<String>>>| -> Result<Vec<GlobText>, ConfigError> {
        list.iter().flatten().map(glob).collect()
    };
    let amount = |v: &Option<Spanned<f64>>, what: &str| -> Result<Option<f64>, ConfigError> {
        match v {
            Some(s) if !s.value.is_finite() || s.value < 0.0 => {
                let (l, c) = loc(s);
                Err(ConfigError::at(
                    path,
                    l,
                    c,
                    &format!("{what} must be a non-negative number, got {}", s.value),
                ))
            }
            Some(s) => Ok(Some(s.value)),
            None => Ok(None),
        }
    };

    let mut guardrails = Vec::new();
    let mut names = BTreeMap::new();
    for (index, g) in raw.guardrails.iter().enumerate() {
        let (line, column) = loc(&g.name);
        if g.name.value.trim().is_empty() {
            return Err(ConfigError::at(
                path,
                line,
                column,
                "a guardrail needs a non-empty name",
            ));
        }
        if let Some(previous) = names.insert(g.name.value.clone(), line) {
            return Err(ConfigError::at(
                path,
                line,
                column,
                &format!(
                    "duplicate guardrail name {:?} (first declared on line {previous})",
                    g.name.value
                ),
            ));
        }
        let type_name = g.kind.value.as_str();
        let allowed: &[&str] = match type_name {
            "policy" => &[
                "severity",
                "rules",
                "categories",
                "include_unknown",
                "modules",
                "addresses",
            ],
            "cost" => &[
                "max_monthly_increase",
                "max_monthly_increase_percent",
                "max_monthly_total",
                "on_unknown",
            ],
            "resource" => &[
                "deny_actions",
                "resource_types",
                "addresses",
                "allowed_regions",
                "allowed_instance_types",
                "denied_instance_types",
                "allowed_resource_types",
                "denied_resource_types",
                "on_unknown",
            ],
            "tag" => &[
                "required_tags",
                "tag_values",
                "resource_types",
                "addresses",
                "on_unknown",
            ],
            _ => {
                let (l, c) = loc(&g.kind);
                return Err(ConfigError::at(
                    path,
                    l,
                    c,
                    "an unknown guardrail type: expected one of policy, cost, resource, tag",
                ));
            }
        };
        for (key, present) in settings_present(g) {
            if present && !allowed.contains(&key) {
                let (line, column) = key_position(text, index, key).unwrap_or((line, column));
                return Err(ConfigError::at(
                    path,
                    line,
                    column,
                    &format!(
                        "guardrail {:?}: `{key}` is not a setting of a {type_name} guardrail (it takes: {})",
                        g.name.value,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let kind = match type_name {
            "policy" => {
                let policy = PolicyGuardrail {
                    severity: g.severity.as_ref().map(|s| s.value),
                    rules: globs(&g.rules)?,
                    categories: g.categories.clone().unwrap_or_default(),
                    include_unknown: g.include_unknown.unwrap_or(false),
                    modules: globs(&g.modules)?,
                    addresses: globs(&g.addresses)?,
                };
                if policy.severity.is_none() && policy.rules.is_empty() && policy.categories.is_empty() {
                    return Err(ConfigError::at(
                        path,
                        line,
                        column,
                        &format!(
                            "policy guardrail {:?} needs `severity`, `rules` or `categories`",
                            g.name.value
                        ),
                    ));
                }
                GuardrailKind::Policy(policy)
            }
            "cost" => {
                let cost = CostGuardrail {
                    max_monthly_increase: amount(&g.max_monthly_increase, "max_monthly_increase")?,
                    max_monthly_increase_percent: amount(
                        &g.max_monthly_increase_percent,
                        "max_monthly_increase_percent",
                    )?,
                    max_monthly_total: amount(&g.max_monthly_total, "max_monthly_total")?,
                    on_unknown: g.on_unknown.unwrap_or_default(),
                };
                if cost.max_monthly_increase.is_none()
                    && cost.max_monthly_increase_percent.is_none()
                    && cost.max_monthly_total.is_none()
                {
                    return Err(ConfigError::at(
                        path,
                        line,
                        column,
                        &format!(
                            "cost guardrail {:?} needs max_monthly_increase, max_monthly_increase_percent or max_monthly_total",
                            g.name.value
                        ),
                    ));
                }
                GuardrailKind::Cost(cost)
            }
            "resource" => {
                let mut deny_actions = Vec::new();
                for a in g.deny_actions.iter().flatten() {
                    let kind = match a.value.as_str() {
                        "create" => ActionKind::Create,
                        "update" => ActionKind::Update,
                        "replace" => ActionKind::Replace,
                        "delete" | "destroy" => ActionKind::Delete,
                        "forget" => ActionKind::Forget,
                        _ => {
                            let (l, c) = loc(a);
                            return Err(ConfigError::at(
                                path,
                                l,
                                c,
                                "an unknown action: expected create, update, replace, delete or forget",
                            ));
                        }
                    };
                    deny_actions.push(kind);
                }
                let resource = ResourceGuardrail {
                    deny_actions,
                    resource_types: globs(&g.resource_types)?,
                    addresses: globs(&g.addresses)?,
                    allowed_regions: globs(&g.allowed_regions)?,
                    allowed_instance_types: globs(&g.allowed_instance_types)?,
                    denied_instance_types: globs(&g.denied_instance_types)?,
                    allowed_resource_types: globs(&g.allowed_resource_types)?,
                    denied_resource_types: globs(&g.denied_resource_types)?,
                    on_unknown: g.on_unknown.unwrap_or_default(),
                };
                if resource.deny_actions.is_empty()
                    && resource.allowed_regions.is_empty()
                    && resource.allowed_instance_types.is_empty()
                    && resource.denied_instance_types.is_empty()
                    && resource.allowed_resource_types.is_empty()
                    && resource.denied_resource_types.is_empty()
                {
                    return Err(ConfigError::at(
                        path,
                        line,
                        column,
                        &format!(
                            "resource guardrail {:?} checks nothing: give deny_actions, allowed_regions, \
                             allowed/denied_instance_types or allowed/denied_resource_types",
                            g.name.value
                        ),
                    ));
                }
                GuardrailKind::Resource(resource)
            }
            _ => {
                let mut tag_values = Vec::new();
                for (key, pattern) in g.tag_values.iter().flatten() {
                    let re = Regex::new(&pattern.value).map_err(|e| {
                        let (l, c) = loc(pattern);
                        ConfigError::at(path, l, c, &format!("invalid regex for a tag: {e}"))
                    })?;
                    tag_values.push((key.clone(), re));
                }
                let tag = TagGuardrail {
                    required_tags: g.required_tags.clone().unwrap_or_default(),
                    tag_values,
                    resource_types: globs(&g.resource_types)?,
                    addresses: globs(&g.addresses)?,
                    on_unknown: g.on_unknown.unwrap_or_default(),
                };
                if tag.required_tags.is_empty() && tag.tag_values.is_empty() {
                    return Err(ConfigError::at(
                        path,
                        line,
                        column,
                        &format!("tag guardrail {:?} needs required_tags or tag_values", g.name.value),
                    ));
                }
                GuardrailKind::Tag(tag)
            }
        };
        guardrails.push(Guardrail {
            name: g.name.value.clone(),
            mode: g.mode.unwrap_or(Mode::Enforce),
            scope: CiScope {
                branches: g.branches.iter().map(glob).collect::<Result<_, _>>()?,
                repositories: g.repositories.iter().map(glob).collect::<Result<_, _>>()?,
            },
            kind,
            line,
        });
    }

    let mut rule_waivers = Vec::new();
    let mut guardrail_waivers = Vec::new();
    for (i, w) in raw.waivers.iter().enumerate() {
        let anchor = w
            .rule
            .as_ref()
            .or(w.guardrail.as_ref())
            .or(w.address.as_ref())
            .or(w.reason.as_ref())
            .map(loc)
            .unwrap_or((1, 1));
        let (line, column) = anchor;
        let reason = match &w.reason {
            Some(r) if !r.value.trim().is_empty() => r.value.clone(),
            _ => {
                return Err(ConfigError::at(
                    path,
                    line,
                    column,
                    &format!("waiver #{} needs a `reason`: every exception must say why", i + 1),
                ))
            }
        };
        // No address means every address.
        let address = match &w.address {
            Some(a) => glob(a)?,
            None => GlobText::new("*").map_err(|e| ConfigError::at(path, line, column, &e.to_string()))?,
        };
        let expires = match &w.expires {
            Some(e) => Some(e.value.parse::<Date>().map_err(|err| {
                let (l, c) = loc(e);
                ConfigError::at(path, l, c, &format!("invalid expiry date (expected YYYY-MM-DD): {err}"))
            })?),
            None => None,
        };
        match (&w.rule, &w.guardrail) {
            (Some(rule), None) => {
                GlobText::new(&rule.value).map_err(|e| {
                    let (l, c) = loc(rule);
                    ConfigError::at(path, l, c, &format!("invalid glob: {e}"))
                })?;
                rule_waivers.push(Waiver {
                    rule: rule.value.clone(),
                    address: address.text.clone(),
                    reason,
                    expires,
                });
            }
            (None, Some(guardrail)) => guardrail_waivers.push(GuardrailWaiver {
                guardrail: glob(guardrail)?,
                address,
                reason,
                expires,
                line,
            }),
            _ => {
                return Err(ConfigError::at(
                    path,
                    line,
                    column,
                    &format!("waiver #{} needs exactly one of `rule` or `guardrail`", i + 1),
                ))
            }
        }
    }

    let mut rule_id_positions = Vec::new();
    let rule_scope = raw.rules.as_ref().and_then(|r| r.scope).unwrap_or_default();
    let (rule_dirs, disabled_rules, severity_overrides) = match raw.rules {
        Some(rules) => {
            for d in &rules.disable {
                if let Err(e) = Glob::new(&d.value) {
                    let (l, c) = loc(d);
                    return Err(ConfigError::at(path, l, c, &format!("invalid glob: {}", e.kind())));
                }
                let (line, column) = loc(d);
                rule_id_positions.push(RuleIdPosition {
                    id: d.value.clone(),
                    section: "rules.disable",
                    line,
                    column,
                });
            }
            let mut severity_overrides = BTreeMap::new();
            for (id, severity) in rules.severity.0 {
                let (line, column) = loc(&id);
                rule_id_positions.push(RuleIdPosition {
                    id: id.value.clone(),
                    section: "rules.severity",
                    line,
                    column,
                });
                severity_overrides.insert(id.value, severity.value);
            }
            let mut dirs = Vec::new();
            for d in &rules.dirs {
                let dir = resolve(&d.value);
                if !dir.is_dir() {
                    let (l, c) = loc(d);
                    return Err(ConfigError::at(
                        path,
                        l,
                        c,
                        "rules.dirs: no such directory (a relative path is read from the configuration file's directory)",
                    ));
                }
                dirs.push(dir);
            }
            (
                dirs,
                rules.disable.into_iter().map(|d| d.value).collect(),
                severity_overrides,
            )
        }
        None => Default::default(),
    };

    let mut policy_dirs = Vec::new();
    for d in &raw.policy_dirs {
        let dir = resolve(&d.value);
        if !dir.exists() {
            let (l, c) = loc(d);
            return Err(ConfigError::at(
                path,
                l,
                c,
                "policy_dirs: no such directory (a relative path is read from the configuration file's directory)",
            ));
        }
        policy_dirs.push(dir);
    }
    let policy_namespaces = match raw.policy_namespaces {
        None => None,
        Some(spanned) => {
            let (l, c) = loc(&spanned);
            match spanned.value {
                RawNamespaces::Word(w) if w == "all" => Some(planguard_policy::Namespaces::All),
                RawNamespaces::List(list) if !list.is_empty() && list.iter().all(|n| !n.trim().is_empty()) => {
                    Some(planguard_policy::Namespaces::List(list))
                }
                _ => {
                    return Err(ConfigError::at(
                        path,
                        l,
                        c,
                        "policy_namespaces: expected `all` or a non-empty list of Rego packages",
                    ))
                }
            }
        }
    };

    if !guardrails.iter().any(|g| matches!(g.kind, GuardrailKind::Policy(_))) {
        guardrails.insert(0, Guardrail::default_policy());
    }
    Ok(Config {
        origin: Some(path.to_path_buf()),
        found_by: FoundBy::Given,
        guardrails,
        rule_waivers,
        guardrail_waivers,
        rule_dirs,
        disabled_rules,
        severity_overrides,
        rule_scope,
        usage: match &raw.usage {
            Some(u) if !resolve(&u.value).is_file() => {
                let (l, c) = loc(u);
                return Err(ConfigError::at(
                    path,
                    l,
                    c,
                    "usage: no such file (a relative path is read from the configuration file's directory)",
                ));
            }
            Some(u) => Some(resolve(&u.value)),
            None => None,
        },
        prices: raw.prices.as_deref().map(resolve),
        source_dir: raw.source_dir.as_deref().map(resolve),
        report_url: match &raw.report_url {
            Some(u) if u.value.trim().is_empty() || u.value.chars().any(char::is_control) => {
                let (l, c) = loc(u);
                return Err(ConfigError::at(
                    path,
                    l,
                    c,
                    "report_url: expected the URL where the HTML report is published (not empty, no control characters)",
                ));
            }
            Some(u) => Some(u.value.trim().to_string()),
            None => None,
        },
        policy_dirs,
        policy_namespaces,
        rule_id_positions,
        notes: Vec::new(),
    })
}

/// The checkout roots CI systems announce (GitHub Actions, Azure Pipelines, GitLab): a
/// search stops there even when the checkout has no `.git` (a shallow export, an artifact).
fn ci_checkout_roots() -> Vec<PathBuf> {
    ["GITHUB_WORKSPACE", "BUILD_SOURCESDIRECTORY", "CI_PROJECT_DIR"]
        .iter()
        .filter_map(|v| std::env::var_os(v).filter(|v| !v.is_empty()))
        .map(|v| {
            let p = PathBuf::from(v);
            p.canonicalize().unwrap_or(p)
        })
        .collect()
}

/// The directory a config search from `start` stops at: the nearest of `start` and its
/// parents that holds `.git` or is one of `ci_roots`. `None` when there is none: then only
/// `start` itself is searched, since a directory above an unknown root may belong to
/// someone else (a shared agent's work directory, a home directory).
pub fn search_root(start: &Path, ci_roots: &[PathBuf]) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .find(|d| d.join(".git").exists() || ci_roots.iter().any(|r| r == d))
        .map(Path::to_path_buf)
}

fn discover_in(start: &Path, ci_roots: &[PathBuf]) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let root = search_root(&start, ci_roots).unwrap_or_else(|| start.clone());
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir == root {
            break;
        }
    }
    None
}

/// `path` relative to `cwd` when it lies under it, else as it is (absolute).
fn display_path(path: &Path, cwd: &Path) -> String {
    let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
    match path.strip_prefix(&cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}

fn settings_present(g: &RawGuardrail) -> [(&'static str, bool); 21] {
    [
        ("severity", g.severity.is_some()),
        ("rules", g.rules.is_some()),
        ("categories", g.categories.is_some()),
        ("include_unknown", g.include_unknown.is_some()),
        ("modules", g.modules.is_some()),
        ("addresses", g.addresses.is_some()),
        ("max_monthly_increase", g.max_monthly_increase.is_some()),
        ("max_monthly_increase_percent", g.max_monthly_increase_percent.is_some()),
        ("max_monthly_total", g.max_monthly_total.is_some()),
        ("on_unknown", g.on_unknown.is_some()),
        ("deny_actions", g.deny_actions.is_some()),
        ("resource_types", g.resource_types.is_some()),
        ("allowed_regions", g.allowed_regions.is_some()),
        ("allowed_instance_types", g.allowed_instance_types.is_some()),
        ("denied_instance_types", g.denied_instance_types.is_some()),
        ("allowed_resource_types", g.allowed_resource_types.is_some()),
        ("denied_resource_types", g.denied_resource_types.is_some()),
        ("required_tags", g.required_tags.is_some()),
        ("tag_values", g.tag_values.is_some()),
        ("branches", false),
        ("repositories", false),
    ]
}

/// The commented example `planguard init` writes. It parses as is (a test checks).
pub const EXAMPLE_CONFIG: &str = r#"# planguard configuration: guardrails a Terraform plan must pass before it may ship.
# planguard takes --config FILE, or looks for .planguard.yaml from the working directory up to
# the repository root, then from each plan's directory up to its repository root (never above).
# Every mistake in this file is reported with its line, before any plan is read.
version: 1

# rules:
#   dirs: [policies/]              # extra YAML rule directories (like --rules)
#   disable: [AWS-EC2-005]         # rule ids or globs not to run
#   severity:                      # severity overrides
#     AWS-EC2-005: low
#   scope: changes                 # or all: judge unchanged resources too (audits, first adoption)

# usage: infracost-usage.yml       # usage file for usage-based costs (Infracost's format works)
# source_dir: terraform/           # .tf sources: follow locals, point findings at lines
# report_url: https://ci.example/report.html   # where --output html=FILE is published: the
#                                  # Markdown comment links to it (--report-url wins)
# policy_dirs: [policy/]           # Rego (conftest/OPA) policies, like --policy
# policy_namespaces: [main]        # their packages to run (default main), or `all`

guardrails:
  # Fail on critical and high findings (what planguard does without a config file, or with
  # one that defines no policy guardrail).
  - name: no-high-findings
    type: policy
    severity: high                 # critical, high, medium, low or info: at or above fails
    # rules: [AWS-IAM-*]           # ... or these rule ids (globs)
    # categories: [secrets]        # ... or these categories
    # include_unknown: false       # findings undecided until apply only warn
    # modules: ["module.prod*"]    # only resources in these modules
    # addresses: ["aws_*.public*"] # only these addresses

  # Warn when the change adds more than $500 a month.
  - name: monthly-budget
    type: cost
    mode: warn                     # enforce (default) fails the check; warn only reports
    max_monthly_increase: 500
    # max_monthly_increase_percent: 20
    # max_monthly_total: 10000
    # on_unknown: warn             # fail, warn or ignore a cost that can't be known

  # Never destroy or replace databases.
  - name: protect-databases
    type: resource
    deny_actions: [delete, replace]  # delete also covers replacements (they destroy too)
    resource_types: [aws_db_instance, aws_rds_cluster, "aws_dynamodb_*"]
    # addresses: ["module.prod.*"]

  # Keep to approved regions and instance families.
  # - name: approved-regions
  #   type: resource
  #   allowed_regions: [eu-west-1, eu-central-1]
  #   allowed_instance_types: ["t3.*", "m6i.*"]
  #   # denied_resource_types: [aws_iam_user]

  # Require tags on what is created or updated (provider default_tags count).
  - name: required-tags
    type: tag
    mode: warn
    required_tags: [owner]
    # tag_values:
    #   environment: "^(dev|staging|prod)$"
    # branches: [main]             # only on these branches (from the CI environment or --branch)
    # repositories: ["org/*"]

# Exceptions. Each needs a reason; an expired one stops applying and is reported, and one
# that matches nothing is reported as stale.
waivers: []
#  - rule: AWS-EC2-001
#    address: "module.bastion.*"
#    reason: the bastion host is public by design (ticket SEC-123)
#    expires: 2027-06-30
#  - guardrail: protect-databases
#    address: aws_db_instance.scratch
#    reason: scratch database, recreated nightly
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::from_str_at(text, Path::new(".planguard.yaml")).map_err(|e| e.to_string())
    }

    #[test]
    fn example_config_parses() {
        let config = parse(EXAMPLE_CONFIG).unwrap();
        assert_eq!(config.guardrails.len(), 4);
        assert_eq!(config.guardrails[1].mode, Mode::Warn);
    }

    #[test]
    fn mistakes_are_located() {
        let cases = [
            ("version: 1\nguardrails:\n  - name: a\n    type: polcy\n    severity: high\n", ":4:", "unknown guardrail type"),
            ("version: 1\nguardrails:\n  - name: a\n    type: policy\n    sevrity: high\n", ":5:5:", "an unknown key"),
            ("version: 1\nguardrails:\n  - name: a\n    type: cost\n    max_monthly_increase: -5\n", ":5:", "non-negative"),
            ("version: 1\nguardrails:\n  - name: a\n    type: policy\n    severity: high\n    max_monthly_total: 3\n", ":6:5:", "not a setting of a policy"),
            // A policy-only key on a cost guardrail, at the key's line, in a block list too.
            ("version: 1\nguardrails:\n  - name: a\n    type: cost\n    max_monthly_total: 3\n    rules:\n      - AWS-*\n", ":6:5:", "`rules` is not a setting of a cost"),
            ("version: 1\nguardrails:\n  - name: a\n    type: policy\n    severity: huge\n", ":5:15:", "an unknown value"),
            ("version: 1\nwaivers:\n  - rule: X\n    address: \"a[\"\n    reason: r\n    expires: 2027-13-01\n", ":6:", "invalid expiry date"),
            ("version: 1\nwaivers:\n  - rule: X\n    address: a\n", ":3:", "needs a `reason`"),
            ("version: 1\nguardrails:\n  - name: a\n    type: resource\n    deny_actions: [explode]\n", ":5:", "unknown action"),
            ("version: 2\n", ":1:", "unsupported config version"),
            ("version: 1\nguardrails:\n  - name: a\n    type: tag\n    tag_values: {env: \"(\"}\n", ":5:", "invalid regex"),
            ("", ":1:1:", "empty"),
        ];
        for (text, location, message) in cases {
            let err = parse(text).expect_err(text);
            assert!(err.contains(location) && err.contains(message), "{text:?} gave {err}");
            assert!(
                !err.contains("sevrity") && !err.contains("huge"),
                "no input text is quoted: {err}"
            );
        }
    }

    #[test]
    fn report_url_is_read_and_an_empty_one_is_an_error_at_its_position() {
        let config = parse("version: 1\nreport_url: https://ci.example/r/report.html\n").unwrap();
        assert_eq!(config.report_url.as_deref(), Some("https://ci.example/r/report.html"));
        assert_eq!(parse("version: 1\n").unwrap().report_url, None);
        let err = parse("version: 1\nreport_url: \"  \"\n").unwrap_err().to_string();
        assert!(err.contains(":2:13"), "{err}");
        assert!(err.contains("report_url"), "{err}");
    }

    #[test]
    fn a_config_without_policy_guardrails_keeps_the_default_policy() {
        for text in [
            "version: 1\n",
            "source_dir: infra/\n",
            "waivers:\n  - rule: AWS-EC2-001\n    reason: by design\n",
            "guardrails:\n  - name: budget\n    type: cost\n    max_monthly_increase: 10\n",
            "\u{feff}version: 1\r\nsource_dir: infra\r\n",
        ] {
            let config = parse(text).unwrap();
            let policies: Vec<&str> = config
                .guardrails
                .iter()
                .filter(|g| matches!(g.kind, GuardrailKind::Policy(_)))
                .map(|g| g.name.as_str())
                .collect();
            assert_eq!(policies, [DEFAULT_POLICY], "{text:?}");
            assert_eq!(config.guardrails[0].mode, Mode::Enforce);
        }
        // A policy guardrail of the config's own replaces the default, even a warning one.
        let own =
            parse("version: 1\nguardrails:\n  - name: soft\n    type: policy\n    mode: warn\n    severity: low\n")
                .unwrap();
        assert_eq!(own.guardrails.len(), 1);
        assert_eq!(own.guardrails[0].name, "soft");
    }

    #[test]
    fn discovery_stops_at_the_repository_root() {
        let base = std::env::temp_dir().join(format!("planguard discover {}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let repo = base.join("repo with space");
        let deep = repo.join("infra").join("prod");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        // A config above the repository root must never be picked up.
        std::fs::write(base.join(CONFIG_FILE_NAME), "version: 1\n").unwrap();
        assert_eq!(discover_in(&deep, &[]), None);
        std::fs::write(repo.join(CONFIG_FILE_NAME), "version: 1\n").unwrap();
        let found = discover_in(&deep, &[]).unwrap();
        assert_eq!(found, repo.canonicalize().unwrap().join(CONFIG_FILE_NAME));
        // Without .git, a CI checkout root bounds the search; without either, only the
        // start directory is searched.
        let export = base.join("export");
        let sub = export.join("sub");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(export.join(CONFIG_FILE_NAME), "version: 1\n").unwrap();
        assert_eq!(discover_in(&sub, &[]), None);
        let ci_root = export.canonicalize().unwrap();
        assert_eq!(
            discover_in(&sub, std::slice::from_ref(&ci_root)),
            Some(ci_root.join(CONFIG_FILE_NAME))
        );
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn globs_keep_brackets_literal() {
        let g = GlobText::new("module.net[\"a\"].*").unwrap();
        assert!(g.is_match("module.net[\"a\"].aws_subnet.s[0]"));
        assert!(!g.is_match("module.net[\"b\"].aws_subnet.s[0]"));
        assert!(GlobText::new("aws_instance.web[0]")
            .unwrap()
            .is_match("aws_instance.web[0]"));
    }
}
