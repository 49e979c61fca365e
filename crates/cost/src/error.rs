//! The error type of the cost crate.

use std::path::PathBuf;

/// Every error the cost crate reports.
///
/// Messages name the price file (its path, or the origin name given to
/// [`Catalog::from_slice`](crate::catalog::Catalog::from_slice)) so that a
/// user passing `--prices FILE` can find and fix the problem.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CostError {
    /// A price file could not be read from disk.
    #[error("cannot read price catalog {}: {source}", path.display())]
    Io {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A price file is not valid JSON or does not match the catalog format
    /// (wrong type, missing field, unknown key, ...).
    #[error("{origin}:{line}:{column}: invalid price catalog: {message}")]
    Parse {
        /// Name of the file (or other origin) being parsed.
        origin: String,
        /// 1-based line of the error, as reported by `serde_json`.
        line: usize,
        /// 1-based column of the error, as reported by `serde_json`.
        column: usize,
        /// What was wrong or expected there.
        message: String,
    },

    /// A price file parsed but its content is inconsistent, for example a
    /// price that refers to an unknown source id, a key with the wrong number
    /// of attributes, or a negative price.
    #[error("{origin}:{line}:{column}: invalid price catalog: {message}")]
    Invalid {
        /// Name of the file (or other origin) being checked.
        origin: String,
        /// 1-based line of the offending item.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Dotted path of the offending item, e.g. `aws.ec2.instance_hour.regions.us-east-1`.
        location: String,
        /// What is wrong with it.
        message: String,
    },

    /// A usage file could not be read from disk.
    #[error("cannot read usage file {}: {source}", path.display())]
    UsageIo {
        /// The file that was being read.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },

    /// A usage file is not valid YAML, is not a mapping, or holds a value of the wrong type
    /// or a negative quantity. `line` and `column` are 1-based; 0 when the YAML parser gave
    /// no position.
    #[error("{origin}:{line}:{column}: invalid usage file: {message}")]
    Usage {
        /// Name of the usage file (or other origin) being read.
        origin: String,
        /// 1-based line of the offending value.
        line: u64,
        /// 1-based column of the offending value.
        column: u64,
        /// What is wrong there.
        message: String,
    },
}
