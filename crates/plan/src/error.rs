//! The errors of this crate.

use std::path::PathBuf;

/// The name standard input goes by in errors and reports.
pub const STDIN_NAME: &str = "<stdin>";

fn binary_plan_message(path: &std::path::Path, file: &str) -> String {
    if path == std::path::Path::new(STDIN_NAME) {
        // `terraform show -json <stdin>` is no command, and --terraform needs a file to run on.
        format!(
            "{STDIN_NAME}: standard input holds a binary plan file written by `terraform plan -out`, not JSON; \
             pipe its JSON instead: `terraform show -json PLANFILE | planguard check -`"
        )
    } else {
        format!(
            "{}: this is a binary plan file written by `terraform plan -out`, not JSON; \
             convert it with `terraform show -json {file} > plan.json`, or pass --terraform to let planguard run that",
            path.display()
        )
    }
}

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
    #[error("{path}:{line}:{column}: not a Terraform plan: {reason}")]
    NotAPlan {
        /// The file.
        path: PathBuf,
        /// 1-based line where the JSON document starts.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Why, and what to do instead.
        reason: String,
    },
    /// A binary plan file (the zip written by `terraform plan -out`).
    #[error("{}", binary_plan_message(path, file))]
    BinaryPlan {
        /// The file.
        path: PathBuf,
        /// The file's name, for the suggested command.
        file: String,
    },
    /// The plan's `format_version` has a major version this crate doesn't know.
    #[error("{path}: unsupported plan format_version: planguard reads format 0.x and 1.x")]
    UnsupportedFormatVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        version: String,
    },
    /// The text encoding could not be decoded.
    #[error("{path}:{line}:{column}: cannot decode the file: {reason}")]
    Encoding {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first byte that could not be decoded.
        line: usize,
        /// 1-based column (in characters decoded so far on that line).
        column: usize,
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
///
/// It does not hold or quote the address: an address can be long (it is bounded by
/// [`MAX_ADDRESS_LEN`](crate::model::MAX_ADDRESS_LEN)) and is input text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected {expected} at character {position} of the address")]
pub struct AddressError {
    /// 1-based character position in the address where parsing stopped.
    pub position: usize,
    /// What the parser expected there.
    pub expected: String,
}

/// An attribute path that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
// The path is not quoted: it is input text (a rule file's, or a plan's).
#[error("invalid attribute path: {reason}")]
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

/// serde's error message with every input value it quotes replaced by the value's type.
///
/// serde's messages quote what they found: `invalid type: string "hunter2", expected a
/// boolean`, ``unknown variant `x` ``. An error message must never carry input text (it may
/// be a secret), so every loader passes serde's messages through here: the result names the
/// type (`invalid type: a string, expected a boolean`) and leaves the position to the caller.
/// Names from planguard's own schema (missing fields, the expected variants) are kept.
pub fn without_input_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("string \"") {
            out.push_str("a string");
            rest = skip_quoted(after, '"');
            continue;
        }
        let mut matched = false;
        for (prefix, name) in [
            ("integer `", "a number"),
            ("floating point `", "a number"),
            ("boolean `", "a boolean"),
            ("character `", "a string"),
            ("unknown variant `", "an unknown value"),
            ("unknown field `", "an unknown key"),
        ] {
            if let Some(after) = rest.strip_prefix(prefix) {
                out.push_str(name);
                rest = skip_quoted(after, '`');
                matched = true;
                break;
            }
        }
        if matched {
            continue;
        }
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            out.push(c);
        }
        rest = chars.as_str();
    }
    for (serde_name, json_name) in [
        ("invalid type: sequence", "invalid type: a list"),
        ("invalid type: map", "invalid type: an object"),
        ("invalid type: unit value", "invalid type: null"),
        ("invalid value: sequence", "invalid value: a list"),
        ("invalid value: map", "invalid value: an object"),
    ] {
        if out.starts_with(serde_name) {
            out.replace_range(..serde_name.len(), json_name);
        }
    }
    out
}

/// The text after a quoted value whose opening quote was consumed: Rust's `{:?}` escapes a
/// `"` inside a string as `\"`, serde's backticks are not escaped.
fn skip_quoted(text: &str, quote: char) -> &str {
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            '\\' if quote == '"' && !escaped => escaped = true,
            c if c == quote && !escaped => return &text[i + c.len_utf8()..],
            _ => escaped = false,
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_lose_the_values_they_quote() {
        for (message, expected) in [
            (
                r#"invalid type: string "SECRETPW", expected a variable object"#,
                "invalid type: a string, expected a variable object",
            ),
            (
                r#"invalid type: string "a \"quoted\" SECRET", expected x"#,
                "invalid type: a string, expected x",
            ),
            (
                "invalid type: integer `7`, expected a string",
                "invalid type: a number, expected a string",
            ),
            (
                "invalid value: floating point `1.5`, expected u8",
                "invalid value: a number, expected u8",
            ),
            (
                "invalid type: boolean `true`, expected a map",
                "invalid type: a boolean, expected a map",
            ),
            (
                "unknown variant `SECRET`, expected one of `managed`, `data`",
                "an unknown value, expected one of `managed`, `data`",
            ),
            ("unknown field `SECRET`, expected `a`", "an unknown key, expected `a`"),
            (
                "invalid type: sequence, expected an object",
                "invalid type: a list, expected an object",
            ),
            ("missing field `address`", "missing field `address`"),
        ] {
            assert_eq!(without_input_values(message), expected, "{message}");
        }
    }
}
