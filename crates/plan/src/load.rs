//! Reading plan files as users really have them: UTF-8 with or without a byte-order mark,
//! UTF-16 from Windows PowerShell redirection, JSON wrapped in the text that the GitHub Actions
//! `setup-terraform` wrapper adds, or a binary plan that needs `terraform show -json` first.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::PlanError;
use crate::model::{Part, Plan};
use crate::raw::{Document, ReadingGuard};

/// How to load a plan.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Run `terraform show -json` on a binary plan file instead of failing.
    pub run_terraform: bool,
    /// Keep the attribute values of `planned_values` and `prior_state` resources
    /// ([`StateResource::values`](crate::StateResource::values)). Off by default: the same
    /// values are in `resource_changes`.
    pub keep_state_values: bool,
}

/// Something about the input that the user should know but that didn't stop loading.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// A stable kebab-case code.
    pub code: &'static str,
    /// What was found and what planguard did about it.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A loaded plan with the warnings loading produced.
#[derive(Debug)]
pub struct Loaded {
    /// The plan.
    pub plan: Plan,
    /// Warnings, in the order they were found.
    pub warnings: Vec<Warning>,
    /// The file the plan came from (`<stdin>` for standard input).
    pub origin: PathBuf,
}

/// The highest 1.x minor format version this crate was written against.
pub const KNOWN_MINOR_1: u64 = 2;

/// Loads a plan from a file.
///
/// A regular file is memory-mapped rather than read: the plan's attribute values point into
/// the mapping ([`RawJson`](crate::RawJson)), so a large plan is neither copied nor held twice.
pub fn load_file(path: &Path, options: &LoadOptions) -> Result<Loaded, PlanError> {
    let io_error = |source| PlanError::Io {
        path: path.to_path_buf(),
        source,
    };
    let document = Document::open(path).map_err(io_error)?;
    if is_zip(document.bytes()) && options.run_terraform {
        let json = run_terraform_show(path)?;
        let mut loaded = parse_document(Document::new(json), path, options)?;
        loaded.warnings.insert(
            0,
            Warning {
                code: "converted-binary-plan",
                message: format!(
                    "{} is a binary plan; read it through `terraform show -json`",
                    path.display()
                ),
            },
        );
        return Ok(loaded);
    }
    parse_document(document, path, options)
}

/// Loads a plan from standard input (or any reader), naming it `origin` in errors.
pub fn load_reader(mut reader: impl Read, origin: &Path) -> Result<Loaded, PlanError> {
    let mut bytes = Vec::new();
    reader.read_to_end(&mut bytes).map_err(|source| PlanError::Io {
        path: origin.to_path_buf(),
        source,
    })?;
    parse_document(Document::new(bytes), origin, &LoadOptions::default())
}

/// Parses plan JSON held in memory, naming it `origin` in errors and warnings.
///
/// The bytes are copied once, so that the plan's values can point into them; callers that
/// own the bytes use [`parse_document`] and save the copy.
pub fn parse_bytes(bytes: &[u8], origin: &Path) -> Result<Loaded, PlanError> {
    parse_bytes_with(bytes, origin, &LoadOptions::default())
}

/// Sets one of the model's per-thread parse settings for as long as it lives, restoring the
/// previous value however the parse ends.
struct ThreadSetting<T: Copy + 'static> {
    key: &'static std::thread::LocalKey<std::cell::Cell<T>>,
    previous: T,
}

impl<T: Copy + 'static> ThreadSetting<T> {
    fn set(key: &'static std::thread::LocalKey<std::cell::Cell<T>>, value: T) -> Self {
        ThreadSetting {
            key,
            previous: key.with(|cell| cell.replace(value)),
        }
    }
}

impl<T: Copy + 'static> Drop for ThreadSetting<T> {
    fn drop(&mut self) {
        self.key.with(|cell| cell.set(self.previous));
    }
}

/// [`parse_bytes`] with options.
pub fn parse_bytes_with(bytes: &[u8], origin: &Path, options: &LoadOptions) -> Result<Loaded, PlanError> {
    parse_document(Document::new(bytes.to_vec()), origin, options)
}

/// Parses a plan document the plan keeps: its attribute values are ranges of `document`,
/// which lives as long as any of them.
pub fn parse_document(document: Arc<Document>, origin: &Path, options: &LoadOptions) -> Result<Loaded, PlanError> {
    let mut loaded = parse_once(&document, origin, options.keep_state_values)?;
    // A plan without resource_changes is read from its planned values: read them again,
    // this once (such plans are small, hand-trimmed ones).
    if !options.keep_state_values && loaded.warnings.iter().any(|w| w.code == "no-resource-changes") {
        loaded = parse_once(&document, origin, true)?;
    }
    document.release_pages();
    Ok(loaded)
}

fn parse_once(document: &Arc<Document>, origin: &Path, keep_state_values: bool) -> Result<Loaded, PlanError> {
    let bytes = document.bytes();
    let path = origin.to_path_buf();
    if is_zip(bytes) {
        return Err(PlanError::BinaryPlan {
            file: origin.display().to_string(),
            path,
        });
    }
    let mut warnings = Vec::new();
    // Decoded UTF-16 is a new document; otherwise values point into the one given.
    let decoded_document;
    let text: &[u8] = match decode(bytes, &path)? {
        Cow::Borrowed(text) => {
            decoded_document = Arc::clone(document);
            text
        }
        Cow::Owned(decoded) => {
            decoded_document = Document::new(decoded);
            decoded_document.bytes()
        }
    };
    if let Some((kind, offset)) = non_object_json(text) {
        let (line, column) = line_column(text, offset);
        return Err(PlanError::Json {
            path,
            line,
            column,
            message: format!(
                "expected a JSON object ('{{'): the file holds a JSON {kind}, and a plan is an object, \
                 as `terraform show -json PLANFILE > plan.json` writes it"
            ),
        });
    }
    let json_start = find_json_start(text).ok_or_else(|| PlanError::Json {
        path: path.clone(),
        line: 1,
        column: 1,
        message: "expected a JSON object ('{'): the file holds no JSON document; \
                  produce one with `terraform show -json PLANFILE > plan.json`"
            .to_string(),
    })?;
    let lines_before = count_lines(&text[..json_start]);
    if json_start > 0 && !text[..json_start].iter().all(u8::is_ascii_whitespace) {
        warnings.push(Warning {
            code: "wrapped-json",
            message: format!(
                "{}: the plan JSON starts on line {} after other text (the GitHub Actions setup-terraform wrapper \
                 adds such lines; set `terraform_wrapper: false` to avoid it); used the JSON document and ignored the rest",
                path.display(),
                lines_before + 1
            ),
        });
    }
    let body = &text[json_start..];
    let (mut plan, end) = match read_plan(body, &decoded_document, keep_state_values) {
        Ok(Some(read)) => read,
        Err(ReadError::Json(err)) => return Err(json_error(&path, body, lines_before, err)),
        Err(ReadError::TooDeep(offset)) => {
            let (line, column) = line_column(body, offset);
            return Err(PlanError::Json {
                path,
                line: line + lines_before,
                column,
                message: format!(
                    "the JSON nests more than {} levels deep, more than Terraform writes",
                    crate::json::MAX_DEPTH
                ),
            });
        }
        Ok(None) => {
            return Err(PlanError::Json {
                path,
                line: lines_before + 1,
                column: 1,
                message: "expected a JSON object, found the end of the file".into(),
            })
        }
    };
    let trailing = &body[end..];
    let trailing_start = trailing.iter().position(|b| !b.is_ascii_whitespace());
    if let Some(offset) = trailing_start {
        let rest = &trailing[offset..];
        let wrapper_text = rest.starts_with(b"::") || rest.starts_with(b"[command]") || !warnings.is_empty();
        if wrapper_text {
            if warnings.is_empty() {
                warnings.push(Warning {
                    code: "wrapped-json",
                    message: format!(
                        "{}: text follows the plan JSON (the GitHub Actions setup-terraform wrapper adds such lines; \
                         set `terraform_wrapper: false` to avoid it); used the JSON document and ignored the rest",
                        path.display()
                    ),
                });
            }
        } else {
            let (line, column) = line_column(body, end + offset);
            return Err(PlanError::Json {
                path,
                line: line + lines_before,
                column,
                message: "trailing characters after the JSON document: expected the end of the file".into(),
            });
        }
    }
    let base = decoded_document.bytes().as_ptr() as usize;
    plan.json = (body.as_ptr() as usize)
        .checked_sub(base)
        .filter(|start| start + end <= decoded_document.bytes().len())
        .map(|start| crate::raw::RawJson::range(Arc::clone(&decoded_document), start, start + end));
    if !assign_addresses(&mut plan) {
        return Err(checked_error(body, &decoded_document, lines_before, &path));
    }
    let (start_line, start_column) = line_column(text, json_start);
    validate(&mut plan, &path, (start_line, start_column), &mut warnings)?;
    if plan.resource_changes.is_empty() {
        match synthesize_changes(&plan) {
            Some(synthesized) if !synthesized.is_empty() => {
                warnings.push(Warning {
                    code: "no-resource-changes",
                    message: format!(
                        "{}: the plan has planned_values ({} resources) but no resource_changes (hand-trimmed?); \
                         treated them as creations",
                        path.display(),
                        synthesized.len()
                    ),
                });
                plan.resource_changes = synthesized;
            }
            Some(_) => {}
            None => return Err(checked_error(body, &decoded_document, lines_before, &path)),
        }
    }
    Ok(Loaded {
        plan,
        warnings,
        origin: path,
    })
}

/// Plans from this size on are read by two threads (see [`read_plan_in_parts`]).
const PARTS_FROM_BYTES: usize = 4 << 20;

/// Reads the plan object at the start of `body`: the plan and the offset where it ends, or
/// `None` for a body with no JSON value.
fn read_plan(
    body: &[u8],
    document: &Arc<Document>,
    keep_state_values: bool,
) -> Result<Option<(Plan, usize)>, ReadError> {
    if body.len() >= PARTS_FROM_BYTES && rayon::current_num_threads() > 1 {
        if let Some(read) = read_plan_in_parts(body, document, keep_state_values) {
            return Ok(Some(read));
        }
        // A part failed: the whole read below finds the error and reports it in full.
    }
    read_part(body, document, keep_state_values, Part::Whole)
}

/// Two threads read the same bytes, each building part of the plan: the even-numbered
/// resource changes, the configuration and the small sections on one side; the odd-numbered
/// resource changes, the prior state and the planned values on the other. Scanning JSON is
/// serial by nature and each side still scans every byte; building the model (strings,
/// addresses, values' ranges) is split in two. Measured at 100k resources: 14% faster with a
/// per-thread allocator (mimalloc, the CLI's), no faster with glibc's (benches/README.md).
fn read_plan_in_parts(body: &[u8], document: &Arc<Document>, keep_state_values: bool) -> Option<(Plan, usize)> {
    let (left, right) = rayon::join(
        || read_part(body, document, keep_state_values, Part::Left),
        || read_part(body, document, keep_state_values, Part::Right),
    );
    let (Ok(Some((mut plan, end))), Ok(Some((right, _)))) = (left, right) else {
        return None;
    };
    let evens = std::mem::take(&mut plan.resource_changes);
    let odds = right.resource_changes;
    if evens.len() != odds.len() && evens.len() != odds.len() + 1 {
        return None;
    }
    let mut changes = Vec::with_capacity(evens.len() + odds.len());
    let mut odds = odds.into_iter();
    for even in evens {
        changes.push(even);
        changes.extend(odds.next());
    }
    plan.resource_changes = changes;
    plan.prior_state = right.prior_state;
    plan.planned_values = right.planned_values;
    Some((plan, end))
}

fn read_part(
    body: &[u8],
    document: &Arc<Document>,
    keep_state_values: bool,
    part: Part,
) -> Result<Option<(Plan, usize)>, ReadError> {
    // The model's deserializers read these per thread: set them on the thread that reads.
    let _keep = ThreadSetting::set(&crate::model::KEEP_STATE_VALUES, keep_state_values);
    let _reading = ReadingGuard::set(&document.handle());
    let _part = ThreadSetting::set(&crate::model::PART, part);
    let mut stream = serde_json::Deserializer::from_slice(body).into_iter::<Plan>();
    match stream.next() {
        Some(Ok(plan)) => Ok(Some((plan, stream.byte_offset()))),
        Some(Err(err)) if is_recursion_limit(&err) => read_deep(body).map(Some),
        Some(Err(err)) => Err(err.into()),
        None => Ok(None),
    }
}

/// True for serde_json's error at its nesting limit (128 levels), which it does not classify
/// apart from other syntax errors.
fn is_recursion_limit(err: &serde_json::Error) -> bool {
    err.to_string().starts_with("recursion limit exceeded")
}

/// Why the plan JSON could not be read.
#[derive(Debug)]
enum ReadError {
    /// serde_json's error (it knows its position).
    Json(serde_json::Error),
    /// Nesting deeper than [`MAX_DEPTH`](crate::json::MAX_DEPTH), at this offset of the body.
    TooDeep(usize),
}

impl From<serde_json::Error> for ReadError {
    fn from(err: serde_json::Error) -> Self {
        ReadError::Json(err)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Json(err) => err.fmt(f),
            ReadError::TooDeep(offset) => write!(f, "nested too deep at byte {offset}"),
        }
    }
}

/// Reads a plan that nests deeper than serde_json's default limit: Terraform has none (a
/// configuration with 50 nested module calls is 150 levels deep), so read up to
/// [`MAX_DEPTH`](crate::json::MAX_DEPTH) levels on a stack that grows as needed. Taken only
/// after the fast read hit the limit.
fn read_deep(body: &[u8]) -> Result<(Plan, usize), ReadError> {
    // Skipping a value checks no nesting limit: it finds where the document ends.
    let mut skip = serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    if let Some(Err(err)) = skip.next() {
        return Err(err.into());
    }
    let end = skip.byte_offset();
    let text = &body[..end];
    if let Some(at) = crate::json::deeper_than_bytes(text, crate::json::MAX_DEPTH) {
        return Err(ReadError::TooDeep(at));
    }
    let mut de = serde_json::Deserializer::from_slice(text);
    de.disable_recursion_limit();
    let plan = <Plan as serde::Deserialize>::deserialize(serde_stacker::Deserializer::new(&mut de))?;
    Ok((plan, end))
}

fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// UTF-8 text of the file: a UTF-8 byte-order mark is dropped and UTF-16 (as Windows
/// PowerShell 5 redirection writes) is decoded, silently, since both are ordinary here.
fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<Cow<'a, [u8]>, PlanError> {
    let utf16 = |big_endian: bool, body: &[u8]| -> Result<Cow<'a, [u8]>, PlanError> {
        crate::text::decode_utf16(body, big_endian)
            .map(|text| Cow::Owned(text.into_bytes()))
            .map_err(|e| PlanError::Encoding {
                path: path.to_path_buf(),
                line: e.line,
                column: e.column,
                reason: e.reason,
            })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok(Cow::Borrowed(rest));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(false, rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(true, rest);
    }
    // UTF-16 without a byte-order mark: ASCII JSON leaves every other byte zero.
    if bytes.len() >= 4 && bytes[1] == 0 && bytes[3] == 0 && bytes[0] != 0 {
        return utf16(false, bytes);
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[2] == 0 && bytes[1] != 0 {
        return utf16(true, bytes);
    }
    Ok(Cow::Borrowed(bytes))
}

/// The offset of the JSON document: the first non-blank byte if it opens an object, else
/// the first line that starts (after blanks) with `{`.
/// The kind and offset of a document that is valid JSON but not an object (`[1,2]`, a
/// string, a number), so the error can say what the file holds instead of that it holds no
/// JSON. Only text that doesn't start with `{` is parsed here, so real plans never pay.
fn non_object_json(text: &[u8]) -> Option<(&'static str, usize)> {
    let first = text.iter().position(|b| !b.is_ascii_whitespace())?;
    let kind = match text[first] {
        b'[' => "array",
        b'"' => "string",
        b'-' | b'0'..=b'9' => "number",
        b't' | b'f' => "boolean",
        b'n' => "null",
        _ => return None,
    };
    serde_json::from_slice::<serde::de::IgnoredAny>(text).ok()?;
    Some((kind, first))
}

fn find_json_start(text: &[u8]) -> Option<usize> {
    let first = text.iter().position(|b| !b.is_ascii_whitespace())?;
    if text[first] == b'{' {
        return Some(first);
    }
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        if let Some(i) = line.iter().position(|b| !b.is_ascii_whitespace()) {
            if line[i] == b'{' {
                return Some(line_start + i);
            }
        }
        line_start = line_end + 1;
    }
    None
}

fn count_lines(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b == b'\n').count()
}

fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = count_lines(before) + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, column)
}

/// Turns a serde error into one that names the JSON path, re-parsing with
/// `serde_path_to_error` only on this error path so the fast path pays nothing. The message
/// quotes no input value ([`without_input_values`](crate::error::without_input_values)).
fn json_error(path: &Path, body: &[u8], lines_before: usize, err: serde_json::Error) -> PlanError {
    let mut json_path = String::new();
    if err.classify() == serde_json::error::Category::Data {
        let mut de = serde_json::Deserializer::from_slice(body);
        if let Err(e) = serde_path_to_error::deserialize::<_, Plan>(&mut de) {
            json_path = printable_path(e.path());
        }
    }
    let mut message = crate::error::without_input_values(&strip_position(&err.to_string()));
    if message == "invalid unicode code point" {
        message = "invalid UTF-8: expected UTF-8 or UTF-16 text".into();
    }
    if err.classify() == serde_json::error::Category::Eof {
        message = format!("{message}: the JSON ends too early (truncated file?)");
    }
    if !json_path.is_empty() {
        message = format!("at {json_path}: {message}");
    }
    // serde_json counts columns from 0 where an error is found at the start of a line.
    PlanError::Json {
        path: path.to_path_buf(),
        line: err.line().max(1) + lines_before,
        column: err.column().max(1),
        message,
    }
}

/// A JSON path (`resource_changes[3].change.after`) without input text: object keys that
/// are not names (a variable's or output's name is) print as `[…]`.
fn printable_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                let is_name = !key.is_empty()
                    && key.len() <= 64
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if is_name {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    out.push_str("[…]");
                }
            }
            Segment::Unknown => out.push_str(".?"),
        }
    }
    out
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn validate(
    plan: &mut Plan,
    path: &Path,
    (line, column): (usize, usize),
    warnings: &mut Vec<Warning>,
) -> Result<(), PlanError> {
    let has_plan_parts =
        plan.planned_values.is_some() || !plan.resource_changes.is_empty() || plan.configuration.is_some();
    if !has_plan_parts {
        let reason = if plan.state_values.is_some() {
            "this is a Terraform state (it has `values` but no `planned_values` or `resource_changes`); \
             run planguard on the plan: `terraform plan -out=tfplan && terraform show -json tfplan > plan.json`"
        } else if plan.format_version.is_none() {
            "it has none of `format_version`, `planned_values`, `resource_changes` or `configuration`; \
             produce a plan with `terraform show -json PLANFILE > plan.json`"
        } else {
            "it has a `format_version` but no `planned_values`, `resource_changes` or `configuration`"
        };
        return Err(PlanError::NotAPlan {
            path: path.to_path_buf(),
            line,
            column,
            reason: reason.into(),
        });
    }
    match plan.format_version.as_deref() {
        None => warnings.push(Warning {
            code: "no-format-version",
            message: format!(
                "{}: the plan has no format_version (hand-edited?); read it as format 0.1",
                path.display()
            ),
        }),
        Some(version) => {
            let mut parts = version.split('.');
            let major = parts.next().and_then(|p| p.parse::<u64>().ok());
            let minor = parts.next().and_then(|p| p.parse::<u64>().ok());
            match (major, minor) {
                (Some(0), Some(_)) => {}
                (Some(1), Some(m)) if m <= KNOWN_MINOR_1 => {}
                (Some(1), Some(_)) => warnings.push(Warning {
                    code: "newer-format-version",
                    message: format!(
                        "{}: plan format_version 1.{} is newer than 1.{KNOWN_MINOR_1}, the newest planguard knows; \
                         new fields are ignored",
                        path.display(),
                        minor.unwrap_or_default()
                    ),
                }),
                // The model's reader rejects these with their position already.
                _ => {
                    return Err(PlanError::UnsupportedFormatVersion {
                        path: path.to_path_buf(),
                        version: String::new(),
                    })
                }
            }
        }
    }
    for change in plan
        .resource_changes
        .iter()
        .chain(&plan.resource_drift)
        .chain(plan.deferred_changes.iter().map(|d| &d.resource_change))
    {
        // Terraform writes a resource's before and after as objects (or null); output changes
        // may hold any value, and share the type, so this is checked here.
        for (name, raw) in [("before", &change.change.before), ("after", &change.change.after)] {
            let Some(raw) = raw else { continue };
            if !raw.get().starts_with('{') {
                let (line, column) = raw.position();
                return Err(PlanError::Json {
                    path: path.to_path_buf(),
                    line,
                    column,
                    message: format!(
                        "a resource change's `{name}` is {}: expected an object (or null)",
                        json_type(raw.get())
                    ),
                });
            }
        }
    }
    warn_malformed_masks(plan, path, warnings);
    if plan.errored {
        warnings.push(Warning {
            code: "errored-plan",
            message: format!(
                "{}: Terraform reported errors while planning; the plan is partial and cannot be applied",
                path.display()
            ),
        });
    }
    Ok(())
}

fn run_terraform_show(path: &Path) -> Result<Vec<u8>, PlanError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file = path
        .file_name()
        .map(PathBuf::from)
        .unwrap_or_else(|| path.to_path_buf());
    let output = std::process::Command::new("terraform")
        .arg("show")
        .arg("-json")
        .arg(&file)
        .current_dir(dir)
        .output()
        .map_err(|e| PlanError::Terraform {
            path: path.to_path_buf(),
            message: format!("cannot run terraform: {e} (is it on PATH?)"),
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(PlanError::Terraform {
            path: path.to_path_buf(),
            message: format!(
                "exit status {}: {} (run it in the directory where `terraform init` was run)",
                output.status,
                stderr.trim()
            ),
        });
    }
    Ok(output.stdout)
}

/// Parses every change's address; false when one does not parse, or when two changes are for
/// the same object (address and deposed key), which Terraform never writes: then the loader
/// re-reads the plan with checks on to say where ([`checked_error`]).
fn assign_addresses(plan: &mut Plan) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(plan.resource_changes.len());
    for change in &plan.resource_changes {
        if !seen.insert((change.address.as_str(), change.deposed.as_deref())) {
            return false;
        }
    }
    drop(seen);
    for change in plan
        .resource_changes
        .iter_mut()
        .chain(plan.resource_drift.iter_mut())
        .chain(plan.deferred_changes.iter_mut().map(|d| &mut d.resource_change))
    {
        match crate::address::Address::parse(&change.address) {
            Ok(addr) => change.addr = addr,
            Err(_) => return false,
        }
    }
    true
}

/// The error, with its position, of a plan that read but failed a check only a second read
/// makes: the read with [`CHECKING`](crate::model::CHECKING) on fails where the check does.
fn checked_error(body: &[u8], document: &Arc<Document>, lines_before: usize, path: &Path) -> PlanError {
    let _checking = ThreadSetting::set(&crate::model::CHECKING, true);
    match read_part(body, document, true, Part::Whole) {
        Err(ReadError::Json(err)) => json_error(path, body, lines_before, err),
        Err(ReadError::TooDeep(_)) | Ok(_) => PlanError::Invalid {
            path: path.to_path_buf(),
            message: "a resource address Terraform doesn't write, or two changes for one resource instance".into(),
        },
    }
}

/// The JSON type of a value's text, for messages that must not quote it.
fn json_type(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// Builds create changes from `planned_values` for plans that lack `resource_changes`;
/// `None` when a planned resource's address does not parse.
fn synthesize_changes(plan: &Plan) -> Option<Vec<crate::model::ResourceChange>> {
    let Some(planned) = &plan.planned_values else {
        return Some(Vec::new());
    };
    let empty = || crate::raw::RawJson::from_string("{}".into()).ok();
    planned
        .resources()
        .into_iter()
        .map(|r| {
            let addr = crate::address::Address::parse(&r.address).ok()?;
            let module = addr.module.to_string();
            Some(crate::model::ResourceChange {
                address: r.address.clone(),
                module_address: (!module.is_empty()).then_some(module),
                mode: r.mode,
                resource_type: r.resource_type.clone(),
                name: r.name.clone(),
                index: r.index.clone(),
                provider_name: r.provider_name.clone(),
                deposed: None,
                previous_address: None,
                action_reason: None,
                change: crate::model::Change {
                    actions: crate::action::Action::Create,
                    before: None,
                    after: r.values.clone(),
                    after_unknown: empty(),
                    before_sensitive: None,
                    after_sensitive: r.sensitive_values.clone().or_else(empty),
                    replace_paths: Vec::new(),
                    importing: None,
                    generated_config: None,
                },
                addr,
            })
        })
        .collect()
}

/// Warns about sensitivity masks Terraform never writes (`"after_sensitive": "true"`,
/// `{"password": 1}`). They are read as sensitive where they are malformed (see
/// [`crate::Cursor::is_sensitive`]); the warning names the resource and the mask, never a value.
fn warn_malformed_masks(plan: &crate::model::Plan, path: &Path, warnings: &mut Vec<Warning>) {
    /// Enough to point at the problem without flooding the output of a large broken plan.
    const MAX_NAMED: usize = 20;
    let mut named = 0usize;
    let mut more = 0usize;
    let changes = plan
        .resource_changes
        .iter()
        .map(|c| ("resource change", c))
        .chain(plan.resource_drift.iter().map(|c| ("resource drift", c)))
        .chain(
            plan.deferred_changes
                .iter()
                .map(|d| ("deferred change", &d.resource_change)),
        );
    for (section, change) in changes {
        for (name, raw) in [
            ("before_sensitive", &change.change.before_sensitive),
            ("after_sensitive", &change.change.after_sensitive),
        ] {
            let Some(raw) = raw else { continue };
            // Almost every mask is one of these: skip parsing them.
            if matches!(raw.get(), "{}" | "false" | "true" | "[]" | "null") {
                continue;
            }
            let well_formed = is_well_formed_mask_text(raw.get());
            if well_formed {
                continue;
            }
            if named == MAX_NAMED {
                more += 1;
                continue;
            }
            named += 1;
            warnings.push(Warning {
                code: "malformed-sensitivity-mask",
                message: format!(
                    "{}: {section} {}: {name} is not a sensitivity mask (expected false, true, or an object or \
                     list of booleans); the values it does not mark clearly are treated as sensitive",
                    path.display(),
                    change.address
                ),
            });
        }
    }
    if more > 0 {
        warnings.push(Warning {
            code: "malformed-sensitivity-mask",
            message: format!(
                "{}: {more} more malformed sensitivity masks, treated as sensitive likewise",
                path.display()
            ),
        });
    }
}

/// [`crate::values::is_well_formed_mask`] of a mask's JSON text, checked while reading it:
/// nothing is built, so checking every mask of a large plan stays cheap.
fn is_well_formed_mask_text(text: &str) -> bool {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    /// `true` for a boolean, or an object or list of well-formed masks.
    struct Mask;

    impl<'de> serde::de::DeserializeSeed<'de> for Mask {
        type Value = bool;

        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Mask {
        type Value = bool;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sensitivity mask")
        }

        fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
            Ok(true)
        }

        fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
            Ok(false)
        }

        fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
            Ok(false)
        }

        fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
            Ok(false)
        }

        fn visit_str<E>(self, _: &str) -> Result<bool, E> {
            Ok(false)
        }

        fn visit_unit<E>(self) -> Result<bool, E> {
            Ok(false)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
            let mut ok = true;
            while let Some(item) = seq.next_element_seed(Mask)? {
                ok &= item;
            }
            Ok(ok)
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut ok = true;
            while map.next_key::<IgnoredAny>()?.is_some() {
                ok &= map.next_value_seed(Mask)?;
            }
            Ok(ok)
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    // `null` at the top is no mask at all (plans before Terraform 0.15).
    text.trim() == "null" || serde::de::DeserializeSeed::deserialize(Mask, &mut de).is_ok_and(|ok| ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_texts_are_judged_like_mask_values() {
        for text in [
            "{}",
            "false",
            "true",
            "null",
            "[]",
            r#"{"a":true,"b":[false,{"c":true}]}"#,
            r#""true""#,
            "1",
            r#"{"password":1}"#,
            r#"{"a":null}"#,
            r#"{"a":[1]}"#,
            r#"{"a":"yes"}"#,
        ] {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(
                is_well_formed_mask_text(text),
                crate::values::is_well_formed_mask(&value),
                "{text}"
            );
        }
    }

    /// Reads `path` whole and in two parts (forced, whatever its size) and compares the
    /// plans field by field through their `Debug` text and every value's JSON text.
    fn assert_parts_read_the_same(path: &Path) {
        let Ok(document) = Document::open(path) else { return };
        let text = document.bytes();
        let Some(start) = find_json_start(text) else { return };
        let body = &text[start..];
        for keep in [false, true] {
            let Ok(Some((whole, whole_end))) = read_part(body, &document, keep, Part::Whole) else {
                continue; // not a plan this test is about (the corpus holds a few odd files)
            };
            let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a pool");
            let (parts, parts_end) = pool
                .install(|| read_plan_in_parts(body, &document, keep))
                .unwrap_or_else(|| panic!("{}: the parts failed where the whole read did not", path.display()));
            assert_eq!(parts_end, whole_end, "{}", path.display());
            assert_eq!(
                format!("{parts:?}"),
                format!("{whole:?}"),
                "{}: keep_state_values {keep}",
                path.display()
            );
            // `Debug` shows a value's length only: compare the values' text too.
            let texts = |plan: &Plan| -> Vec<String> {
                let mut out = Vec::new();
                for rc in &plan.resource_changes {
                    let c = &rc.change;
                    for raw in [
                        &c.before,
                        &c.after,
                        &c.after_unknown,
                        &c.before_sensitive,
                        &c.after_sensitive,
                    ] {
                        out.push(raw.as_ref().map_or_else(String::new, |r| r.get().to_owned()));
                    }
                }
                let states = [
                    &plan.prior_state.as_ref().and_then(|s| s.values.as_ref()),
                    &plan.planned_values.as_ref(),
                ];
                for state in states.into_iter().flatten() {
                    for r in state.resources() {
                        for raw in [&r.values, &r.sensitive_values] {
                            out.push(raw.as_ref().map_or_else(String::new, |r| r.get().to_owned()));
                        }
                    }
                }
                out
            };
            assert_eq!(texts(&parts), texts(&whole), "{}: values", path.display());
        }
    }

    #[test]
    fn two_threads_read_the_same_plan_as_one() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut files = crate::corpus::json_files(&fixtures);
        files.retain(|f| f.file_name().is_some_and(|n| n == "plan.json"));
        assert!(files.len() >= 8, "the Terraform-generated fixtures: {files:?}");
        if let Some(corpus) = crate::corpus::dir_for_tests() {
            files.extend(crate::corpus::json_files(&corpus));
        }
        for file in &files {
            assert_parts_read_the_same(file);
        }
    }

    #[test]
    fn a_part_that_fails_falls_back_to_the_whole_read_and_its_error() {
        let json = br#"{"format_version": "1.2", "resource_changes": [{"address": "a.b", "type": "a", "change": {"actions": ["create"]}}, {"address": 7}]}"#;
        let document = Document::new(json.to_vec());
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().expect("a pool");
        assert!(pool.install(|| read_plan_in_parts(json, &document, false)).is_none());
        let err = read_plan(json, &document, false).expect_err("an error");
        assert!(err.to_string().contains("invalid type: integer `7`"), "{err}");
    }
}
