//! Report renderers: turn analysis results into text, JSON and CI formats.
//!
//! Every renderer takes the outcomes of one check (one per plan) and returns the whole
//! document as a `String`; output is deterministic for the same input.

pub mod annotations;
pub mod check;
pub mod html;
pub mod junit;
pub mod markdown;
pub mod report_json;
pub mod sarif;
pub mod summary;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::analyze::Report;
use crate::guardrails::Verdict;

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

/// An input error's message naming the file: as it is when it already does.
pub fn input_error_message(file: &str, error: &str) -> String {
    if error.contains(file) {
        error.to_string()
    } else {
        format!("{file}: {error}")
    }
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

/// Finds where things are for reports that point at files: the repository root each plan
/// belongs to, the plan files and the resources' declarations, as repository-relative
/// paths or, outside the repository, absolute ones.
///
/// The repository root is the CI system's checkout root when running in one
/// (`GITHUB_WORKSPACE`, `BUILD_SOURCESDIRECTORY`, `CI_PROJECT_DIR`), else the nearest
/// directory holding `.git` above the source directory, the plan file or, failing both, the
/// working directory. It depends on where the files are, not on where planguard runs.
#[derive(Debug, Default)]
pub struct Locator {
    cwd: PathBuf,
    ci_root: Option<PathBuf>,
    azure_build: Option<AzureBuild>,
}

/// A file as reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Artifact {
    /// Inside the repository: its path relative to the root, with `/` separators.
    InRepository(String),
    /// Outside it: the absolute path.
    Outside(PathBuf),
    /// Standard input.
    Stdin,
}

impl Artifact {
    /// The path for a CI annotation: relative inside the repository, else absolute.
    pub fn display(&self) -> String {
        match self {
            Artifact::InRepository(relative) => relative.clone(),
            Artifact::Outside(path) => path.display().to_string(),
            Artifact::Stdin => "<stdin>".to_string(),
        }
    }

    /// A SARIF `artifactLocation`: a percent-encoded URI relative to `SRCROOT`, or an
    /// absolute `file://` URI.
    pub fn sarif_location(&self) -> serde_json::Value {
        match self {
            Artifact::InRepository(relative) => serde_json::json!({
                "uri": crate::sources::encode_uri_path(relative),
                "uriBaseId": SRCROOT,
            }),
            Artifact::Outside(path) => serde_json::json!({"uri": crate::sources::file_uri(path)}),
            // Not a file: a relative reference naming it, with no base to resolve against.
            Artifact::Stdin => serde_json::json!({"uri": crate::sources::encode_uri_path("<stdin>")}),
        }
    }
}

/// The `uriBaseId` of repository-relative SARIF URIs (GitHub's and Azure's convention).
pub const SRCROOT: &str = "SRCROOT";

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
    /// A locator for a check run from `cwd`, reading the CI checkout root from the
    /// environment.
    pub fn new(cwd: &Path) -> Locator {
        Locator::with_ci_root(cwd, crate::sources::ci_checkout_root())
    }

    /// A locator with the CI checkout root given (`None`: not in CI).
    pub fn with_ci_root(cwd: &Path, ci_root: Option<PathBuf>) -> Locator {
        Locator {
            cwd: crate::sources::absolute(cwd, Path::new("/")),
            ci_root,
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

    fn absolute(&self, path: &Path) -> PathBuf {
        crate::sources::absolute(path, &self.cwd)
    }

    /// The repository root for a plan file and its source directory (see [`Locator`]).
    pub fn root_for(&self, plan_file: &str, source_dir: Option<&Path>) -> Option<PathBuf> {
        if let Some(root) = &self.ci_root {
            return Some(root.clone());
        }
        let mut starts: Vec<PathBuf> = Vec::new();
        if let Some(dir) = source_dir {
            starts.push(self.absolute(dir));
        }
        if plan_file != "<stdin>" {
            if let Some(parent) = self.absolute(Path::new(plan_file)).parent() {
                starts.push(parent.to_path_buf());
            }
        }
        starts.push(self.cwd.clone());
        starts.iter().find_map(|s| crate::sources::enclosing_repository(s))
    }

    /// The repository root of a report's plan.
    pub fn root_of(&self, report: &Report) -> Option<PathBuf> {
        self.root_for(&report.file, report.source_dir.as_deref())
    }

    /// A file as reports name it, against `root`.
    pub fn artifact(&self, root: Option<&Path>, file: &Path) -> Artifact {
        if file == Path::new("<stdin>") {
            return Artifact::Stdin;
        }
        let absolute = self.absolute(file);
        match root.and_then(|r| crate::sources::relative_to(&absolute, r)) {
            Some(relative) if !relative.is_empty() => Artifact::InRepository(relative),
            _ => Artifact::Outside(absolute),
        }
    }

    /// Where a report's resource is declared, when sources were given and declare it.
    pub fn source(&self, report: &Report, root: Option<&Path>, address: &str) -> Option<(Artifact, usize)> {
        let loc = report.sources.as_ref()?.locate(address)?;
        Some((self.artifact(root, &loc.file), loc.line))
    }
}

/// The JSON report: one plan's [`Report`] (`{"schema_version", "file", "error", "verdict": "fail"}`
/// when it could not be read), or `{"plans": [...], "verdict": ...}` for several.
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
    /// A single plan that could not be read: the error with the verdict it gives, so that a
    /// reader of `verdict` sees the failure rather than no verdict at all.
    #[derive(Serialize)]
    struct FailedAlone<'a> {
        schema_version: u32,
        file: &'a str,
        error: &'a str,
        verdict: Verdict,
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
    if let [Outcome::Failed { file, error }] = outcomes {
        let alone = FailedAlone {
            schema_version: crate::analyze::SCHEMA_VERSION,
            file,
            error,
            verdict: Verdict::Fail,
        };
        serde_json::to_writer_pretty(&mut out, &alone)?;
    } else if outcomes.len() == 1 {
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
