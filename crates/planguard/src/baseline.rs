//! Baselines: accept today's findings, fail only on new ones.
//!
//! `planguard check --create-baseline FILE` records every reported finding of every plan
//! checked; `planguard check --baseline FILE` then reports a finding recorded there as
//! known (it no longer fails a policy guardrail) and lists the recorded entries that no
//! longer occur, so the file can shrink as debt is paid.
//!
//! The file is JSON:
//!
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     {"plan": "infra/plan.json", "rule": "AWS-EC2-001", "address": "aws_instance.web[0]",
//!      "path": "associate_public_ip_address", "fingerprint": "0f6d6e9f3b1c2a47"}
//!   ]
//! }
//! ```
//!
//! An entry matches a finding with the same `plan` and `fingerprint`. The fingerprint
//! ([`fingerprint`]) hashes the rule id, the resource's full address and the attribute
//! path, nothing else: not the message (it quotes values), not the severity (overrides
//! change it), not a line number or a position in the plan. It survives reordering the
//! plan or the `.tf` files and edits to other resources or other attributes; it changes
//! when the resource is renamed or moved (a new address is a new resource to review).
//!
//! `plan` names the plan file the way [`plan_key`] does: relative to the repository root
//! when the plan is inside it (so the same baseline works on every CI agent, whatever its
//! checkout path), else by its file name alone; `<stdin>` for standard input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use planguard_rules::Finding;
use serde::{Deserialize, Serialize};

use crate::error::AnalyzeError;

/// The version of the baseline file's shape.
pub const BASELINE_VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// [`BASELINE_VERSION`].
    pub version: u32,
    /// The accepted findings, sorted by plan, rule, address and path.
    pub findings: Vec<BaselineEntry>,
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The plan, as [`plan_key`] names it.
    pub plan: String,
    /// The rule id.
    pub rule: String,
    /// The resource's full instance address.
    pub address: String,
    /// The attribute path (`""` for the whole resource).
    pub path: String,
    /// [`fingerprint`] of rule, address and path.
    pub fingerprint: String,
}

/// What a baseline made of one plan's findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BaselineOutcome {
    /// The baseline file.
    pub file: String,
    /// Findings recorded in the baseline: reported as known, never failing a guardrail.
    pub known_findings: Vec<Finding>,
    /// This plan's entries that matched no finding: fixed since, remove them.
    pub absent: Vec<BaselineEntry>,
}

/// The fingerprint of a finding: FNV-1a (64 bits, hex) over the rule id, the full address
/// and the attribute path, each followed by a NUL byte. FNV-1a rather than std's hasher:
/// the value is written to files and must not change across Rust versions or platforms.
pub fn fingerprint(rule_id: &str, address: &str, path: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule_id, address, path] {
        for byte in part.bytes().chain([0u8]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The name a baseline gives the plan file `file` (as a report names it): relative to the
/// repository root (the CI checkout root, else the nearest directory holding `.git`) with
/// `/` separators when inside it, else the file name; `<stdin>` as is.
pub fn plan_key(file: &str, cwd: &Path) -> String {
    if file == "<stdin>" || file == "-" {
        return "<stdin>".to_string();
    }
    let absolute = crate::sources::absolute(Path::new(file), cwd);
    let root = crate::sources::ci_checkout_root()
        .filter(|r| absolute.starts_with(r))
        .or_else(|| absolute.parent().and_then(crate::sources::enclosing_repository));
    if let Some(relative) = root.and_then(|r| crate::sources::relative_to(&absolute, &r)) {
        return relative;
    }
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_string())
}

fn entry(plan: &str, f: &Finding) -> BaselineEntry {
    BaselineEntry {
        plan: plan.to_string(),
        rule: f.rule_id.to_string(),
        address: f.resource.clone(),
        path: f.path.to_string(),
        fingerprint: finding_fingerprint(f),
    }
}

/// [`fingerprint`] of a finding. A Rego policy's result has no attribute path, and one rule
/// may report several results on one resource (or on the plan): its message, the only
/// thing that tells them apart, stands in for the path, so that a baseline accepting one
/// result does not accept every later one.
fn finding_fingerprint(f: &Finding) -> String {
    if f.category == planguard_rules::Category::Policy {
        return fingerprint(&f.rule_id, &f.resource, &format!("{}\u{0}{}", f.path, f.message));
    }
    fingerprint(&f.rule_id, &f.resource, &f.path)
}

impl Baseline {
    /// Reads a baseline file.
    pub fn from_path(path: &Path) -> Result<Baseline, AnalyzeError> {
        let err = |message: String| AnalyzeError::Baseline {
            path: path.to_path_buf(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(format!("cannot read: {e}")))?;
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
        let baseline: Baseline = serde_json::from_slice(bytes).map_err(|e| {
            // serde_json's messages quote the offending input; say where and what instead.
            let what = match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "is not valid JSON",
                _ => "is not a planguard baseline (expected {\"version\": 1, \"findings\": [{plan, rule, address, path, fingerprint}]})",
            };
            err(format!("{}:{}: {what}", e.line(), e.column()))
        })?;
        if baseline.version != BASELINE_VERSION {
            return Err(err(format!(
                "baseline version {} is not supported (this planguard writes version {BASELINE_VERSION})",
                baseline.version
            )));
        }
        Ok(baseline)
    }

    /// A baseline of the given findings, by plan key.
    pub fn record<'a>(plans: impl IntoIterator<Item = (String, &'a [Finding])>) -> Baseline {
        let mut findings: BTreeSet<BaselineEntry> = BTreeSet::new();
        for (plan, list) in plans {
            findings.extend(list.iter().map(|f| entry(&plan, f)));
        }
        Baseline {
            version: BASELINE_VERSION,
            findings: findings.into_iter().collect(),
        }
    }

    /// The file's text: pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Splits one plan's findings into new ones (returned) and known ones (in the outcome),
    /// and lists this plan's entries that matched nothing.
    pub fn split(&self, plan: &str, findings: Vec<Finding>, file: &Path) -> (Vec<Finding>, BaselineOutcome) {
        let mine: BTreeMap<&str, &BaselineEntry> = self
            .findings
            .iter()
            .filter(|e| e.plan == plan)
            .map(|e| (e.fingerprint.as_str(), e))
            .collect();
        let mut matched: BTreeSet<&str> = BTreeSet::new();
        let mut fresh = Vec::new();
        let mut known = Vec::new();
        for f in findings {
            let print = finding_fingerprint(&f);
            match mine.get_key_value(print.as_str()) {
                Some((&key, _)) => {
                    matched.insert(key);
                    known.push(f);
                }
                None => fresh.push(f),
            }
        }
        let absent = mine
            .iter()
            .filter(|(k, _)| !matched.contains(*k))
            .map(|(_, e)| (*e).clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        (
            fresh,
            BaselineOutcome {
                file: file.display().to_string(),
                known_findings: known,
                absent,
            },
        )
    }
}

/// A baseline and where it was read from, for [`crate::analyze::Options`].
#[derive(Debug, Clone)]
pub struct LoadedBaseline {
    /// The file.
    pub path: PathBuf,
    /// Its entries.
    pub baseline: Baseline,
}

impl LoadedBaseline {
    /// Reads a baseline file.
    pub fn from_path(path: &Path) -> Result<LoadedBaseline, AnalyzeError> {
        Ok(LoadedBaseline {
            path: path.to_path_buf(),
            baseline: Baseline::from_path(path)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_stable_and_separates_parts() {
        // A fixed value: changing the function invalidates every baseline written.
        assert_eq!(
            fingerprint("AWS-EC2-001", "aws_instance.web", "associate_public_ip_address"),
            "22301314d91874bb"
        );
        assert_ne!(fingerprint("A", "bc", ""), fingerprint("A", "b", "c"));
        assert_eq!(fingerprint("", "", "").len(), 16);
    }

    #[test]
    fn stdin_keeps_its_name() {
        assert_eq!(plan_key("<stdin>", Path::new("/")), "<stdin>");
        assert_eq!(plan_key("-", Path::new("/")), "<stdin>");
    }
}
