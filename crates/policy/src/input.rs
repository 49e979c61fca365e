//! The `input` document: the plan JSON, with sensitive values masked.

use rayon::prelude::*;
use regorus::Value;

use crate::error::PolicyError;
use crate::roots::InputRoots;

/// What replaces a sensitive value in the input, as planguard prints one elsewhere.
pub const SENSITIVE: &str = "(sensitive)";

/// A plan ready to be given to the policies: parsed once, shared by every rule.
#[derive(Debug, Clone)]
pub struct Input {
    pub(crate) value: Value,
    /// The string values that were masked, for the caller to scrub any output with (a
    /// policy can only meet them elsewhere, e.g. as a literal of the configuration).
    pub secrets: Vec<String>,
}

/// Parses the plan's JSON text and masks every value the plan marks sensitive: the
/// `before`/`after` of resource changes, drift and output changes under their
/// `*_sensitive` masks, resource values under `sensitive_values` (planned values and prior
/// state, every module), outputs marked `sensitive`, and the root variables the
/// configuration declares sensitive.
pub fn build_input(plan_json: &str) -> Result<Input, PolicyError> {
    build_input_of(plan_json, &InputRoots::Whole)
}

/// [`build_input`], with only the top-level members that policies reading `roots` may need
/// (the rest is checked to be JSON, not built). See [`members_to_build`].
pub(crate) fn build_input_of(plan_json: &str, roots: &InputRoots) -> Result<Input, PolicyError> {
    let built = members_to_build(roots);
    let mut value = parse_in_chunks(plan_json, Sizes::DEFAULT, &built)?;
    let mut secrets = Vec::new();
    mask_plan(&mut value, &mut secrets);
    secrets.sort();
    secrets.dedup();
    Ok(Input { value, secrets })
}

/// The members the masking reads secrets from (each one masked where it holds them).
const MASKED_MEMBERS: [&str; 6] = [
    "resource_changes",
    "resource_drift",
    "output_changes",
    "planned_values",
    "prior_state",
    "variables",
];

/// Members that hold no value of the configuration (versions and flags).
const SCALAR_MEMBERS: [&str; 6] = [
    "format_version",
    "terraform_version",
    "timestamp",
    "applyable",
    "complete",
    "errored",
];

/// The members to build for policies that read `roots`.
///
/// Values a policy may print are masked in every member it can read, and the secrets
/// collected while masking scrub its messages besides, for a sensitive value that shows up
/// unmarked elsewhere (a literal of the configuration). So a policy that reads a member
/// outside the masked ones and the scalar ones gets the whole document, and with it every
/// secret. The root variables are masked by the declarations under `configuration`, which
/// is built with them.
fn members_to_build(roots: &InputRoots) -> InputRoots {
    let InputRoots::Members(names) = roots else {
        return InputRoots::Whole;
    };
    let known = |n: &String| MASKED_MEMBERS.contains(&n.as_str()) || SCALAR_MEMBERS.contains(&n.as_str());
    if !names.iter().all(known) {
        return InputRoots::Whole;
    }
    let mut names = names.clone();
    if names.contains("variables") {
        names.insert("configuration".to_string());
    }
    InputRoots::Members(names)
}

fn unreadable() -> PolicyError {
    PolicyError::Input("the plan is not a JSON document regorus can read".into())
}

/// The sizes that decide how a document is split ([`Sizes::DEFAULT`] but in tests).
#[derive(Debug, Clone, Copy)]
struct Sizes {
    /// Elements are grouped into chunks of about this many bytes: large enough that a
    /// chunk's parse outweighs handing it to a thread, small enough for the two cores to
    /// share a 50k-resource plan's chunks evenly. A larger element is outlined in turn.
    chunk: usize,
    /// Runs of elements under this size are parsed during the outline pass itself: handing
    /// them to another thread would cost more than parsing them.
    inline: usize,
}

impl Sizes {
    const DEFAULT: Sizes = Sizes {
        chunk: 256 * 1024,
        inline: 4 * 1024,
    };
}

/// How the document is parsed into the engine's values on every core.
///
/// regorus parses a document on one thread ([`Value::from_json_str`]), the longest part of
/// evaluating policies on a large plan. Here one pass over the text reads the document's
/// outline: objects member by member, arrays as the raw text of their elements (checked,
/// not parsed). Runs of consecutive small elements become chunks of about [`Sizes::chunk`],
/// which rayon parses at once with regorus's own parser, beside the built-in analysis, and
/// the outline is then filled in, in document order. An element larger than a chunk (a
/// child module) is outlined in turn. serde_json has no such parallel reader and regorus
/// builds its values only through its own `Deserialize`, hence this outline.
fn parse_in_chunks(plan_json: &str, sizes: Sizes, keep: &InputRoots) -> Result<Value, PolicyError> {
    let mut chunks = Vec::new();
    let outline = outline(plan_json, plan_json, &mut chunks, sizes, 0, Some(keep))?;
    let parsed: Vec<Result<Vec<Value>, PolicyError>> =
        chunks.par_iter().map(|range| parse_chunk(plan_json, range)).collect();
    let mut parsed: Vec<Option<Vec<Value>>> = parsed.into_iter().map(|r| r.map(Some)).collect::<Result<_, _>>()?;
    Ok(outline.fill(&mut parsed))
}

/// Outlines nested deeper than this (elements each larger than a chunk, inside one another)
/// are parsed whole, which bounds the recursion a crafted document can cause.
const MAX_OUTLINE_DEPTH: usize = 64;

/// A value of the document as the outline pass leaves it.
enum Node {
    Value(Value),
    Object(Vec<(Value, Node)>),
    Array(Vec<Part>),
}

/// A part of an array: an outlined element, or the index of a chunk of elements.
enum Part {
    Node(Node),
    Chunk(usize),
}

impl Node {
    fn fill(self, parsed: &mut [Option<Vec<Value>>]) -> Value {
        match self {
            Node::Value(value) => value,
            Node::Object(members) => Value::from(
                members
                    .into_iter()
                    .map(|(k, v)| (k, v.fill(parsed)))
                    .collect::<std::collections::BTreeMap<Value, Value>>(),
            ),
            Node::Array(parts) => {
                let mut items = Vec::new();
                for part in parts {
                    match part {
                        Part::Node(node) => items.push(node.fill(parsed)),
                        Part::Chunk(i) => items.extend(parsed.get_mut(i).and_then(Option::take).unwrap_or_default()),
                    }
                }
                Value::from(items)
            }
        }
    }
}

/// Byte offsets, in the whole document, of a run of consecutive array elements.
type Range = (usize, usize);

fn parse_chunk(document: &str, &(start, end): &Range) -> Result<Vec<Value>, PolicyError> {
    let body = document.get(start..end).ok_or_else(unreadable)?;
    let mut text = String::with_capacity(body.len() + 2);
    text.push('[');
    text.push_str(body);
    text.push(']');
    match Value::from_json_str(&text).map_err(|_| unreadable())? {
        Value::Array(items) => Ok(items.iter().cloned().collect()),
        _ => Err(unreadable()),
    }
}

/// Outlines `text`, a part of `document` (offsets of chunks are taken in `document`).
/// `keep`, for the whole document only, names the top-level members to build.
fn outline(
    document: &str,
    text: &str,
    chunks: &mut Vec<Range>,
    sizes: Sizes,
    depth: usize,
    keep: Option<&InputRoots>,
) -> Result<Node, PolicyError> {
    if depth > MAX_OUTLINE_DEPTH {
        return Value::from_json_str(text).map(Node::Value).map_err(|_| unreadable());
    }
    let mut reader = serde_json::Deserializer::from_str(text);
    let node = serde::de::DeserializeSeed::deserialize(
        Outliner {
            document,
            chunks,
            sizes,
            depth,
            keep,
        },
        &mut reader,
    )
    .map_err(|_| unreadable())?;
    reader.end().map_err(|_| unreadable())?;
    Ok(node)
}

struct Outliner<'c> {
    document: &'c str,
    chunks: &'c mut Vec<Range>,
    sizes: Sizes,
    depth: usize,
    /// The top-level members to build (`None` inside the document).
    keep: Option<&'c InputRoots>,
}

impl<'de, 'c> serde::de::DeserializeSeed<'de> for Outliner<'c> {
    type Value = Node;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, 'c> serde::de::Visitor<'de> for Outliner<'c> {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Value(Value::Null))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Value(Value::Bool(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Value(Value::from(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Value(Value::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        if !v.is_finite() {
            return Err(E::custom("a non-finite number"));
        }
        Ok(Node::Value(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Value(Value::from(v)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if self.keep.is_some_and(|keep| !keep.needs(&key)) {
                // Still read, so that a document that is not JSON is refused.
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let value = map.next_value_seed(Outliner {
                document: self.document,
                chunks: &mut *self.chunks,
                sizes: self.sizes,
                depth: self.depth,
                keep: None,
            })?;
            members.push((Value::from(&*key), value));
        }
        Ok(Node::Object(members))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        use serde::de::Error;
        let document = self.document;
        let sizes = self.sizes;
        let base = document.as_ptr() as usize;
        let mut parts = Vec::new();
        let mut run: Option<Range> = None;
        let close = |run: &mut Option<Range>, parts: &mut Vec<Part>, chunks: &mut Vec<Range>| -> Result<(), A::Error> {
            if let Some(range) = run.take() {
                if range.1 - range.0 < sizes.inline {
                    let items = parse_chunk(document, &range).map_err(A::Error::custom)?;
                    parts.extend(items.into_iter().map(|v| Part::Node(Node::Value(v))));
                } else {
                    parts.push(Part::Chunk(chunks.len()));
                    chunks.push(range);
                }
            }
            Ok(())
        };
        while let Some(raw) = seq.next_element::<&'de serde_json::value::RawValue>()? {
            let text = raw.get();
            let start = (text.as_ptr() as usize).wrapping_sub(base);
            if start > document.len() {
                // Not a part of the document (cannot happen with a string reader).
                return Err(A::Error::custom("an element outside the document"));
            }
            let end = start + text.len();
            if text.len() >= sizes.chunk {
                close(&mut run, &mut parts, self.chunks)?;
                let node =
                    outline(document, text, self.chunks, sizes, self.depth + 1, None).map_err(A::Error::custom)?;
                parts.push(Part::Node(node));
                continue;
            }
            run = match run {
                Some((first, _)) if end - first <= sizes.chunk => Some((first, end)),
                Some(full) => {
                    close(&mut Some(full), &mut parts, self.chunks)?;
                    Some((start, end))
                }
                None => Some((start, end)),
            };
        }
        close(&mut run, &mut parts, self.chunks)?;
        Ok(Node::Array(parts))
    }
}

fn key(name: &str) -> Value {
    Value::String(name.into())
}

fn child<'a>(value: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    match value {
        Value::Object(_) => value.as_object_mut().ok()?.get_mut(&key(name)),
        _ => None,
    }
}

/// Calls `f` on the members of a list or object that `wanted` selects. Nothing is taken
/// mutably when none is: taking a value of the engine mutably rebuilds it, and most of a
/// plan has nothing to mask.
fn each_member(value: &mut Value, wanted: impl Fn(&Value) -> bool, mut f: impl FnMut(&mut Value)) {
    let any = match &*value {
        Value::Array(items) => items.iter().any(&wanted),
        Value::Object(fields) => fields.iter().any(|(_, v)| wanted(v)),
        _ => false,
    };
    if !any {
        return;
    }
    let mut f = |item: &mut Value| {
        if wanted(item) {
            f(item);
        }
    };
    match value {
        Value::Array(_) => {
            if let Ok(array) = value.as_array_mut() {
                for item in array.iter_mut() {
                    f(item);
                }
            }
        }
        Value::Object(_) => {
            if let Ok(object) = value.as_object_mut() {
                for (_, item) in object.iter_mut() {
                    f(item);
                }
            }
        }
        _ => {}
    }
}

fn mask_plan(plan: &mut Value, secrets: &mut Vec<String>) {
    for list in ["resource_changes", "resource_drift"] {
        if let Some(changes) = child(plan, list) {
            each_member(
                changes,
                |rc| change_is_masked(&rc["change"]),
                |rc| {
                    if let Some(change) = child(rc, "change") {
                        mask_change(change, secrets);
                    }
                },
            );
        }
    }
    if let Some(outputs) = child(plan, "output_changes") {
        each_member(outputs, change_is_masked, |change| mask_change(change, secrets));
    }
    if let Some(planned) = child(plan, "planned_values") {
        mask_state_values(planned, secrets);
    }
    if let Some(values) = child(plan, "prior_state").and_then(|s| child(s, "values")) {
        mask_state_values(values, secrets);
    }
    let sensitive_variables: Vec<Value> = match &plan["configuration"]["root_module"]["variables"] {
        Value::Object(vars) => vars
            .iter()
            .filter(|(_, decl)| decl["sensitive"] == Value::Bool(true))
            .map(|(name, _)| name.clone())
            .collect(),
        _ => Vec::new(),
    };
    if let Some(Value::Object(_)) = child(plan, "variables") {
        if let Some(variables) = child(plan, "variables").and_then(|v| v.as_object_mut().ok()) {
            for name in &sensitive_variables {
                if let Some(value) = variables.get_mut(name).and_then(|v| child(v, "value")) {
                    mask(value, &Value::Bool(true), secrets);
                }
            }
        }
    }
}

fn change_is_masked(change: &Value) -> bool {
    ["before_sensitive", "after_sensitive"]
        .iter()
        .any(|o| change[*o] != Value::Undefined && any_sensitive(&change[*o], 0))
}

fn mask_change(change: &mut Value, secrets: &mut Vec<String>) {
    for (field, overlay) in [("before", "before_sensitive"), ("after", "after_sensitive")] {
        let overlay = change[overlay].clone();
        if overlay == Value::Undefined || !any_sensitive(&overlay, 0) {
            continue;
        }
        if let Some(value) = child(change, field) {
            mask(value, &overlay, secrets);
        }
    }
}

fn mask_state_values(values: &mut Value, secrets: &mut Vec<String>) {
    if let Some(outputs) = child(values, "outputs") {
        each_member(
            outputs,
            |output| output["sensitive"] == Value::Bool(true),
            |output| {
                if let Some(value) = child(output, "value") {
                    mask(value, &Value::Bool(true), secrets);
                }
            },
        );
    }
    if module_is_masked(&values["root_module"], 0) {
        if let Some(root) = child(values, "root_module") {
            mask_module(root, secrets, 0);
        }
    }
}

fn resource_is_masked(resource: &Value) -> bool {
    let overlay = &resource["sensitive_values"];
    *overlay != Value::Undefined && any_sensitive(overlay, 0)
}

fn module_is_masked(module: &Value, depth: usize) -> bool {
    if depth > 256 {
        return false;
    }
    let resources = match &module["resources"] {
        Value::Array(items) => items.iter().any(resource_is_masked),
        _ => false,
    };
    resources
        || match &module["child_modules"] {
            Value::Array(items) => items.iter().any(|c| module_is_masked(c, depth + 1)),
            _ => false,
        }
}

fn mask_module(module: &mut Value, secrets: &mut Vec<String>, depth: usize) {
    // Terraform's module tree is as deep as the configuration's module calls; the bound
    // only keeps a crafted document from exhausting the stack.
    if depth > 256 {
        return;
    }
    if let Some(resources) = child(module, "resources") {
        each_member(resources, resource_is_masked, |resource| {
            let overlay = resource["sensitive_values"].clone();
            if let Some(value) = child(resource, "values") {
                mask(value, &overlay, secrets);
            }
        });
    }
    if let Some(children) = child(module, "child_modules") {
        each_member(
            children,
            |c| module_is_masked(c, depth + 1),
            |c| mask_module(c, secrets, depth + 1),
        );
    }
}

/// A mask entry that masks its whole value: anything but `false`, an object or a list.
/// `true` is what Terraform writes; any other entry (`"true"`, `1`, `null`) is not, and
/// hides its value rather than shows it, as planguard reads masks everywhere.
fn masks_whole(overlay: &Value) -> bool {
    !matches!(overlay, Value::Bool(false) | Value::Object(_) | Value::Array(_))
}

fn any_sensitive(overlay: &Value, depth: usize) -> bool {
    if depth > 256 {
        return true;
    }
    match overlay {
        Value::Object(fields) => fields.iter().any(|(_, m)| any_sensitive(m, depth + 1)),
        Value::Array(items) => items.iter().any(|m| any_sensitive(m, depth + 1)),
        other => masks_whole(other),
    }
}

/// Replaces every part of `value` that `overlay` marks sensitive by [`SENSITIVE`], keeping
/// the masked strings in `secrets`.
fn mask(value: &mut Value, overlay: &Value, secrets: &mut Vec<String>) {
    if masks_whole(overlay) {
        if !matches!(value, Value::Null | Value::Undefined) {
            collect_strings(value, secrets, 0);
            *value = Value::String(SENSITIVE.into());
        }
        return;
    }
    match (overlay, &*value) {
        (Value::Object(fields), Value::Object(_)) => {
            if let Ok(object) = value.as_object_mut() {
                for (k, sub) in fields.iter() {
                    if let Some(v) = object.get_mut(k) {
                        mask(v, sub, secrets);
                    }
                }
            }
        }
        (Value::Array(items), Value::Array(_)) => {
            if let Ok(array) = value.as_array_mut() {
                for (i, sub) in items.iter().enumerate() {
                    if let Some(v) = array.get_mut(i) {
                        mask(v, sub, secrets);
                    }
                }
            }
        }
        // A mask whose shape is not the value's: masked whole when it marks anything,
        // rather than guessed at.
        _ if any_sensitive(overlay, 0) => mask(value, &Value::Bool(true), secrets),
        _ => {}
    }
}

fn collect_strings(value: &Value, secrets: &mut Vec<String>, depth: usize) {
    if depth > 256 {
        return;
    }
    match value {
        Value::String(s) if !s.is_empty() => secrets.push(s.to_string()),
        Value::Array(a) => a.iter().for_each(|v| collect_strings(v, secrets, depth + 1)),
        Value::Set(s) => s.iter().for_each(|v| collect_strings(v, secrets, depth + 1)),
        Value::Object(o) => o.iter().for_each(|(_, v)| collect_strings(v, secrets, depth + 1)),
        // Numbers and booleans are masked in the input but not kept: too short to scrub
        // from text safely ("1" would blank every digit).
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sizes that split even a small document into outlines, chunks and inline runs.
    const TINY: Sizes = Sizes { chunk: 64, inline: 16 };
    /// Every run a chunk of its own, none parsed inline.
    const NO_INLINE: Sizes = Sizes { chunk: 48, inline: 0 };

    fn assert_same(text: &str) {
        let expected = Value::from_json_str(text).expect("regorus reads the document");
        for sizes in [TINY, NO_INLINE, Sizes::DEFAULT] {
            let got = parse_in_chunks(text, sizes, &InputRoots::Whole).expect("the chunked parse reads the document");
            assert_eq!(got, expected, "{sizes:?} on {text}");
        }
    }

    #[test]
    fn chunked_parse_equals_regorus_on_every_shape() {
        assert_same(r#"{}"#);
        assert_same(r#"[]"#);
        assert_same(r#""a lone string""#);
        assert_same(r#"{"a": [], "b": [[]], "c": [{}], "d": null, "e": true, "f": false}"#);
        assert_same(
            r#"[1, -2, 3.5, 1e300, -0.0, 18446744073709551615, -9223372036854775808, 12345678901234567890123]"#,
        );
        assert_same(r#"{"k\"ey\\": "v\u00e9\n", "ключ": "значение", "emoji": "\ud83d\ude00", "": ""}"#);
        assert_same(r#"{"dup": 1, "dup": 2, "x": {"dup": [1], "dup": [2, 3]}}"#);
        assert_same("{\r\n  \"crlf\" : [ 1 ,\r\n 2 ] ,\r\n \"t\":\t[\"x\" ]\r\n}");
        // Elements larger than a chunk (outlined in turn), runs of small ones, nested arrays.
        let big = format!(
            r#"{{"resource_changes": [{}], "nested": [[{}], [[{}]]], "planned_values": {{"root_module": {{"resources": [{}], "child_modules": [{{"resources": [{}]}}]}}}}}}"#,
            (0..40)
                .map(|i| format!(r#"{{"address": "aws_s3_bucket.b{i}", "change": {{"after": {{"tags": {{"n": "{i}"}}, "list": [1, 2, {i}]}}}}}}"#))
                .collect::<Vec<_>>()
                .join(",\n"),
            (0..10).map(|i| format!(r#""{}""#, "x".repeat(i * 7))).collect::<Vec<_>>().join(","),
            (0..10).map(|i| i.to_string()).collect::<Vec<_>>().join(" , "),
            (0..25)
                .map(|i| format!(r#"{{"address": "a.b{i}", "values": {{"v": [{i}, {{"w": null}}]}}}}"#))
                .collect::<Vec<_>>()
                .join(","),
            (0..5).map(|i| format!(r#"{{"i": {i}}}"#)).collect::<Vec<_>>().join(","),
        );
        assert_same(&big);
    }

    #[test]
    fn chunked_parse_equals_regorus_on_the_corpus() {
        let Some(dir) = planguard_plan::corpus::dir_for_tests() else {
            return;
        };
        let files = planguard_plan::corpus::json_files(&dir);
        assert!(files.len() > 100, "only {} corpus plans", files.len());
        let mut compared = 0;
        for path in files {
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(expected) = Value::from_json_str(&text) else {
                continue;
            };
            for sizes in [
                Sizes {
                    chunk: 512,
                    inline: 128,
                },
                Sizes::DEFAULT,
            ] {
                let got = parse_in_chunks(&text, sizes, &InputRoots::Whole)
                    .expect("the chunked parse reads what regorus reads");
                assert!(got == expected, "{} with {sizes:?}", path.display());
            }
            compared += 1;
        }
        assert!(compared > 100, "only {compared} corpus plans compared");
    }

    fn members(names: &[&str]) -> InputRoots {
        InputRoots::Members(names.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn only_the_members_kept_are_built() {
        let text = r#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [1, 2]}},
            "resource_changes": [{"address": "a.b"}, {"address": "a.c"}], "configuration": {"x": [true]}}"#;
        let whole = Value::from_json_str(text).expect("json");
        for sizes in [TINY, NO_INLINE, Sizes::DEFAULT] {
            let got = parse_in_chunks(text, sizes, &members(&["resource_changes"])).expect("reads");
            let mut expected = std::collections::BTreeMap::new();
            expected.insert(key("resource_changes"), whole["resource_changes"].clone());
            assert_eq!(got, Value::from(expected), "{sizes:?}");
        }
        // A member left out must still be JSON: the document is refused as a whole.
        let broken = r#"{"resource_changes": [], "planned_values": {"a": [1, }}"#;
        assert!(parse_in_chunks(broken, Sizes::DEFAULT, &members(&["resource_changes"])).is_err());
    }

    #[test]
    fn members_to_build_fall_back_to_the_whole_document() {
        assert_eq!(
            members_to_build(&members(&["resource_changes"])),
            members(&["resource_changes"])
        );
        assert_eq!(
            members_to_build(&members(&["variables", "format_version"])),
            members(&["configuration", "format_version", "variables"])
        );
        // configuration is not masked: reading it takes every secret along.
        assert_eq!(members_to_build(&members(&["configuration"])), InputRoots::Whole);
        assert_eq!(members_to_build(&members(&["checks"])), InputRoots::Whole);
        assert_eq!(members_to_build(&InputRoots::Whole), InputRoots::Whole);
    }

    #[test]
    fn pruned_input_masks_what_it_keeps() {
        let text = r#"{"resource_changes": [{"address": "aws_db_instance.a", "change": {
                "after": {"password": "hunter2-secret", "name": "db"},
                "after_sensitive": {"password": true}}}],
            "variables": {"token": {"value": "tok-123456"}},
            "configuration": {"root_module": {"variables": {"token": {"sensitive": true}}}}}"#;
        let input = build_input_of(text, &members(&["resource_changes", "variables"])).expect("input");
        assert_eq!(
            input.value["resource_changes"][0]["change"]["after"]["password"],
            Value::from(SENSITIVE)
        );
        assert_eq!(input.value["variables"]["token"]["value"], Value::from(SENSITIVE));
        assert_eq!(
            input.secrets,
            vec!["hunter2-secret".to_string(), "tok-123456".to_string()]
        );
        let whole = build_input(text).expect("input");
        assert_eq!(whole.secrets, input.secrets);
    }

    #[test]
    fn chunked_parse_refuses_what_regorus_refuses() {
        for text in [
            r#"{"a": [1, 2"#,
            r#"{"a": [1, 2,]}"#,
            r#"{"a": [{"b": tru}]}"#,
            r#"[1] [2]"#,
            r#"{"a": [1e999]}"#,
            r#"{"a": "\ud800"}"#,
            "",
        ] {
            assert!(Value::from_json_str(text).is_err(), "regorus reads {text}");
            for sizes in [TINY, NO_INLINE, Sizes::DEFAULT] {
                assert!(
                    parse_in_chunks(text, sizes, &InputRoots::Whole).is_err(),
                    "{sizes:?} reads {text}"
                );
            }
        }
    }
}
