//! Report renderers: turn analysis results into text, JSON and CI formats.
//!
//! Every renderer takes the outcomes of one check (one per plan) and returns the whole
//! document as a `String`; output is deterministic for the same input.

pub mod annotations;
pub mod check;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod summary;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analyze::Report;
use crate::guardrails::Verdict;
use crate::sources::{relative_to, SourceIndex, SourceLocation};

/// Changes listed by the text report before it says "and N more".
pub const MAX_TEXT_CHANGES: usize = 40;

/// What a check made of one plan.
#[derive(Debug)]
pub enum Outcome {
    /// The plan was analysed.
    Analyzed(Box<Report>),
    /// The plan could not be read or analysed.
    Failed {
        /// The plan file.
        file: String,
        /// Why.
        error: String,
    },
}

/// The standard-input name every report uses for a plan read from `-`.
pub const STDIN_NAME: &str = planguard_plan::STDIN_NAME;

/// The marker the Markdown comment starts with, so that bots can find their previous
/// comment and update it rather than add another.
pub const COMMENT_MARKER: &str = "<!-- planguard-comment -->";

/// Which configuration the check used, said once at the top of every report: the first
/// analysed plan's (one check uses one configuration). `None` when no plan was analysed.
pub fn config_used(outcomes: &[Outcome]) -> Option<&crate::analyze::ConfigUsed> {
    outcomes.iter().find_map(|o| match o {
        Outcome::Analyzed(r) => Some(&r.config),
        Outcome::Failed { .. } => None,
    })
}

/// The verdict of a whole check: a plan that could not be read fails it.
pub fn overall_verdict(outcomes: &[Outcome]) -> Verdict {
    outcomes
        .iter()
        .map(|o| match o {
            Outcome::Analyzed(r) => r.verdict,
            Outcome::Failed { .. } => Verdict::Fail,
        })
        .max()
        .unwrap_or(Verdict::Pass)
}

/// Finds where things are for reports that point at files: the repository root, the plan
/// files and, when sources are given, the resources' declarations.
#[derive(Debug, Default)]
pub struct Locator {
    repo_root: PathBuf,
    sources: Vec<(String, SourceIndex)>,
    azure_build: Option<AzureBuild>,
}

/// The Azure Pipelines build a report comes from: GitHub Advanced Security for Azure DevOps
/// wants it in SARIF's `automationDetails`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AzureBuild {
    /// `SYSTEM_DEFINITIONID`.
    pub definition_id: String,
    /// `BUILD_DEFINITIONNAME`.
    pub definition_name: String,
    /// `SYSTEM_PHASEID`.
    pub phase_id: String,
    /// `SYSTEM_PHASENAME`.
    pub phase_name: String,
}

impl AzureBuild {
    /// Reads the build from the Azure Pipelines environment, if running there.
    pub fn from_env() -> Option<AzureBuild> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        Some(AzureBuild {
            definition_id: var("SYSTEM_DEFINITIONID")?,
            definition_name: var("BUILD_DEFINITIONNAME").unwrap_or_default(),
            phase_id: var("SYSTEM_PHASEID").unwrap_or_default(),
            phase_name: var("SYSTEM_PHASENAME").unwrap_or_default(),
        })
    }
}

impl Locator {
    /// A locator rooted at the repository holding `cwd`.
    pub fn new(cwd: &Path) -> Locator {
        Locator {
            repo_root: crate::sources::repository_root(cwd),
            sources: Vec::new(),
            azure_build: None,
        }
    }

    /// Records the Azure Pipelines build the reports come from.
    pub fn with_azure_build(mut self, build: Option<AzureBuild>) -> Self {
        self.azure_build = build;
        self
    }

    /// The Azure Pipelines build, if any.
    pub fn azure_build(&self) -> Option<&AzureBuild> {
        self.azure_build.as_ref()
    }

    /// Adds the source index of one plan (by its file name as in the report).
    pub fn add_sources(&mut self, plan_file: &str, index: SourceIndex) {
        self.sources.push((plan_file.to_string(), index));
    }

    /// The repository root.
    pub fn repo_root(&self) -> &Path {
        &self.repo_root
    }

    /// The plan file's URI relative to the repository root.
    pub fn plan_uri(&self, file: &str) -> String {
        if file == STDIN_NAME {
            return STDIN_NAME.to_string();
        }
        relative_to(Path::new(file), &self.repo_root)
    }

    /// Where a resource is declared, when known.
    pub fn source(&self, address: &str) -> Option<&SourceLocation> {
        self.sources.iter().find_map(|(_, index)| index.locate(address))
    }
}

/// The JSON report: one plan's [`Report`], or `{"plans": [...], "verdict": ...}` for several.
pub fn render_json(outcomes: &[Outcome]) -> String {
    let mut bytes = Vec::new();
    // Writing to a Vec fails only if serialization does, which our types never do.
    let _ = write_json(outcomes, &mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// [`render_json`] straight into `out`: a 100k-resource report is over 100 MB of JSON, which
/// need not be held in memory beside the report it is written from.
pub fn write_json(outcomes: &[Outcome], out: impl std::io::Write) -> std::io::Result<()> {
    #[derive(Serialize)]
    #[serde(untagged)]
    enum Entry<'a> {
        Report(&'a Report),
        Failed { file: &'a str, error: &'a str },
    }
    #[derive(Serialize)]
    struct Several<'a> {
        schema_version: u32,
        #[serde(skip_serializing_if = "Option::is_none")]
        config: Option<&'a crate::analyze::ConfigUsed>,
        plans: Vec<Entry<'a>>,
        verdict: Verdict,
    }
    fn entry(o: &Outcome) -> Entry<'_> {
        match o {
            Outcome::Analyzed(r) => Entry::Report(r),
            Outcome::Failed { file, error } => Entry::Failed { file, error },
        }
    }
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    if outcomes.len() == 1 {
        serde_json::to_writer_pretty(&mut out, &entry(&outcomes[0]))?;
    } else {
        serde_json::to_writer_pretty(
            &mut out,
            &Several {
                schema_version: crate::analyze::SCHEMA_VERSION,
                config: config_used(outcomes),
                plans: outcomes.iter().map(entry).collect(),
                verdict: overall_verdict(outcomes),
            },
        )?;
    }
    out.write_all(b"\n")?;
    out.flush()
}
