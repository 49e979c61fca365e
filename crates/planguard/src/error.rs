//! The errors of the facade.

use std::path::PathBuf;

/// A configuration file that can't be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A mistake in the file, at a line and column.
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The plans' directories lead to different config files (and the working directory
    /// to none): which applies would be a guess.
    #[error("the plans lead to different config files ({candidates}): pass --config to choose one")]
    Ambiguous {
        /// The files found, comma-separated.
        candidates: String,
    },
}

impl ConfigError {
    pub(crate) fn at(path: &std::path::Path, line: usize, column: usize, message: &str) -> ConfigError {
        ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line.max(1),
            column: column.max(1),
            message: message.to_string(),
        }
    }
}

/// Why an analysis could not run.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// The plan could not be read.
    #[error(transparent)]
    Plan(#[from] planguard_plan::PlanError),
    /// The configuration is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A rule file is invalid.
    #[error(transparent)]
    Rules(#[from] planguard_rules::RuleError),
    /// The price catalog or usage file is invalid.
    #[error(transparent)]
    Cost(#[from] planguard_cost::CostError),
    /// The graph could not be built (unreadable sources).
    #[error(transparent)]
    Graph(#[from] planguard_graph::GraphError),
    /// A baseline file could not be read or written.
    #[error("{path}: {message}")]
    Baseline {
        /// The baseline file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A JSON report (`planguard check --format json`) that cannot be read back.
    #[error("{path}:{line}:{column}: {message}")]
    Report {
        /// The report file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong and what was expected (never quoting the report).
        message: String,
    },
    /// A Rego policy could not be loaded or evaluated.
    #[error(transparent)]
    Policy(#[from] planguard_policy::PolicyError),
    /// Values in the plan could not be read.
    #[error("plan values could not be read: {0}")]
    Values(String),
}
