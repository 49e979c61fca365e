//! Attribute path patterns: `ingress[*].cidr_blocks[*]`, `tags["Name"]`, `metadata_options[0].http_tokens`.

use planguard_plan::{Cursor, Step};
use serde_json::Value;

/// One step of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
    /// `[*]`: every element of a list; a value that is not a list is its own only element.
    Any,
    /// The only element of a one-element list of objects (a nested block written once, which
    /// Checkov's attribute paths step through without an index); a value that is not a list
    /// is itself; any other list matches nothing. Not part of the YAML path syntax.
    Lone,
}

/// A compiled path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PathPattern {
    pub(crate) segs: Vec<Seg>,
    pub(crate) text: String,
}

impl PathPattern {
    /// Parses `a.b[0].c[*]`, `tags["key with.dots"]`, `a.*.b` (a bare `*` step is `[*]`).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let bytes = text.as_bytes();
        let mut segs = Vec::new();
        let mut i = 0;
        if text.is_empty() {
            return Err("empty path".into());
        }
        while i < bytes.len() {
            match bytes[i] {
                b'.' if i > 0 && bytes[i - 1] != b'.' && !matches!(bytes.get(i + 1), None | Some(b'.' | b'[')) => {
                    i += 1
                }
                b'.' => return Err(format!("path {text:?}: misplaced '.'")),
                b'[' => {
                    i += 1;
                    match bytes.get(i) {
                        Some(b'*') => {
                            segs.push(Seg::Any);
                            i += 1;
                        }
                        Some(b'"') => {
                            let mut key = String::new();
                            let mut j = i + 1;
                            loop {
                                match bytes.get(j) {
                                    None => return Err(format!("path {text:?}: unterminated quoted key")),
                                    Some(b'"') => break,
                                    Some(b'\\') => {
                                        let next = text
                                            .get(j + 1..)
                                            .and_then(|t| t.chars().next())
                                            .ok_or_else(|| format!("path {text:?}: dangling escape"))?;
                                        key.push(next);
                                        j += 1 + next.len_utf8();
                                    }
                                    Some(_) => {
                                        let ch = text[j..]
                                            .chars()
                                            .next()
                                            .ok_or_else(|| format!("path {text:?}: bad character"))?;
                                        key.push(ch);
                                        j += ch.len_utf8();
                                    }
                                }
                            }
                            segs.push(Seg::Key(key));
                            i = j + 1;
                        }
                        _ => {
                            let start = i;
                            while i < bytes.len() && bytes[i].is_ascii_digit() {
                                i += 1;
                            }
                            let n = text[start..i]
                                .parse::<usize>()
                                .map_err(|_| format!("path {text:?}: expected an index, \"key\" or * inside [ ]"))?;
                            segs.push(Seg::Index(n));
                        }
                    }
                    if bytes.get(i) != Some(&b']') {
                        return Err(format!("path {text:?}: expected ']'"));
                    }
                    i += 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
                        i += 1;
                    }
                    let word = &text[start..i];
                    if word == "*" {
                        segs.push(Seg::Any);
                    } else if word.chars().any(|c| c.is_whitespace() || c == ']' || c == '"') {
                        return Err(format!("path {text:?}: step {word:?} needs quoting as [\"...\"]"));
                    } else {
                        segs.push(Seg::Key(word.to_string()));
                    }
                }
            }
        }
        Ok(PathPattern {
            segs,
            text: text.to_string(),
        })
    }

    /// The pattern made of these steps, its text written back from them.
    pub(crate) fn from_segs(segs: Vec<Seg>) -> Self {
        let mut text = String::new();
        for seg in &segs {
            match seg {
                Seg::Key(k)
                    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
                {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push_str(k);
                }
                Seg::Key(k) => {
                    text.push_str("[\"");
                    for c in k.chars() {
                        if c == '"' || c == '\\' {
                            text.push('\\');
                        }
                        text.push(c);
                    }
                    text.push_str("\"]");
                }
                Seg::Index(i) => text.push_str(&format!("[{i}]")),
                Seg::Any => text.push_str("[*]"),
                // The one element there is.
                Seg::Lone => text.push_str("[0]"),
            }
        }
        PathPattern { segs, text }
    }

    /// This pattern with `[*]` appended unless it already ends with one: what a quantifier
    /// ranges over.
    pub(crate) fn elements(mut self) -> Self {
        if self.segs.last() != Some(&Seg::Any) {
            self.segs.push(Seg::Any);
            self.text.push_str("[*]");
        }
        self
    }

    /// Calls `f` with every match of the pattern under `root` and the concrete steps that
    /// reached it, stopping early when `f` returns `false`. Absent keys give no match;
    /// a wildcard over a value unknown until apply gives one unknown match.
    pub(crate) fn for_each<'a>(
        &self,
        root: Cursor<'a>,
        trail: &mut Trail,
        f: &mut dyn FnMut(Cursor<'a>, &mut Trail) -> bool,
    ) -> bool {
        walk(&self.segs, root, trail, f)
    }
}

fn walk<'a>(
    segs: &[Seg],
    cur: Cursor<'a>,
    trail: &mut Trail,
    f: &mut dyn FnMut(Cursor<'a>, &mut Trail) -> bool,
) -> bool {
    // Below a value unknown until apply everything is unknown: the match is that value.
    if cur.is_unknown() {
        return f(cur, trail);
    }
    let Some((first, rest)) = segs.split_first() else {
        return f(cur, trail);
    };
    match first {
        Seg::Key(k) => {
            let next = cur.get(k);
            if next.lookup().is_null_or_absent() && !next.is_unknown() {
                return true;
            }
            trail.push_key(k);
            let go = walk(rest, next, trail, f);
            trail.pop();
            go
        }
        Seg::Index(i) => {
            let next = cur.at(*i);
            if next.lookup().is_null_or_absent() && !next.is_unknown() {
                return true;
            }
            trail.push_index(*i);
            let go = walk(rest, next, trail, f);
            trail.pop();
            go
        }
        Seg::Lone => match cur.known() {
            Some(Value::Array(items)) if items.len() == 1 && items[0].is_object() => {
                trail.push_index(0);
                let go = walk(rest, cur.at(0), trail, f);
                trail.pop();
                go
            }
            Some(Value::Array(_)) => true,
            _ => walk(rest, cur, trail, f),
        },
        Seg::Any => {
            match cur.known() {
                Some(Value::Array(items)) => {
                    let n = items.len();
                    if n == 0 && cur.contains_unknown() {
                        // Some plans keep all-unknown list elements only in the unknown mirror.
                        for (step, child) in cur.children() {
                            if let Step::Index(i) = step {
                                trail.push_index(i);
                                let go = walk(rest, child, trail, f);
                                trail.pop();
                                if !go {
                                    return false;
                                }
                            }
                        }
                        return true;
                    }
                    for i in 0..n {
                        trail.push_index(i);
                        let go = walk(rest, cur.at(i), trail, f);
                        trail.pop();
                        if !go {
                            return false;
                        }
                    }
                    true
                }
                None | Some(Value::Null) => true,
                Some(_) => walk(rest, cur, trail, f),
            }
        }
    }
}

/// The concrete attribute path walked so far, kept only when a finding needs it.
#[derive(Debug, Default)]
pub(crate) struct Trail {
    on: bool,
    steps: Vec<Step>,
}

impl Trail {
    pub(crate) fn new(on: bool) -> Self {
        Trail { on, steps: Vec::new() }
    }

    pub(crate) fn with_prefix(on: bool, prefix: &[Step]) -> Self {
        Trail {
            on,
            steps: if on { prefix.to_vec() } else { Vec::new() },
        }
    }

    pub(crate) fn is_on(&self) -> bool {
        self.on
    }

    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }

    fn push_key(&mut self, k: &str) {
        if self.on {
            self.steps.push(Step::Key(k.to_string()));
        }
    }

    fn push_index(&mut self, i: usize) {
        if self.on {
            self.steps.push(Step::Index(i));
        }
    }

    fn pop(&mut self) {
        if self.on {
            self.steps.pop();
        }
    }

    /// The trail as text. Its steps are the rule's own keys and list indices ([`walk`] never
    /// steps through the keys of a value), so it names no part of a value.
    pub(crate) fn render(&self) -> planguard_plan::Shown {
        planguard_plan::Shown::name(planguard_plan::AttrPath(self.steps.clone()).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses() {
        let p = PathPattern::parse("ingress[*].cidr_blocks[*]").unwrap();
        assert_eq!(
            p.segs,
            vec![
                Seg::Key("ingress".into()),
                Seg::Any,
                Seg::Key("cidr_blocks".into()),
                Seg::Any
            ]
        );
        let p = PathPattern::parse("Condition.StringLike[\"token.actions:sub\"]").unwrap();
        assert_eq!(p.segs[2], Seg::Key("token.actions:sub".into()));
        assert_eq!(PathPattern::parse("a.*.b").unwrap().segs[1], Seg::Any);
        assert_eq!(PathPattern::parse("a[2]").unwrap().segs[1], Seg::Index(2));
        assert!(PathPattern::parse("a[").is_err());
        assert!(PathPattern::parse("a[x]").is_err());
        assert!(PathPattern::parse("").is_err());
        assert!(PathPattern::parse("a..b").is_err());
    }

    #[test]
    fn wildcard_matches() {
        let v = json!({"l": [{"c": ["a", "b"]}, {"c": "x"}], "s": "one"});
        let u = json!({});
        let root = Cursor::new(Some(&v), Some(&u), None);
        let mut seen = Vec::new();
        let mut trail = Trail::new(true);
        PathPattern::parse("l[*].c[*]")
            .unwrap()
            .for_each(root, &mut trail, &mut |c, t| {
                seen.push((t.render().into_string(), c.display()));
                true
            });
        assert_eq!(
            seen,
            vec![
                ("l[0].c[0]".to_string(), "a".to_string()),
                ("l[0].c[1]".to_string(), "b".to_string()),
                ("l[1].c".to_string(), "x".to_string()),
            ]
        );
    }
}
