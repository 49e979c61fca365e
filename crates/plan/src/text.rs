//! What every input loader of planguard shares: reading text as users have it (UTF-8 with or
//! without a byte-order mark, UTF-16 from PowerShell), and messages about YAML errors that say
//! what was expected without quoting the input.

use std::borrow::Cow;

use crate::error::without_input_values;

/// Text that could not be decoded, with the 1-based position of the first bad byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters decoded before it on its line, plus one).
    pub column: usize,
    /// What is wrong.
    pub reason: String,
}

/// The text of an input file: UTF-8 (a byte-order mark is dropped) or UTF-16 with a
/// byte-order mark, or without one when the text starts with an ASCII character.
pub fn decode_text(bytes: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return decode_utf16(rest, false).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return decode_utf16(rest, true).map(Cow::Owned);
    }
    if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        return decode_utf16(bytes, false).map(Cow::Owned);
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        return decode_utf16(bytes, true).map(Cow::Owned);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            Err(DecodeError {
                line: valid.iter().filter(|&&b| b == b'\n').count() + 1,
                // Everything before the bad byte is valid UTF-8: count its characters.
                column: String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1,
                reason: "invalid UTF-8: expected UTF-8 or UTF-16 text".into(),
            })
        }
    }
}

/// UTF-16 text (after its byte-order mark), decoded; the error says where it went wrong.
pub(crate) fn decode_utf16(body: &[u8], big_endian: bool) -> Result<String, DecodeError> {
    let units = body.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let (mut line, mut column) = (1, 1);
    for decoded in char::decode_utf16(units) {
        let Ok(c) = decoded else {
            return Err(DecodeError {
                line,
                column,
                reason: "invalid UTF-16 (a lone surrogate): expected UTF-8 or UTF-16 text".into(),
            });
        };
        text.push(c);
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    if body.len() % 2 != 0 {
        return Err(DecodeError {
            line,
            column,
            reason: "UTF-16 text with an odd number of bytes (truncated?)".into(),
        });
    }
    Ok(text)
}

/// The deepest nesting the YAML loaders read (serde-saphyr's default budget).
const YAML_DEPTH_NOTE: &str = "the YAML nests deeper than planguard reads";

/// A serde-saphyr error as `(line, column, message)`: 1-based, the message without the
/// position (the caller puts `file:line:column` in front), without any input value, and
/// without serde-saphyr's internal names (`Depth { depth: 65 }`).
pub fn yaml_error(err: &serde_saphyr::Error) -> (usize, usize, String) {
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::{Error, MessageFormatter};
    let (line, column) = err
        .location()
        .map_or((1, 1), |l| (l.line().max(1) as usize, l.column().max(1) as usize));
    let mut inner = err;
    while let Error::AliasError { error, .. } | Error::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let message = match inner {
        Error::Budget { breach, .. } => match breach {
            BudgetBreach::Depth { depth } => format!("{YAML_DEPTH_NOTE} ({} levels)", depth.saturating_sub(1)),
            BudgetBreach::Nodes { nodes } => {
                format!(
                    "the YAML has more than {} nodes, more than planguard reads",
                    nodes.saturating_sub(1)
                )
            }
            _ => "the YAML is larger or more complex than planguard reads (too many nodes, aliases or bytes)".into(),
        },
        Error::DuplicateMappingKey { .. } => "a duplicate key: each key may appear once in a mapping".into(),
        Error::QuotingRequired { .. } => "a value that must be quoted".into(),
        Error::NonFiniteFloat { .. } => "a number that is not finite: expected a finite number".into(),
        Error::InvalidScalar { ty, .. } => format!("invalid value: expected {}", scalar_name(ty)),
        Error::Unexpected { expected, .. } => format!("expected {}", container_name(expected)),
        other => {
            let text = serde_saphyr::DefaultMessageFormatter.format_message(other);
            let text = without_input_values(&text);
            let text = match text.as_str() {
                "recursion limit exceeded" => format!("{YAML_DEPTH_NOTE} (too many nested levels)"),
                _ => text,
            };
            // A message of a kind not mapped above may still quote the input (serde's quoting
            // is `"..."` or backticks; the scanner's own messages quote only syntax such as
            // ',' or ']'): say less.
            if text.contains('"') || text.contains('`') {
                "the YAML could not be read here".into()
            } else {
                text
            }
        }
    };
    (line, column, message)
}

fn scalar_name(ty: &str) -> &'static str {
    match ty {
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => {
            "a whole number"
        }
        "f32" | "f64" | "floating point" => "a number",
        "bool" | "boolean" => "true or false",
        "char" => "a single character",
        _ => "a value of another type",
    }
}

fn container_name(expected: &str) -> &str {
    match expected {
        "sequence start" => "a list",
        "mapping start" => "a mapping",
        // serde-saphyr's own words for what it expected, never the input.
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_errors_say_where() {
        let err = decode_text(b"a: 1\nb: x\xFFy\n").expect_err("bad UTF-8");
        assert_eq!((err.line, err.column), (2, 5));
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "a\nbc".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).expect("UTF-16"), "a\nbc");
        utf16.extend([0x00, 0xD8]);
        let err = decode_text(&utf16).expect_err("lone surrogate");
        assert_eq!((err.line, err.column), (2, 3));
        assert_eq!(decode_text(b"\xEF\xBB\xBFx: 1").expect("BOM"), "x: 1");
    }

    #[test]
    fn yaml_errors_quote_nothing_and_name_no_internals() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            n: u32,
        }
        let err = serde_saphyr::from_str::<Doc>("n: SECRET\n").expect_err("not a number");
        let (line, column, message) = yaml_error(&err);
        assert_eq!((line, column), (1, 4));
        assert!(!message.contains("SECRET") && !message.contains("line"), "{message}");
        let deep = format!("n: {}1{}", "[".repeat(200), "]".repeat(200));
        let err = serde_saphyr::from_str::<serde_json::Value>(&deep).expect_err("too deep");
        let (_, _, message) = yaml_error(&err);
        assert!(message.starts_with("the YAML nests deeper"), "{message}");
        let err = serde_saphyr::from_str::<Doc>("n: 1\nn: 2\n").expect_err("duplicate");
        assert!(yaml_error(&err).2.starts_with("a duplicate key"));
    }
}
