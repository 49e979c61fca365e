//! Attribute values as ranges of the plan document, shared rather than copied.
//!
//! A plan's attribute values are most of its bytes. Copying each one out of the file (as
//! `Box<RawValue>` did) cost an allocation and a copy per value, a second copy of most of the
//! file in memory, and the page faults of touching that much fresh memory. A [`RawJson`]
//! instead names a range of the loaded [`Document`], which the values keep alive together.

use std::cell::RefCell;
use std::fmt;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::ValueError;

/// The bytes of one loaded plan document: a file mapped into memory, a buffer read from a
/// pipe, or text decoded from UTF-16.
pub struct Document {
    // Behind its own `Arc` so that threads reading one document at once can each count
    // their values on a handle of their own (see `Document::handle`).
    bytes: Arc<Shared>,
}

struct Shared {
    bytes: Bytes,
    /// Where each line starts: built on the first error that needs a position, so that many
    /// errors in one large document cost one pass over it, not one each.
    lines: OnceLock<Vec<usize>>,
}

impl Shared {
    fn new(bytes: Bytes) -> Arc<Shared> {
        Arc::new(Shared {
            bytes,
            lines: OnceLock::new(),
        })
    }
}

enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Box<dyn AsRef<[u8]> + Send + Sync>),
}

impl Document {
    /// A document over bytes the caller owns (a `Vec<u8>`, a `Box<[u8]>`, ...).
    pub fn new(bytes: impl AsRef<[u8]> + Send + Sync + 'static) -> Arc<Document> {
        Arc::new(Document {
            bytes: Shared::new(Bytes::Owned(Box::new(bytes))),
        })
    }

    /// The file at `path`: mapped into memory when it is a non-empty regular file, read
    /// otherwise (pipes, process substitution and empty files cannot be mapped).
    pub fn open(path: &std::path::Path) -> std::io::Result<Arc<Document>> {
        let file = std::fs::File::open(path)?;
        let metadata = file.metadata()?;
        if metadata.is_file() && metadata.len() > 0 {
            // SAFETY: the map is read-only and only ever read through `&[u8]`. Were the file
            // truncated while mapped, reads past its new end would fault (as with any reader
            // that maps files, e.g. ripgrep); a plan file is written once, by `terraform show`,
            // before planguard reads it. If mapping fails (some file systems), it is read.
            if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
                return Ok(Arc::new(Document {
                    bytes: Shared::new(Bytes::Mapped(map)),
                }));
            }
        }
        let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
        std::io::Read::read_to_end(&mut &file, &mut bytes)?;
        Ok(Document::new(bytes))
    }

    /// Another handle on the same bytes. Every value read holds a reference to its document;
    /// two threads reading at once on one handle would contend for its reference count.
    pub(crate) fn handle(&self) -> Arc<Document> {
        Arc::new(Document {
            bytes: Arc::clone(&self.bytes),
        })
    }

    /// The whole document.
    pub fn bytes(&self) -> &[u8] {
        match &self.bytes.bytes {
            Bytes::Mapped(map) => map,
            Bytes::Owned(bytes) => (**bytes).as_ref(),
        }
    }

    /// Lets the operating system drop the pages of a mapped document from this process's
    /// memory once it has been parsed: most of a plan (`prior_state`, `planned_values`, the
    /// configuration) is not read again, and the values that are come back from the page
    /// cache on first use. Without this a large plan stays resident whole, beside everything
    /// the analysis builds. Does nothing for documents in memory.
    pub(crate) fn release_pages(&self) {
        if let Bytes::Mapped(map) = &self.bytes.bytes {
            // SAFETY: the mapping is shared and read-only, so dropping its pages loses
            // nothing: later reads fault the same bytes back in from the file (unlike a
            // private writable mapping, where this would discard changes). A failure only
            // means the pages stay resident.
            let _ = unsafe { map.unchecked_advise(memmap2::UncheckedAdvice::DontNeed) };
        }
    }
}

impl Document {
    /// The 1-based line and column of a byte offset (columns count bytes, as serde_json's
    /// do; a UTF-8 byte-order mark is not counted).
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let bytes = self.bytes();
        let lines = self.bytes.lines.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            starts
        });
        let offset = offset.min(bytes.len());
        let line = lines.partition_point(|&start| start <= offset).max(1);
        let mut start = lines[line - 1];
        if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
            start = start.saturating_add(3).min(offset);
        }
        (line, offset - start + 1)
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Document({} bytes)", self.bytes().len())
    }
}

/// The raw JSON text of one value of the plan, parsed on demand (`serde_json::from_str(raw.get())`).
///
/// Cloning is cheap: it shares the document.
#[derive(Clone)]
pub struct RawJson {
    document: Arc<Document>,
    start: usize,
    end: usize,
}

impl RawJson {
    /// A value over its own copy of `json`, which must be one valid JSON value (checked).
    pub fn from_string(json: String) -> Result<RawJson, serde_json::Error> {
        Ok(RawJson::owning(RawValue::from_string(json)?.into()))
    }

    /// The bytes `start..end` of `document`, which the caller read as one JSON value.
    pub(crate) fn range(document: Arc<Document>, start: usize, end: usize) -> RawJson {
        RawJson { document, start, end }
    }

    /// A value over its own copy of `json`, already known to be one JSON value.
    fn owning(json: Box<str>) -> RawJson {
        let end = json.len();
        RawJson {
            document: Document::new(json.into_boxed_bytes()),
            start: 0,
            end,
        }
    }

    /// The JSON text.
    pub fn get(&self) -> &str {
        let bytes = self.document.bytes().get(self.start..self.end).unwrap_or_default();
        // serde_json checked this range as UTF-8 when it read the document (a raw value is
        // always validated), so this only fails if the document's bytes changed underneath,
        // e.g. a memory-mapped file rewritten while planguard ran: then the value is empty.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    /// The JSON text's length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True for an empty text (never the case for a value read from JSON).
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The value, parsed. Reads what JSON allows and serde_json alone does not: numbers beyond
    /// `f64`'s range and nesting up to [`MAX_DEPTH`](crate::json::MAX_DEPTH) levels (see
    /// [`crate::json`]). The error says where the value is in its file, quoting nothing.
    pub fn parse(&self) -> Result<serde_json::Value, ValueError> {
        self.parse_seed(crate::json::PlainValue)
    }

    /// [`RawJson::parse`] with a seed that builds the value (e.g. keeping only some keys).
    pub fn parse_seed<S>(&self, seed: S) -> Result<serde_json::Value, ValueError>
    where
        S: for<'de> serde::de::DeserializeSeed<'de, Value = serde_json::Value> + Clone,
    {
        crate::json::parse_with(self.get(), seed).map_err(|e| {
            let (line, column) = self.document.line_column(self.start + e.offset);
            ValueError {
                line,
                column,
                reason: e.reason,
            }
        })
    }

    /// The 1-based line and column where the value starts in its document.
    pub fn position(&self) -> (usize, usize) {
        self.document.line_column(self.start)
    }
}

// Not the text: a value may be sensitive, and `{:?}` of a plan can end up in an embedder's
// log. The text is `get()`.
impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson({} bytes)", self.len())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

/// The document the loader on this thread is reading, with the address range of the text
/// serde_json reads (which may start after a byte-order mark or wrapper text).
struct Reading {
    document: Arc<Document>,
    base: usize,
}

thread_local! {
    /// A thread-local rather than a `DeserializeSeed` threaded through every type: only the
    /// loader sets it, around one `serde_json` call on its own thread.
    static READING: RefCell<Option<Reading>> = const { RefCell::new(None) };
}

/// While alive, raw values deserialized on this thread from `document`'s bytes point into it.
pub(crate) struct ReadingGuard(Option<Reading>);

impl ReadingGuard {
    pub(crate) fn set(document: &Arc<Document>) -> ReadingGuard {
        let reading = Reading {
            document: Arc::clone(document),
            base: document.bytes().as_ptr() as usize,
        };
        ReadingGuard(READING.with(|r| r.replace(Some(reading))))
    }
}

impl Drop for ReadingGuard {
    fn drop(&mut self) {
        let previous = self.0.take();
        READING.with(|r| *r.borrow_mut() = previous);
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let shared = READING.with(|r| {
            r.borrow()
                .as_ref()
                .map(|reading| (Arc::clone(&reading.document), reading.base))
        });
        let Some((document, base)) = shared else {
            // Not under the loader (e.g. `serde_json::from_reader::<Plan>`): own a copy.
            return Ok(RawJson::owning(Box::<RawValue>::deserialize(deserializer)?.into()));
        };
        let raw = <&'de RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let start = (text.as_ptr() as usize).wrapping_sub(base);
        let end = start.wrapping_add(text.len());
        if start <= end && end <= document.bytes().len() {
            Ok(RawJson { document, start, end })
        } else {
            // Borrowed from some other buffer than the loader's document: own a copy.
            Ok(RawJson::owning(text.into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_under_the_loader_point_into_the_document() {
        let document = Document::new(br#"{"a": {"b": [1, 2]}, "c": "x"}"#.to_vec());
        let _guard = ReadingGuard::set(&document);
        let text = std::str::from_utf8(document.bytes()).expect("utf-8");
        let map: std::collections::BTreeMap<String, RawJson> = serde_json::from_str(text).expect("parses");
        assert_eq!(map["a"].get(), r#"{"b": [1, 2]}"#);
        assert_eq!(map["c"].get(), r#""x""#);
        assert!(Arc::ptr_eq(&map["a"].document, &document), "shared, not copied");
        assert_eq!(format!("{:?}", map["c"]), "RawJson(3 bytes)", "Debug shows no value");
    }

    #[test]
    fn values_read_elsewhere_own_a_copy() {
        let map: std::collections::BTreeMap<String, RawJson> =
            serde_json::from_reader(&br#"{"a": [true]}"#[..]).expect("parses");
        assert_eq!(map["a"].get(), "[true]");
        let other = Document::new(b"{}".to_vec());
        let _guard = ReadingGuard::set(&other);
        let map: std::collections::BTreeMap<String, RawJson> = serde_json::from_str(r#"{"a": null}"#).expect("parses");
        assert_eq!(map["a"].get(), "null");
    }
}
