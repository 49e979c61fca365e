//! The errors of this crate.

use std::path::PathBuf;

/// Everything that can go wrong reading a plan.
///
/// Every variant names the file (`<stdin>` for standard input) and, where it comes from the
/// JSON, the line and column where the problem was seen, so that a CLI can print it as is.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The bytes are not valid JSON, or JSON of the wrong shape.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line in the (decoded) text.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was wrong and what was expected, with the JSON path where known.
        message: String,
    },
    /// Valid JSON, but not the output of `terraform show -json` for a plan.
    #[error("{path}: not a Terraform plan: {reason}")]
    NotAPlan {
        /// The file.
        path: PathBuf,
        /// Why, and what to do instead.
        reason: String,
    },
    /// A binary plan file (the zip written by `terraform plan -out`).
    #[error(
        "{path}: this is a binary plan file written by `terraform plan -out`, not JSON; \
         convert it with `terraform show -json {file} > plan.json`, or pass --terraform to let planguard run that"
    )]
    BinaryPlan {
        /// The file.
        path: PathBuf,
        /// The file's name, for the suggested command.
        file: String,
    },
    /// The plan's `format_version` has a major version this crate doesn't know.
    #[error("{path}: unsupported plan format_version {version:?}: planguard reads format 0.x and 1.x")]
    UnsupportedFormatVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        version: String,
    },
    /// The text encoding could not be decoded.
    #[error("{path}: cannot decode the file: {reason}")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// Running `terraform show -json` on a binary plan failed.
    #[error("{path}: `terraform show -json` failed: {message}")]
    Terraform {
        /// The file.
        path: PathBuf,
        /// What terraform said, or why it could not run.
        message: String,
    },
    /// A part of the plan breaks a rule of the format that serde could not check, such as an
    /// unknown combination of change actions.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the resource.
        message: String,
    },
}

/// A resource address that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid address {address:?} at byte {position}: expected {expected}")]
pub struct AddressError {
    /// The address text.
    pub address: String,
    /// Byte offset where parsing stopped.
    pub position: usize,
    /// What the parser expected there.
    pub expected: String,
}

/// An attribute path that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid attribute path {path:?}: {reason}")]
pub struct PathError {
    /// The path text.
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

/// An attribute value of the plan that could not be read.
///
/// Displayed as `line L, column C: reason`: the position in the plan file (1-based), for the
/// caller to put after the file's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {reason}")]
pub struct ValueError {
    /// 1-based line in the plan file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong; it quotes nothing of the value, which may be sensitive.
    pub reason: String,
}
