//! Where resources are declared in the Terraform sources, for reports that point at code
//! (SARIF, annotations), and the inline skip comments written beside them.
//!
//! The plan JSON has no line numbers, so the `.tf` files under `--source-dir` are scanned
//! for `resource` and `data` block headers. The scan is by line with a small brace counter
//! rather than through `hcl-rs`: the HCL parser keeps neither line numbers nor comments,
//! and both are what this module is for.
//!
//! Inline skips are comments inside a resource block (or on the comment lines right above
//! its header):
//!
//! ```hcl
//! resource "aws_instance" "bastion" {
//!   # planguard:skip=AWS-EC2-001 the bastion is public by design
//!   #checkov:skip=CKV_AWS_88:public by design
//!   #trivy:ignore:AVD-AWS-0009
//! }
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use jiff::civil::Date;
use planguard_plan::{Address, ConfigModule, Plan};
use regex::Regex;
use serde::Serialize;

/// A file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLocation {
    /// The file, as found under the source directory (the directory as given, joined with
    /// the file's path below it).
    pub file: PathBuf,
    /// The 1-based line of the `resource`/`data` block.
    pub line: usize,
}

/// Which tool's comment syntax an inline skip used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SkipSyntax {
    /// `# planguard:skip=AWS-EC2-001 reason`
    Planguard,
    /// `#checkov:skip=CKV_AWS_88:reason`
    Checkov,
    /// `#trivy:ignore:AVD-AWS-0009[:exp:2026-12-31] [reason]`
    Trivy,
}

/// One inline skip comment, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlineSkip {
    /// The configuration address of the resource block it sits in (`module.app.aws_instance.web`).
    pub config_address: String,
    /// The id as written: a planguard rule id, or a Checkov or Trivy id.
    pub id: String,
    /// The comment syntax.
    pub syntax: SkipSyntax,
    /// The reason given, if any.
    pub reason: Option<String>,
    /// Trivy's `:exp:` date: the last day the skip applies.
    pub expires: Option<Date>,
    /// The `.tf` file.
    pub file: PathBuf,
    /// The 1-based line of the comment.
    pub line: usize,
}

impl InlineSkip {
    /// `file:line` of the comment.
    pub fn source(&self) -> String {
        format!("{}:{}", self.file.display(), self.line)
    }
}

/// Declarations of resources in the `.tf` files of a root module and its local modules.
#[derive(Debug, Default)]
pub struct SourceIndex {
    by_config_address: BTreeMap<String, SourceLocation>,
    skips: Vec<InlineSkip>,
    /// `.tf` files read.
    files_read: usize,
}

struct Patterns {
    block: Regex,
    planguard: Regex,
    checkov: Regex,
    trivy: Regex,
}

impl Patterns {
    fn new() -> Option<Patterns> {
        Some(Patterns {
            block: Regex::new(r#"^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)""#).ok()?,
            planguard: Regex::new(r"(?i)^(?:#|//)\s*planguard:skip=([A-Za-z0-9_,*-]+)(?:[:\s]\s*(.*))?$").ok()?,
            checkov: Regex::new(r"(?i)^(?:#|//)\s*checkov:skip=([A-Za-z0-9_]+)(?::\s*(.*))?$").ok()?,
            trivy: Regex::new(
                r"(?i)^(?:#|//)\s*trivy:ignore:([A-Za-z0-9_-]+)(?::exp:(\d{4}-\d{2}-\d{2}))?(?:\s+(.*))?$",
            )
            .ok()?,
        })
    }

    fn skips(&self, comment: &str) -> Vec<(String, SkipSyntax, Option<String>, Option<Date>)> {
        let reason = |m: Option<regex::Match<'_>>| m.map(|m| m.as_str().trim().to_string()).filter(|r| !r.is_empty());
        if let Some(c) = self.planguard.captures(comment) {
            let why = reason(c.get(2));
            return c[1]
                .split(',')
                .filter(|id| !id.is_empty())
                .map(|id| (id.to_string(), SkipSyntax::Planguard, why.clone(), None))
                .collect();
        }
        if let Some(c) = self.checkov.captures(comment) {
            return vec![(c[1].to_string(), SkipSyntax::Checkov, reason(c.get(2)), None)];
        }
        if let Some(c) = self.trivy.captures(comment) {
            let expires = c.get(2).and_then(|d| d.as_str().parse::<Date>().ok());
            return vec![(c[1].to_string(), SkipSyntax::Trivy, reason(c.get(3)), expires)];
        }
        Vec::new()
    }
}

/// Strips a UTF-8 byte order mark: editors on Windows write one and Terraform accepts it.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

impl SourceIndex {
    /// Reads the `.tf` files of `source_dir` (the root module) and, following the plan's
    /// module calls with local sources (`./x`, `../x`), of its modules. Unreadable files
    /// are skipped: locations are a convenience (the graph reports unreadable sources).
    pub fn build(source_dir: &Path, plan: &Plan) -> SourceIndex {
        let mut index = SourceIndex::default();
        let Some(patterns) = Patterns::new() else {
            return index;
        };
        let root = plan.configuration.as_ref().map(|c| &c.root_module);
        index.scan(source_dir, "", root, &patterns, &mut BTreeSet::new());
        index
    }

    fn scan(
        &mut self,
        dir: &Path,
        prefix: &str,
        module: Option<&ConfigModule>,
        patterns: &Patterns,
        seen: &mut BTreeSet<(PathBuf, String)>,
    ) {
        // A module called twice from the same directory is scanned once per prefix, and a
        // cycle of local paths (never valid Terraform) cannot loop.
        if !seen.insert((dir.to_path_buf(), prefix.to_string())) || prefix.matches("module.").count() > 64 {
            return;
        }
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tf") && p.is_file())
                .collect(),
            Err(_) => return,
        };
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            self.files_read += 1;
            self.scan_text(strip_bom(&text), &file, prefix, patterns);
        }
        if let Some(module) = module {
            for (name, call) in &module.module_calls {
                if call.source.starts_with("./") || call.source.starts_with("../") {
                    let child = dir.join(&call.source);
                    self.scan(
                        &child,
                        &format!("{prefix}module.{name}."),
                        Some(&call.module),
                        patterns,
                        seen,
                    );
                }
            }
        }
    }

    fn scan_text(&mut self, text: &str, file: &Path, prefix: &str, patterns: &Patterns) {
        let mut depth: usize = 0;
        let mut current: Option<String> = None;
        // Skip comments on the lines right above a block header (Trivy's placement).
        let mut pending: Vec<InlineSkip> = Vec::new();
        let mut scanner = BraceScanner::default();
        for (i, line) in text.lines().enumerate() {
            let trimmed = line.trim();
            let line_no = i + 1;
            if depth == 0 && !scanner.in_multiline() {
                if let Some(c) = patterns.block.captures(line) {
                    let local = if &c[1] == "data" {
                        format!("data.{}.{}", &c[2], &c[3])
                    } else {
                        format!("{}.{}", &c[2], &c[3])
                    };
                    let address = format!("{prefix}{local}");
                    self.by_config_address.entry(address.clone()).or_insert(SourceLocation {
                        file: file.to_path_buf(),
                        line: line_no,
                    });
                    for mut skip in pending.drain(..) {
                        skip.config_address = address.clone();
                        self.skips.push(skip);
                    }
                    current = Some(address);
                } else if trimmed.starts_with('#') || trimmed.starts_with("//") {
                    for (id, syntax, reason, expires) in patterns.skips(trimmed) {
                        pending.push(InlineSkip {
                            config_address: String::new(),
                            id,
                            syntax,
                            reason,
                            expires,
                            file: file.to_path_buf(),
                            line: line_no,
                        });
                    }
                } else {
                    pending.clear();
                }
            } else if let Some(address) = &current {
                if !scanner.in_multiline() && (trimmed.starts_with('#') || trimmed.starts_with("//")) {
                    for (id, syntax, reason, expires) in patterns.skips(trimmed) {
                        self.skips.push(InlineSkip {
                            config_address: address.clone(),
                            id,
                            syntax,
                            reason,
                            expires,
                            file: file.to_path_buf(),
                            line: line_no,
                        });
                    }
                }
            }
            depth = scanner.feed(line, depth);
            if depth == 0 && !scanner.in_multiline() && !trimmed.is_empty() && patterns.block.captures(line).is_none() {
                current = None;
            }
        }
    }

    /// Where the resource at this instance address is declared.
    pub fn locate(&self, address: &str) -> Option<&SourceLocation> {
        let addr = Address::parse(address).ok()?;
        self.by_config_address.get(&addr.config_address())
    }

    /// The inline skip comments found, in file and line order.
    pub fn skips(&self) -> &[InlineSkip] {
        &self.skips
    }

    /// True when no resource declaration was found.
    pub fn is_empty(&self) -> bool {
        self.by_config_address.is_empty()
    }

    /// How many `.tf` files were read.
    pub fn files_read(&self) -> usize {
        self.files_read
    }

    /// True when at least one of the plan's managed or data resources is declared here:
    /// false means the source directory is not this plan's configuration.
    pub fn declares_any_of(&self, plan: &Plan) -> bool {
        plan.resource_changes
            .iter()
            .filter_map(|rc| Address::parse(&rc.address).ok())
            .any(|a| self.by_config_address.contains_key(&a.config_address()))
    }
}

/// Counts braces outside strings, comments and heredocs, line by line.
#[derive(Default)]
struct BraceScanner {
    /// Inside a `/* */` comment.
    block_comment: bool,
    /// Inside a heredoc: its closing marker.
    heredoc: Option<String>,
}

impl BraceScanner {
    fn in_multiline(&self) -> bool {
        self.block_comment || self.heredoc.is_some()
    }

    fn feed(&mut self, line: &str, mut depth: usize) -> usize {
        if let Some(marker) = &self.heredoc {
            if line.trim() == marker {
                self.heredoc = None;
            }
            return depth;
        }
        let bytes = line.as_bytes();
        let mut i = 0;
        let mut in_string = false;
        while i < bytes.len() {
            let b = bytes[i];
            if self.block_comment {
                if bytes[i..].starts_with(b"*/") {
                    self.block_comment = false;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            if in_string {
                match b {
                    b'\\' => i += 2,
                    b'"' => {
                        in_string = false;
                        i += 1;
                    }
                    _ => i += 1,
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'#' => break,
                b'/' if bytes[i..].starts_with(b"//") => break,
                b'/' if bytes[i..].starts_with(b"/*") => {
                    self.block_comment = true;
                    i += 2;
                    continue;
                }
                b'<' if bytes[i..].starts_with(b"<<") => {
                    let rest = line[i + 2..].trim_start_matches('-');
                    let marker: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if !marker.is_empty() {
                        self.heredoc = Some(marker);
                        return depth;
                    }
                }
                b'{' => depth += 1,
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
        }
        depth
    }
}

/// The CI system's checkout root, when running in one: `GITHUB_WORKSPACE` (GitHub Actions),
/// `BUILD_SOURCESDIRECTORY` (Azure Pipelines), `CI_PROJECT_DIR` (GitLab CI).
pub fn ci_checkout_root() -> Option<PathBuf> {
    ci_checkout_root_from(|name| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from))
}

/// [`ci_checkout_root`] through `var` (injectable for tests).
pub fn ci_checkout_root_from(var: impl Fn(&str) -> Option<PathBuf>) -> Option<PathBuf> {
    ["GITHUB_WORKSPACE", "BUILD_SOURCESDIRECTORY", "CI_PROJECT_DIR"]
        .iter()
        .find_map(|n| var(n))
        .filter(|p| p.is_dir())
        .map(|p| absolute(&p, Path::new("/")))
}

/// The nearest ancestor of `start` (itself included) holding `.git`.
pub fn enclosing_repository(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        if d.join(".git").exists() {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// The repository root: the nearest ancestor of `start` holding `.git`, else `start`.
pub fn repository_root(start: &Path) -> PathBuf {
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    enclosing_repository(&start).unwrap_or(start)
}

/// `path` made absolute against `cwd`: canonical when it exists (symlinks resolved, as the
/// roots are), else cleaned of `.` and `..` lexically.
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    if let Ok(canonical) = joined.canonicalize() {
        return canonical;
    }
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `root` with `/` separators (as SARIF and CI annotations want), or
/// `None` when it lies elsewhere. Both must be absolute.
pub fn relative_to(path: &Path, root: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    Some(
        rest.components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// The characters left as they are in a URI path: RFC 3986's unreserved set and `/`.
/// Everything else (spaces, `&`, `<`, `|`, `#`, `%`, non-ASCII) is percent-encoded.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Percent-encodes a `/`-separated path for a URI.
pub fn encode_uri_path(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, URI_PATH).to_string()
}

/// An absolute `file://` URI for an absolute path.
pub fn file_uri(path: &Path) -> String {
    let text = path
        .components()
        .filter(|c| !matches!(c, Component::RootDir | Component::Prefix(_)))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    format!("file:///{}", encode_uri_path(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            encode_uri_path("infra/a b&c<d|e#f.tf"),
            "infra/a%20b%26c%3Cd%7Ce%23f.tf"
        );
        assert_eq!(
            file_uri(Path::new("/home/vsts/work/1/a/my plan.json")),
            "file:///home/vsts/work/1/a/my%20plan.json"
        );
        assert_eq!(encode_uri_path("é.tf"), "%C3%A9.tf");
    }

    #[test]
    fn relative_only_inside_the_root() {
        assert_eq!(
            relative_to(Path::new("/r/infra/main.tf"), Path::new("/r")).as_deref(),
            Some("infra/main.tf")
        );
        assert_eq!(relative_to(Path::new("/elsewhere/plan.json"), Path::new("/r")), None);
        assert_eq!(
            absolute(Path::new("a/../b/./c.json"), Path::new("/nonexistent-root")),
            PathBuf::from("/nonexistent-root/b/c.json")
        );
    }

    fn scan(text: &str) -> SourceIndex {
        let mut index = SourceIndex::default();
        index.scan_text(strip_bom(text), Path::new("main.tf"), "", &Patterns::new().unwrap());
        index
    }

    #[test]
    fn skips_inside_blocks_and_above_headers() {
        let index = scan(
            "\u{feff}# unrelated\r\n\
             #trivy:ignore:AVD-AWS-0009:exp:2027-01-31\r\n\
             resource \"aws_instance\" \"a\" {\r\n\
               # planguard:skip=AWS-EC2-001,AWS-EC2-002 public by design\r\n\
               policy = <<EOF\r\n\
             { \"x\": \"}\" }\r\n\
             # planguard:skip=NOT-A-SKIP inside a heredoc\r\n\
             EOF\r\n\
               tags = { a = \"{\" }\r\n\
               #checkov:skip=CKV_AWS_88:bastion\r\n\
             }\r\n\
             # planguard:skip=AWS-S3-001 outside any block\r\n\
             \r\n\
             data \"aws_ami\" \"b\" {\r\n\
               // planguard:skip=AWS-X-001\r\n\
             }\r\n",
        );
        let got: Vec<_> = index
            .skips()
            .iter()
            .map(|s| {
                (
                    s.config_address.as_str(),
                    s.id.as_str(),
                    s.reason.as_deref(),
                    s.line,
                    s.expires,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "aws_instance.a",
                    "AVD-AWS-0009",
                    None,
                    2,
                    Some(Date::constant(2027, 1, 31))
                ),
                ("aws_instance.a", "AWS-EC2-001", Some("public by design"), 4, None),
                ("aws_instance.a", "AWS-EC2-002", Some("public by design"), 4, None),
                ("aws_instance.a", "CKV_AWS_88", Some("bastion"), 10, None),
                ("data.aws_ami.b", "AWS-X-001", None, 15, None),
            ]
        );
        assert_eq!(
            index.locate("aws_instance.a[0]").map(|l| l.line),
            Some(3),
            "BOM stripped"
        );
        assert_eq!(index.locate("data.aws_ami.b").map(|l| l.line), Some(14));
    }

    #[test]
    fn checkout_root_from_the_ci_environment() {
        let dir = std::env::temp_dir();
        let root = ci_checkout_root_from(|n| (n == "BUILD_SOURCESDIRECTORY").then(|| dir.clone()));
        assert_eq!(root, Some(dir.canonicalize().unwrap()));
        assert_eq!(ci_checkout_root_from(|_| Some(PathBuf::from("/no/such/dir"))), None);
    }
}
