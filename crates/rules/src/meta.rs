//! What a rule says about itself: id, severity, category, documentation, peers.

use std::fmt;
use std::sync::Arc;

use planguard_plan::ActionKind;
use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered from most to least severe, which is the order findings
/// are reported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Exploitable as is, or exposes data or credentials.
    Critical,
    /// A serious weakness.
    High,
    /// A weakness that needs another mistake to matter.
    Medium,
    /// Hardening.
    Low,
    /// Worth knowing; never a failure on its own.
    Info,
}

impl Severity {
    /// Every severity, most severe first.
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of risk a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Reachable from networks it shouldn't be.
    NetworkExposure,
    /// Identity and access management.
    Iam,
    /// Metrics and alarms.
    Monitoring,
    /// Audit and access logs.
    Logging,
    /// Encryption at rest or in transit.
    Encryption,
    /// Backups, deletion protection, retention, public data.
    DataProtection,
    /// Credentials in clear text.
    Secrets,
    /// Anything else.
    General,
    /// A user's own policy (Rego): what it is about is the policy's business.
    Policy,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 9] = [
        Category::NetworkExposure,
        Category::Iam,
        Category::Monitoring,
        Category::Logging,
        Category::Encryption,
        Category::DataProtection,
        Category::Secrets,
        Category::General,
        Category::Policy,
    ];

    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::NetworkExposure => "network-exposure",
            Category::Iam => "iam",
            Category::Monitoring => "monitoring",
            Category::Logging => "logging",
            Category::Encryption => "encryption",
            Category::DataProtection => "data-protection",
            Category::Secrets => "secrets",
            Category::General => "general",
            Category::Policy => "policy",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The equivalent checks of other tools, where one exists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Peers {
    /// Checkov check ids (`CKV_AWS_88`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkov: Vec<String>,
    /// Trivy / tfsec AVD ids (`AVD-AWS-0009`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trivy: Vec<String>,
    /// KICS query ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kics: Vec<String>,
    /// Terrascan rule ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terrascan: Vec<String>,
}

impl Peers {
    /// True when no peer is listed.
    pub fn is_empty(&self) -> bool {
        self.checkov.is_empty() && self.trivy.is_empty() && self.kics.is_empty() && self.terrascan.is_empty()
    }

    /// `(tool, ids)` pairs for the tools that have ids, in a fixed order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[String])> {
        [
            ("checkov", self.checkov.as_slice()),
            ("trivy", self.trivy.as_slice()),
            ("kics", self.kics.as_slice()),
            ("terrascan", self.terrascan.as_slice()),
        ]
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
    }
}

/// Where a rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RuleSource {
    /// A YAML file embedded in the binary (path relative to `rules/`).
    Builtin {
        /// e.g. `aws/ec2/AWS-EC2-001.yaml`.
        path: String,
        /// Line of the rule's `id`.
        line: u64,
        /// Column of the rule's `id`.
        column: u64,
    },
    /// A Rust rule compiled into the binary.
    Rust {
        /// The Rust type name.
        name: String,
        /// Its file relative to `crates/rules/src/builtin/` (`aws/iam/wildcard_policy.rs`).
        path: String,
    },
    /// A YAML file from a user rules directory.
    File {
        /// The file path.
        path: String,
        /// Line of the rule's `id`.
        line: u64,
        /// Column of the rule's `id`.
        column: u64,
    },
}

impl RuleSource {
    /// Line and column of the rule's id in its file (`(1, 1)` for Rust rules).
    pub fn position(&self) -> (u64, u64) {
        match self {
            RuleSource::Builtin { line, column, .. } | RuleSource::File { line, column, .. } => (*line, *column),
            RuleSource::Rust { .. } => (1, 1),
        }
    }
}

impl fmt::Display for RuleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSource::Builtin { path, .. } => write!(f, "builtin:{path}"),
            RuleSource::Rust { name, path } => write!(f, "crates/rules/src/builtin/{path} ({name})"),
            RuleSource::File { path, .. } => f.write_str(path),
        }
    }
}

/// Everything a rule says about itself. `planguard rules list` prints this, and
/// [`crate::RuleSet::explain`] renders it.
#[derive(Debug, Clone, Serialize)]
pub struct RuleMeta {
    /// Stable id such as `AWS-EC2-001`; never reused.
    pub id: Arc<str>,
    /// One line: what is wrong, e.g. "EC2 instance gets a public IP address".
    pub title: String,
    /// What the rule checks, in a sentence or two ("What it does"); the title stands in
    /// when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// How bad it is.
    pub severity: Severity,
    /// What kind of risk.
    pub category: Category,
    /// The Terraform provider (`aws`, `azurerm`, `google`).
    pub provider: String,
    /// Resource types the rule looks at (`data.TYPE` for data sources).
    pub resource_types: Vec<String>,
    /// The actions the rule applies to.
    pub actions: Vec<ActionKind>,
    /// Why it is risky.
    pub description: String,
    /// What to do about it.
    pub remediation: String,
    /// Terraform showing the fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remediation_snippet: Option<String>,
    /// Terraform showing the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Documentation URLs.
    pub references: Vec<String>,
    /// Benchmark control ids (`CIS AWS 5.2`, `AWS FSBP EC2.9`).
    pub benchmarks: Vec<String>,
    /// Equivalent checks in other tools.
    #[serde(skip_serializing_if = "Peers::is_empty")]
    pub peers: Peers,
    /// True when the rule needs the dependency graph (`related` conditions).
    pub uses_graph: bool,
    /// Where the rule was defined.
    pub source: RuleSource,
}

impl RuleMeta {
    /// The service the rule is filed under: its id's middle part, lower-cased
    /// (`AWS-S3-001` → `s3`). See [`service_of`].
    pub fn service(&self) -> String {
        service_of(&self.id)
    }
}

/// The service part of a rule id: the words between the provider prefix and the number,
/// lower-cased and joined with `-` (`AWS-S3-001` → `s3`, `AWS-FOO-BAR-001` → `foo-bar`). The
/// built-in pack files a rule under `rules/<provider>/<service>/`, and the Rust rules under
/// `crates/rules/src/builtin/<provider>/<service>/`.
pub fn service_of(id: &str) -> String {
    let parts: Vec<&str> = id.split('-').collect();
    match parts.len() {
        0..=2 => String::new(),
        n => parts[1..n - 1].join("-").to_ascii_lowercase(),
    }
}

/// Where the built-in pack keeps a YAML rule, relative to `rules/`:
/// `<provider>/<service>/<ID>.yaml` (`aws/s3/AWS-S3-001.yaml`).
pub fn builtin_rule_path(provider: &str, id: &str) -> String {
    format!("{provider}/{}/{id}.yaml", service_of(id))
}

/// The actions a rule applies to when it doesn't say: what will exist after apply and
/// is new or changed. What is being deleted is not flagged.
pub const DEFAULT_ACTIONS: [ActionKind; 3] = [ActionKind::Create, ActionKind::Update, ActionKind::Replace];
