//! The one error type of this crate.

use std::path::PathBuf;

/// Everything that can go wrong loading rules, compiling waivers or explaining a rule.
///
/// Rule-file errors carry `file:line:column` so that an editor can jump to them; the CLI maps
/// every variant to exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    /// A rule file is not valid YAML, has an unknown or missing field, or a bad value
    /// (unknown operator, severity or category).
    #[error("{file}:{line}:{column}: {message}")]
    Parse {
        /// The rule file (`builtin:aws/AWS-EC2-001.yaml` for embedded rules).
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// A rule file parsed but means nothing sensible: an invalid regex, a condition node
    /// with two kinds, an operator without the value it needs, a bad path, an id that
    /// doesn't match the file name.
    #[error("{file}:{line}:{column}: {message}")]
    Invalid {
        /// The rule file.
        file: String,
        /// 1-based line.
        line: u64,
        /// 1-based column.
        column: u64,
        /// What is wrong.
        message: String,
    },
    /// Two rules share an id.
    #[error("{file}:{line}:{column}: duplicate rule id {id} (first defined in {first})")]
    DuplicateId {
        /// The id.
        id: String,
        /// Where it was defined again.
        file: String,
        /// 1-based line of the second definition.
        line: u64,
        /// 1-based column of the second definition.
        column: u64,
        /// Where it was first defined.
        first: String,
    },
    /// A rules directory or file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// No rule has this id.
    #[error("no rule with id {0}")]
    UnknownRule(String),
    /// A rule selector (an id, glob, severity or peer id given by the user) names no rule.
    #[error("{what} matches no rule id, glob, severity or peer id{}", closest_hint(closest.as_deref()))]
    NoMatch {
        /// Which selector, by position (never its text: it is user input).
        what: String,
        /// The rule or peer id closest to it, when one is close.
        closest: Option<String>,
    },
    /// A rule selector is malformed (a glob that doesn't compile).
    #[error("{message}")]
    InvalidSelector {
        /// What is wrong.
        message: String,
    },
    /// A waiver is malformed (empty reason, bad glob).
    #[error("waiver #{index} ({rule} on {address}): {message}")]
    InvalidWaiver {
        /// Its position in the waiver list (0-based).
        index: usize,
        /// Its rule pattern.
        rule: String,
        /// Its address pattern.
        address: String,
        /// What is wrong.
        message: String,
    },
}

fn closest_hint(closest: Option<&str>) -> String {
    closest.map(|id| format!(" (closest: {id})")).unwrap_or_default()
}

impl RuleError {
    /// A YAML file that doesn't deserialize: where, and what was expected (never the text).
    pub(crate) fn yaml(file: &str, err: &serde_saphyr::Error) -> RuleError {
        let (line, column, message) = planguard_plan::text::yaml_error(err);
        RuleError::Parse {
            file: file.to_string(),
            line: line as u64,
            column: column as u64,
            message,
        }
    }

    /// The file and position of a rule-file error, when there is one.
    pub fn location(&self) -> Option<(&str, u64, u64)> {
        match self {
            RuleError::Parse { file, line, column, .. }
            | RuleError::Invalid { file, line, column, .. }
            | RuleError::DuplicateId { file, line, column, .. } => Some((file, *line, *column)),
            _ => None,
        }
    }
}
