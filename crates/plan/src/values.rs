//! Attribute values with their unknown and sensitive overlays.
//!
//! Terraform writes a change's `after` value next to two mirrors of it: `after_unknown`
//! (`true` where a value is known only after apply) and `after_sensitive` (`true` where a value
//! is sensitive). A [`Cursor`] walks the three trees together, so a question such as "is
//! `ingress[0].cidr_blocks` open to the world?" gets one of three answers: known, unknown until
//! apply, or absent, and never prints a sensitive value by accident.

use std::fmt;

use serde_json::Value;

use crate::error::PathError;
use crate::shown::{Disclosure, Shown};

static TRUE: Value = Value::Bool(true);

/// One step of an attribute path: an object key or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum Step {
    /// A list index.
    Index(usize),
    /// An object key.
    Key(String),
}

/// An attribute path such as `ingress[0].cidr_blocks` or `tags["Name"]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AttrPath(pub Vec<Step>);

impl AttrPath {
    /// The empty path: the whole value.
    pub fn root() -> Self {
        AttrPath(Vec::new())
    }

    /// Parses `a.b[0].c`, `tags["Name"]` or `a.0.b` (a numeric step is an index).
    pub fn parse(text: &str) -> Result<Self, PathError> {
        let err = |reason: &str| PathError {
            path: text.to_string(),
            reason: reason.to_string(),
        };
        let mut steps = Vec::new();
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'.' if i > 0 => i += 1,
                b'[' => {
                    i += 1;
                    if bytes.get(i) == Some(&b'"') {
                        let start = i + 1;
                        let mut j = start;
                        let mut key = String::new();
                        loop {
                            match bytes.get(j) {
                                None => return Err(err("unterminated quoted key")),
                                Some(b'"') => break,
                                Some(b'\\') => {
                                    let next = text.get(j + 1..j + 2).ok_or_else(|| err("dangling escape"))?;
                                    key.push_str(next);
                                    j += 2;
                                }
                                Some(_) => {
                                    let ch = text[j..].chars().next().ok_or_else(|| err("bad character"))?;
                                    key.push(ch);
                                    j += ch.len_utf8();
                                }
                            }
                        }
                        steps.push(Step::Key(key));
                        i = j + 1;
                    } else {
                        let start = i;
                        while i < bytes.len() && bytes[i].is_ascii_digit() {
                            i += 1;
                        }
                        let n = text[start..i].parse::<usize>().map_err(|_| err("expected an index"))?;
                        steps.push(Step::Index(n));
                    }
                    if bytes.get(i) != Some(&b']') {
                        return Err(err("expected ']'"));
                    }
                    i += 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
                        i += 1;
                    }
                    let word = &text[start..i];
                    if word.is_empty() {
                        return Err(err("empty step"));
                    }
                    match word.parse::<usize>() {
                        Ok(n) if !steps.is_empty() => steps.push(Step::Index(n)),
                        _ => steps.push(Step::Key(word.to_string())),
                    }
                }
            }
        }
        Ok(AttrPath(steps))
    }

    /// This path with one more step.
    pub fn child(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        AttrPath(steps)
    }

    /// True for the empty path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttrPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Key(k) if is_plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Step::Key(k) => write!(f, "[{}]", serde_json::Value::String(k.clone()))?,
            }
        }
        Ok(())
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && !k.as_bytes()[0].is_ascii_digit()
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// What a value lookup found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    /// The value is known at plan time (it may be `null`).
    Known(&'a Value),
    /// The value will be known only after apply.
    Unknown,
    /// There is no such attribute (or list element).
    Absent,
}

impl<'a> Lookup<'a> {
    /// The known value, if any.
    pub fn known(self) -> Option<&'a Value> {
        match self {
            Lookup::Known(v) => Some(v),
            _ => None,
        }
    }

    /// True when the value is unknown until apply.
    pub fn is_unknown(self) -> bool {
        matches!(self, Lookup::Unknown)
    }

    /// True when absent or a known `null`: what Terraform means by "not set".
    pub fn is_null_or_absent(self) -> bool {
        matches!(self, Lookup::Absent | Lookup::Known(Value::Null))
    }
}

/// A position in a value tree, walked together with its unknown and sensitive mirrors.
///
/// Cursors are cheap to copy. Stepping into a key that doesn't exist gives an absent cursor;
/// stepping below an unknown or sensitive value keeps it unknown or sensitive, as Terraform
/// means it (a wholly unknown map is `true` in `after_unknown`).
#[derive(Debug, Clone, Copy)]
pub struct Cursor<'a> {
    value: Option<&'a Value>,
    unknown: Option<&'a Value>,
    sensitive: Option<&'a Value>,
}

impl<'a> Cursor<'a> {
    /// A cursor over a value with its unknown and sensitive mirrors (either may be `None`).
    pub fn new(value: Option<&'a Value>, unknown: Option<&'a Value>, sensitive: Option<&'a Value>) -> Self {
        Cursor {
            value,
            unknown,
            sensitive,
        }
    }

    /// Steps into an object key.
    pub fn get(self, key: &str) -> Cursor<'a> {
        Cursor {
            value: self.value.and_then(|v| v.get(key)),
            unknown: descend(self.unknown, |u| u.get(key)),
            sensitive: descend_mask(self.sensitive, |s| s.get(key)),
        }
    }

    /// Steps into a list element.
    pub fn at(self, index: usize) -> Cursor<'a> {
        Cursor {
            value: self.value.and_then(|v| v.get(index)),
            unknown: descend(self.unknown, |u| u.get(index)),
            sensitive: descend_mask(self.sensitive, |s| s.get(index)),
        }
    }

    /// Steps along one path step. A numeric key on a list is taken as an index.
    pub fn step(self, step: &Step) -> Cursor<'a> {
        match step {
            Step::Index(i) => self.at(*i),
            Step::Key(k) => self.get(k),
        }
    }

    /// Follows a whole path.
    pub fn path(self, path: &AttrPath) -> Cursor<'a> {
        path.0.iter().fold(self, |c, s| c.step(s))
    }

    /// Follows a path given as text (`a.b[0]`); an unparsable path gives an absent cursor.
    pub fn at_path(self, path: &str) -> Cursor<'a> {
        match AttrPath::parse(path) {
            Ok(p) => self.path(&p),
            Err(_) => Cursor::new(None, None, None),
        }
    }

    /// What is here: known, unknown until apply, or absent.
    pub fn lookup(self) -> Lookup<'a> {
        if self.is_unknown() {
            return Lookup::Unknown;
        }
        match self.value {
            Some(v) => Lookup::Known(v),
            None => Lookup::Absent,
        }
    }

    /// The known value here, if any.
    pub fn known(self) -> Option<&'a Value> {
        self.lookup().known()
    }

    /// The known string here, if any.
    pub fn as_str(self) -> Option<&'a str> {
        self.known().and_then(Value::as_str)
    }

    /// True when the whole value here is unknown until apply.
    pub fn is_unknown(self) -> bool {
        matches!(self.unknown, Some(Value::Bool(true)))
    }

    /// True when anything at or below here is unknown until apply.
    pub fn contains_unknown(self) -> bool {
        self.unknown.is_some_and(any_true)
    }

    /// True when the value here is sensitive. A mask entry that is not a boolean, an object
    /// or a list (`"true"`, `1`, `null`) is not one Terraform writes: it reads as sensitive,
    /// so a malformed mask hides a value rather than shows it.
    pub fn is_sensitive(self) -> bool {
        self.sensitive.is_some_and(masks_whole)
    }

    /// True when anything at or below here is sensitive.
    pub fn contains_sensitive(self) -> bool {
        self.sensitive.is_some_and(any_sensitive)
    }

    /// The value here as message text: the value itself when the overlay says no part of it
    /// is sensitive (strings unquoted), else `(sensitive)` for the parts that are. See
    /// [`Shown`].
    pub fn shown(self) -> Shown {
        Shown(self.display())
    }

    /// Whether text derived from the value here (a host read out of an ARN, a statement of a
    /// JSON policy) may be shown: only when no part of the value is sensitive.
    pub fn disclosure(self) -> Disclosure {
        Disclosure {
            allowed: !self.contains_sensitive(),
        }
    }

    /// The children of a list or object, including elements that exist only in the unknown
    /// mirror (a list whose elements are all unknown has an empty `after` list in some plans).
    pub fn children(self) -> Vec<(Step, Cursor<'a>)> {
        let mut out = Vec::new();
        match (self.value, self.unknown) {
            (Some(Value::Array(items)), unknown) => {
                let extra = match unknown {
                    Some(Value::Array(u)) => u.len(),
                    _ => 0,
                };
                for i in 0..items.len().max(extra) {
                    out.push((Step::Index(i), self.at(i)));
                }
            }
            (Some(Value::Object(map)), unknown) => {
                for key in map.keys() {
                    out.push((Step::Key(key.clone()), self.get(key)));
                }
                if let Some(Value::Object(u)) = unknown {
                    for key in u.keys() {
                        if !map.contains_key(key) {
                            out.push((Step::Key(key.clone()), self.get(key)));
                        }
                    }
                }
            }
            (None | Some(Value::Null), Some(Value::Array(u))) => {
                for i in 0..u.len() {
                    out.push((Step::Index(i), self.at(i)));
                }
            }
            (None | Some(Value::Null), Some(Value::Object(u))) => {
                for key in u.keys() {
                    out.push((Step::Key(key.clone()), self.get(key)));
                }
            }
            _ => {}
        }
        out
    }

    /// The value here with every sensitive part replaced by `"(sensitive)"` and every unknown
    /// part by `"(known after apply)"`: safe to print.
    pub fn redacted(self) -> Value {
        if self.is_sensitive() {
            return Value::String(SENSITIVE.to_string());
        }
        if self.is_unknown() {
            return Value::String(UNKNOWN.to_string());
        }
        match self.value {
            Some(Value::Array(_)) | Some(Value::Object(_)) | None
                if self.contains_sensitive() || self.contains_unknown() =>
            {
                let children = self.children();
                if matches!(self.value, Some(Value::Object(_))) || matches!(self.unknown, Some(Value::Object(_))) {
                    let map = children
                        .into_iter()
                        .filter_map(|(step, c)| match step {
                            Step::Key(k) => Some((k, c.redacted())),
                            Step::Index(_) => None,
                        })
                        .collect();
                    Value::Object(map)
                } else {
                    Value::Array(children.into_iter().map(|(_, c)| c.redacted()).collect())
                }
            }
            Some(v) => v.clone(),
            None => Value::Null,
        }
    }

    /// A short, printable rendering of the value here: strings unquoted, sensitive parts as
    /// `(sensitive)`, unknown parts as `(known after apply)`, absent as `(absent)`.
    pub fn display(self) -> String {
        if self.value.is_none() && !self.is_unknown() && !self.is_sensitive() && self.children().is_empty() {
            return "(absent)".to_string();
        }
        match self.redacted() {
            Value::String(s) => s,
            other => other.to_string(),
        }
    }
}

/// How a sensitive value is printed.
pub const SENSITIVE: &str = "(sensitive)";
/// How a value unknown until apply is printed.
pub const UNKNOWN: &str = "(known after apply)";

fn descend<'a>(mirror: Option<&'a Value>, f: impl FnOnce(&'a Value) -> Option<&'a Value>) -> Option<&'a Value> {
    match mirror {
        Some(Value::Bool(true)) => Some(&TRUE),
        Some(v) => f(v),
        None => None,
    }
}

/// A sensitivity mask entry that hides the whole value below it: `true`, or anything that is
/// neither `false`, an object nor a list (fail closed: a mask planguard cannot read hides).
fn masks_whole(mask: &Value) -> bool {
    !matches!(mask, Value::Bool(false) | Value::Object(_) | Value::Array(_))
}

fn descend_mask<'a>(mask: Option<&'a Value>, f: impl FnOnce(&'a Value) -> Option<&'a Value>) -> Option<&'a Value> {
    match mask {
        Some(m) if masks_whole(m) => Some(&TRUE),
        Some(m) => f(m),
        None => None,
    }
}

fn any_sensitive(mask: &Value) -> bool {
    match mask {
        Value::Array(items) => items.iter().any(any_sensitive),
        Value::Object(map) => map.values().any(any_sensitive),
        other => masks_whole(other),
    }
}

/// True when `mask` is a sensitivity mask Terraform writes: a boolean, or an object or list
/// whose leaves are all booleans. `null` (no mask: plans before Terraform 0.15) counts as
/// well formed at the top only. Anything else is read as sensitive where it stands
/// ([`Cursor::is_sensitive`]); the loader warns about it.
pub fn is_well_formed_mask(mask: &Value) -> bool {
    fn leaves(v: &Value) -> bool {
        match v {
            Value::Bool(_) => true,
            Value::Array(items) => items.iter().all(leaves),
            Value::Object(map) => map.values().all(leaves),
            _ => false,
        }
    }
    mask.is_null() || leaves(mask)
}

fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(any_true),
        Value::Object(map) => map.values().any(any_true),
        _ => false,
    }
}

/// The parsed values of one change: before and after with their overlays.
#[derive(Debug, Clone, Default)]
pub struct ChangeValues {
    /// The value before the change (`null` for a create).
    pub before: Value,
    /// The planned value after the change (`null` for a delete).
    pub after: Value,
    /// `true` where `after` is unknown until apply.
    pub after_unknown: Value,
    /// `true` where `before` is sensitive.
    pub before_sensitive: Value,
    /// `true` where `after` is sensitive.
    pub after_sensitive: Value,
}

impl ChangeValues {
    /// A cursor at the root of the after-value.
    pub fn after(&self) -> Cursor<'_> {
        Cursor::new(
            (!self.after.is_null()).then_some(&self.after),
            Some(&self.after_unknown),
            mask(&self.after_sensitive),
        )
    }

    /// A cursor at the root of the before-value (never unknown).
    pub fn before(&self) -> Cursor<'_> {
        Cursor::new(
            (!self.before.is_null()).then_some(&self.before),
            None,
            mask(&self.before_sensitive),
        )
    }

    /// Looks up an after-value by path text, e.g. `ingress[0].cidr_blocks`.
    pub fn after_at(&self, path: &str) -> Lookup<'_> {
        self.after().at_path(path).lookup()
    }

    /// Looks up a before-value by path text.
    pub fn before_at(&self, path: &str) -> Lookup<'_> {
        self.before().at_path(path).lookup()
    }

    /// True when the after-value at `path` (or above it) is sensitive.
    pub fn is_sensitive(&self, path: &str) -> bool {
        self.after().at_path(path).is_sensitive() || self.before().at_path(path).is_sensitive()
    }

    /// The attribute paths whose value differs between before and after, deepest first
    /// where both sides are objects or equal-length lists, in a stable order.
    pub fn changed_paths(&self) -> Vec<AttrPath> {
        let mut out = Vec::new();
        diff(self.before(), self.after(), &mut AttrPath::root(), &mut out);
        out
    }
}

/// A top-level mask: `null` is no mask (plans before Terraform 0.15 write none).
fn mask(value: &Value) -> Option<&Value> {
    (!value.is_null()).then_some(value)
}

fn diff(before: Cursor<'_>, after: Cursor<'_>, path: &mut AttrPath, out: &mut Vec<AttrPath>) {
    if after.is_unknown() {
        out.push(path.clone());
        return;
    }
    match (before.value, after.value) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                path.0.push(Step::Key(key.clone()));
                diff(before.get(key), after.get(key), path, out);
                path.0.pop();
            }
        }
        (Some(Value::Array(b)), Some(Value::Array(a))) if b.len() == a.len() => {
            for i in 0..a.len() {
                path.0.push(Step::Index(i));
                diff(before.at(i), after.at(i), path, out);
                path.0.pop();
            }
        }
        (b, a) => {
            let b = b.filter(|v| !v.is_null());
            let a = a.filter(|v| !v.is_null());
            if b != a || after.contains_unknown() || before.is_sensitive() != after.is_sensitive() {
                out.push(path.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn values(before: Value, after: Value, unknown: Value, sensitive: Value) -> ChangeValues {
        ChangeValues {
            before,
            after,
            after_unknown: unknown,
            before_sensitive: json!({}),
            after_sensitive: sensitive,
        }
    }

    #[test]
    fn paths_parse_and_print() {
        for text in [
            "a",
            "a.b",
            "a[0].b",
            "tags[\"Name with space\"]",
            "ingress[2].cidr_blocks[0]",
        ] {
            let p = AttrPath::parse(text).unwrap();
            assert_eq!(p.to_string(), text);
        }
        assert_eq!(
            AttrPath::parse("a.0.b").unwrap().0,
            vec![Step::Key("a".into()), Step::Index(0), Step::Key("b".into())]
        );
        assert!(AttrPath::parse("a[").is_err());
        assert!(AttrPath::parse("a[\"x").is_err());
    }

    #[test]
    fn known_unknown_absent() {
        let v = values(
            Value::Null,
            json!({"ami": "ami-1", "tags": {"a": "b"}, "ingress": [{"cidr_blocks": ["0.0.0.0/0"]}], "id": null}),
            json!({"id": true, "arn": true, "ingress": [{"cidr_blocks": [false]}], "tags_all": true}),
            json!({}),
        );
        assert_eq!(v.after_at("ami"), Lookup::Known(&json!("ami-1")));
        assert_eq!(v.after_at("id"), Lookup::Unknown);
        assert_eq!(v.after_at("arn"), Lookup::Unknown);
        assert_eq!(
            v.after_at("tags_all.Name"),
            Lookup::Unknown,
            "below a wholly unknown map"
        );
        assert_eq!(v.after_at("nope"), Lookup::Absent);
        assert_eq!(
            v.after_at("ingress[0].cidr_blocks[0]"),
            Lookup::Known(&json!("0.0.0.0/0"))
        );
        assert_eq!(v.after_at("ingress[1]"), Lookup::Absent);
        let keys: Vec<_> = v.after().children().into_iter().map(|(s, _)| s).collect();
        assert!(
            keys.contains(&Step::Key("arn".into())),
            "unknown-only keys are children"
        );
    }

    #[test]
    fn sensitive_is_redacted() {
        let v = values(
            Value::Null,
            json!({"password": "hunter2", "tags": {"a": "x", "secret": "s3cr3t"}, "list": ["p", "q"]}),
            json!({"id": true}),
            json!({"password": true, "tags": {"secret": true}, "list": [false, true]}),
        );
        assert!(v.is_sensitive("password"));
        assert!(!v.is_sensitive("tags.a"));
        assert!(v.after().get("tags").contains_sensitive());
        let shown = v.after().redacted().to_string();
        assert!(
            !shown.contains("hunter2") && !shown.contains("s3cr3t") && !shown.contains("\"q\""),
            "{shown}"
        );
        assert!(shown.contains("(known after apply)"));
        assert_eq!(v.after().get("password").display(), "(sensitive)");
        assert_eq!(v.after().get("missing").display(), "(absent)");
    }

    #[test]
    fn malformed_masks_hide_the_value() {
        for mask in [
            json!("true"),
            json!(1),
            json!({"password": 1}),
            json!({"password": "yes"}),
            json!({"password": null}),
            json!({"password": [1]}),
        ] {
            let v = values(Value::Null, json!({"password": ["hunter2"]}), json!({}), mask.clone());
            assert!(!is_well_formed_mask(&mask), "{mask}");
            let shown = v.after().redacted().to_string();
            assert!(!shown.contains("hunter2"), "{mask}: {shown}");
            assert!(v.after().get("password").contains_sensitive(), "{mask}");
            assert!(!v.after().get("password").disclosure().allows(), "{mask}");
        }
        for mask in [
            json!(false),
            json!({}),
            json!({"a": [false, true]}),
            json!(true),
            Value::Null,
        ] {
            assert!(is_well_formed_mask(&mask), "{mask}");
        }
        let v = values(Value::Null, json!({"a": "open"}), json!({}), Value::Null);
        assert_eq!(v.after().get("a").shown(), "open", "no mask at all is not sensitive");
    }

    #[test]
    fn changed_paths_are_leaves() {
        let v = ChangeValues {
            before: json!({"a": 1, "b": {"c": 2, "d": 3}, "l": [1, 2], "same": "x"}),
            after: json!({"a": 2, "b": {"c": 2, "d": 4}, "l": [1, 2, 3], "same": "x", "id": null}),
            after_unknown: json!({"id": true}),
            before_sensitive: json!({}),
            after_sensitive: json!({}),
        };
        let got: Vec<String> = v.changed_paths().iter().map(ToString::to_string).collect();
        assert_eq!(got, vec!["a", "b.d", "id", "l"]);
    }
}

/// Scrubs known sensitive strings out of text that is about to be printed.
///
/// Terraform marks sensitivity per attribute, and some derived attributes carry a sensitive
/// value without the mark (`terraform_data.output` mirrors a sensitive `input` unmarked). As a
/// second line of defence, every printed value passes through a `Redactor` that knows the
/// sensitive strings of the change (and of the plan's sensitive variables) and replaces any
/// occurrence with `(sensitive)`.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

/// Sensitive strings shorter than this are not scrubbed from text: replacing `"1"` or
/// `"ab"` everywhere would garble output without protecting anything.
const MIN_SCRUB_LEN: usize = 3;

impl Redactor {
    /// A redactor that knows no secrets.
    pub fn new() -> Self {
        Redactor::default()
    }

    /// Adds a secret.
    pub fn add(&mut self, secret: &str) {
        if secret.len() >= MIN_SCRUB_LEN && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            // Longest first, so a secret that contains another is replaced whole.
            self.secrets
                .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        }
    }

    /// Adds every sensitive scalar under a cursor.
    pub fn add_sensitive_values(&mut self, cursor: Cursor<'_>) {
        if cursor.is_sensitive() {
            if let Some(v) = cursor.value {
                collect_scalars(v, &mut |s| self.add(s));
            }
            return;
        }
        if cursor.contains_sensitive() {
            for (_, child) in cursor.children() {
                self.add_sensitive_values(child);
            }
        }
    }

    /// A redactor for one change: the sensitive values of its before and after.
    pub fn for_change(values: &ChangeValues) -> Self {
        let mut r = Redactor::new();
        r.add_sensitive_values(values.before());
        r.add_sensitive_values(values.after());
        r
    }

    /// Adds the secrets of another redactor.
    pub fn extend(&mut self, other: &Redactor) {
        for s in &other.secrets {
            self.add(s);
        }
    }

    /// True when it knows no secrets.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every known secret replaced by `(sensitive)`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), SENSITIVE);
            }
        }
        out
    }
}

impl Redactor {
    /// [`Redactor::scrub`] of shown text: a second line of defence for values a mark missed.
    pub fn scrub_shown(&self, text: &Shown) -> Shown {
        Shown(self.scrub(text.as_str()))
    }
}

fn collect_scalars(v: &Value, f: &mut impl FnMut(&str)) {
    match v {
        Value::String(s) => f(s),
        Value::Number(n) => f(&n.to_string()),
        Value::Array(items) => items.iter().for_each(|i| collect_scalars(i, f)),
        Value::Object(map) => map.values().for_each(|i| collect_scalars(i, f)),
        _ => {}
    }
}
