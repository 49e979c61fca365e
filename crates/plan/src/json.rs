//! Reading attribute values whatever JSON allows, not only what serde_json reads by default.
//!
//! serde_json stops at 128 levels of nesting and rejects numbers beyond the range of `f64`
//! (`1e400`, a 401-digit integer). Terraform writes both: its numbers are arbitrary-precision
//! and its JSON encoder (Go's) nests up to 10,000 levels. A value planguard could not read
//! used to drop every rule of its resource, so a plan that had to fail passed. Here such a
//! value is read on a second, slower path taken only after the fast one failed (the fast path
//! is unchanged, so large plans pay nothing):
//!
//! - nesting is read up to [`MAX_DEPTH`] levels, on a stack that grows as needed
//!   (`serde_stacker`), never overflowing the thread's own;
//! - a number beyond `f64`'s range is read as the largest finite `f64` of its sign, which keeps
//!   every comparison with a threshold right (`1e400 > 65535`) where `null` or text would not.
//!
//! serde_json's `arbitrary_precision` feature was measured and not used: it made a pass over
//! every value of a 10k-resource plan 5% slower (67.9 → 71.5 ms), and as a workspace-wide
//! feature it changes how every number reaches an untagged enum or `deserialize_any` visitor
//! (a number arrives as a map), which breaks instance keys and attribute paths.

use serde::de::DeserializeSeed;
use serde_json::Value;

/// The deepest nesting read: Terraform's JSON encoder (Go's `encoding/json`) refuses deeper.
pub const MAX_DEPTH: usize = 10_000;

/// Why a value could not be read, and where inside its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unreadable {
    /// Byte offset in the value's text.
    pub(crate) offset: usize,
    /// What is wrong, quoting nothing of the value.
    pub(crate) reason: String,
}

/// A seed that builds a plain [`Value`].
#[derive(Clone, Copy)]
pub(crate) struct PlainValue;

impl<'de> DeserializeSeed<'de> for PlainValue {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }
}

/// Reads `text` with `seed`: serde_json's fast path first, the tolerant one if it fails.
pub(crate) fn parse_with<S>(text: &str, seed: S) -> Result<Value, Unreadable>
where
    S: for<'de> DeserializeSeed<'de, Value = Value> + Clone,
{
    let mut de = serde_json::Deserializer::from_str(text);
    let fast = seed.clone().deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match fast {
        Ok(value) => Ok(value),
        Err(_) => tolerant(text, seed),
    }
}

fn tolerant<S>(text: &str, seed: S) -> Result<Value, Unreadable>
where
    S: for<'de> DeserializeSeed<'de, Value = Value>,
{
    if let Some(offset) = deeper_than(text, MAX_DEPTH) {
        return Err(Unreadable {
            offset,
            reason: format!("the value nests more than {MAX_DEPTH} levels deep, more than Terraform writes"),
        });
    }
    let clamped = clamp_out_of_range_numbers(text);
    let read = clamped.as_deref().unwrap_or(text);
    let mut de = serde_json::Deserializer::from_str(read);
    de.disable_recursion_limit();
    let result = seed
        .deserialize(serde_stacker::Deserializer::new(&mut de))
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| Unreadable {
        // Offsets in rewritten text are not the file's: point at the value then.
        offset: if clamped.is_none() {
            offset_of(text, e.line(), e.column())
        } else {
            0
        },
        reason: describe(&e),
    })
}

/// What a serde_json error says, without the input text its message may quote.
pub(crate) fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "the value could not be read".into(),
        Category::Syntax => "the value is not valid JSON".into(),
        Category::Data => "the value has a type planguard cannot read".into(),
        Category::Eof => "the value ends too early".into(),
    }
}

/// The byte offset of serde_json's 1-based line and column (column 0: the line's start).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// The offset of the first bracket that opens level `limit + 1`, if the text nests that deep.
fn deeper_than(text: &str, limit: usize) -> Option<usize> {
    deeper_than_bytes(text.as_bytes(), limit)
}

/// [`deeper_than`] over bytes (brackets and quotes are ASCII, so UTF-8 needs no decoding).
pub(crate) fn deeper_than_bytes(text: &[u8], limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The text with every number beyond `f64`'s range replaced by the largest finite `f64` of
/// its sign, or `None` when there is none. Hand-written rather than a crate's: it is the JSON
/// number grammar outside strings, a few lines, run only after serde_json refused the text.
fn clamp_out_of_range_numbers(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    let mut in_string = false;
    let mut escaped = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                i += 1;
            }
            let token = &text[start..i];
            if token.parse::<f64>().is_ok_and(f64::is_infinite) {
                let replaced = out.get_or_insert_with(|| String::with_capacity(text.len()));
                replaced.push_str(&text[copied..start]);
                let clamped = if token.starts_with('-') { f64::MIN } else { f64::MAX };
                replaced.push_str(&format!("{clamped:e}"));
                copied = i;
            }
            continue;
        }
        i += 1;
    }
    out.map(|mut replaced| {
        replaced.push_str(&text[copied..]);
        replaced
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize, leaf: &str) -> String {
        format!("{}{leaf}{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn numbers_beyond_f64_read_as_the_largest_f64_of_their_sign() {
        let big = format!(
            r#"{{"a": 1e400, "b": -{}, "c": "1e400", "d": [2.5, 1E+999]}}"#,
            "9".repeat(401)
        );
        assert!(
            serde_json::from_str::<Value>(&big).is_err(),
            "serde_json alone refuses it"
        );
        let v = parse_with(&big, PlainValue).expect("read");
        assert_eq!(v["a"].as_f64(), Some(f64::MAX));
        assert_eq!(v["b"].as_f64(), Some(f64::MIN));
        assert_eq!(v["c"], "1e400", "strings are left alone");
        assert_eq!(v["d"][0].as_f64(), Some(2.5));
        assert_eq!(v["d"][1].as_f64(), Some(f64::MAX));
    }

    #[test]
    fn deep_nesting_reads_up_to_the_limit_on_a_worker_stack() {
        // rayon's workers have 2 MiB stacks: parsing, walking and dropping the deepest value
        // planguard reads must fit in one.
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(|| {
                let value = parse_with(&nested(MAX_DEPTH, "true"), PlainValue).expect("read");
                let mut depth = 0;
                let mut at = &value;
                while let Value::Array(items) = at {
                    depth += 1;
                    at = &items[0];
                }
                assert_eq!(depth, MAX_DEPTH);
                drop(value);
            })
            .expect("a thread");
        handle.join().expect("no stack overflow");
        let too_deep = nested(MAX_DEPTH + 1, "1");
        let err = parse_with(&too_deep, PlainValue).expect_err("too deep");
        assert_eq!(err.offset, MAX_DEPTH, "points at the bracket that goes too deep");
        assert!(err.reason.contains(&format!("{MAX_DEPTH} levels")), "{}", err.reason);
    }

    #[test]
    fn brackets_and_numbers_inside_strings_do_not_count() {
        let text = format!(r#"{{"s": "{}\" 1e400", "n": [1]}}"#, "[".repeat(200));
        assert_eq!(deeper_than(&text, 2), None);
        assert_eq!(clamp_out_of_range_numbers(&text), None);
        assert_eq!(parse_with(&text, PlainValue).expect("read")["n"][0], 1);
    }
}
