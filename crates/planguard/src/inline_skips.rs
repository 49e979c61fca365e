//! Inline skips (`# planguard:skip=ID reason`, `#checkov:skip=CKV_..:reason`,
//! `#trivy:ignore:AVD-...`) applied to one plan's findings, as waivers whose source is the
//! comment's `.tf` file and line.
//!
//! A planguard id names a rule (case-insensitively); a Checkov or Trivy id names every rule
//! that declares it among its peers (`peers.checkov`, `peers.trivy`), so comments written
//! for those tools keep working. An id no rule declares skips nothing and is reported. A
//! skip without a reason still applies (the comment is in reviewed code, as with Checkov),
//! with a warning asking for one. A Trivy `:exp:` date past today stops it applying.

use jiff::civil::Date;
use planguard_plan::Address;
use planguard_rules::{Finding, RuleSet};
use serde::Serialize;

use crate::sources::{InlineSkip, SkipSyntax, SourceIndex};

/// A finding a waiver or an inline skip hid, with why.
#[derive(Debug, Clone, Serialize)]
pub struct AppliedWaiver {
    /// The rule id.
    pub rule: String,
    /// The resource's full address.
    pub address: String,
    /// The attribute path of the finding.
    pub path: String,
    /// The reason given (`(no reason given)` for an inline skip without one).
    pub reason: String,
    /// The last day the waiver applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// Where the waiver is written: the config file, or `file.tf:line` of an inline skip.
    pub source: String,
    /// `config` or `inline`.
    pub kind: &'static str,
    /// The finding it hid (for SARIF's suppressed results).
    #[serde(skip)]
    pub finding: Finding,
}

/// What became of an inline skip.
#[derive(Debug, Clone, Serialize)]
pub struct InlineSkipOutcome {
    /// The id as written.
    pub id: String,
    /// The comment syntax: `planguard`, `checkov` or `trivy`.
    pub syntax: SkipSyntax,
    /// The planguard rules it stands for.
    pub rules: Vec<String>,
    /// The resource block's configuration address.
    pub address: String,
    /// The reason, if one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The expiry (Trivy's `:exp:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// `file.tf:line` of the comment.
    pub source: String,
    /// `applied`, `expired`, `stale` (matched no finding) or `unknown-id`.
    pub state: &'static str,
    /// Findings it hid.
    pub matched: usize,
}

/// The text a skip without a reason records.
pub const NO_REASON: &str = "(no reason given)";

/// The planguard rule ids an inline skip id stands for.
fn rules_for(skip: &InlineSkip, rules: &RuleSet) -> Vec<String> {
    let id = skip.id.as_str();
    let mut out: Vec<String> = rules
        .rules()
        .filter(|m| match skip.syntax {
            SkipSyntax::Planguard => {
                m.id.eq_ignore_ascii_case(id)
                    || m.peers
                        .checkov
                        .iter()
                        .chain(&m.peers.trivy)
                        .any(|p| p.eq_ignore_ascii_case(id))
            }
            SkipSyntax::Checkov => m.peers.checkov.iter().any(|p| p.eq_ignore_ascii_case(id)),
            SkipSyntax::Trivy => m.peers.trivy.iter().any(|p| p.eq_ignore_ascii_case(id)),
        })
        .map(|m| m.id.to_string())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Applies the inline skips of `sources` to `findings`: returns the findings left, the
/// ones hidden, each skip's outcome, and warnings (unknown ids, missing reasons).
pub fn apply(
    findings: Vec<Finding>,
    sources: &SourceIndex,
    rules: &RuleSet,
    today: Date,
) -> (Vec<Finding>, Vec<AppliedWaiver>, Vec<InlineSkipOutcome>, Vec<String>) {
    let skips = sources.skips();
    if skips.is_empty() {
        return (findings, Vec::new(), Vec::new(), Vec::new());
    }
    let mut warnings = Vec::new();
    let resolved: Vec<(Vec<String>, bool)> = skips
        .iter()
        .map(|s| {
            let ids = rules_for(s, rules);
            if ids.is_empty() {
                warnings.push(format!(
                    "{}: inline skip {} names no planguard rule (nor a peer id a rule declares): it skips nothing",
                    s.source(),
                    s.id
                ));
            } else if s.reason.is_none() {
                warnings.push(format!(
                    "{}: inline skip of {} on {} gives no reason: write why after the id",
                    s.source(),
                    s.id,
                    s.config_address
                ));
            }
            (ids, s.expires.is_some_and(|d| d < today))
        })
        .collect();
    // Skips by configuration address: findings are matched by a lookup, not a scan.
    let mut by_address: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for (i, s) in skips.iter().enumerate() {
        by_address.entry(s.config_address.as_str()).or_default().push(i);
    }
    let mut matched = vec![0usize; skips.len()];
    let mut kept = Vec::with_capacity(findings.len());
    let mut hidden = Vec::new();
    for f in findings {
        let config_address = Address::parse(&f.resource).map(|a| a.config_address()).ok();
        let hit = config_address
            .as_deref()
            .and_then(|a| by_address.get(a))
            .and_then(|list| {
                list.iter()
                    .copied()
                    .find(|&i| !resolved[i].1 && resolved[i].0.iter().any(|r| **r == *f.rule_id))
            });
        match hit {
            Some(i) => {
                matched[i] += 1;
                let s = &skips[i];
                hidden.push(AppliedWaiver {
                    rule: f.rule_id.to_string(),
                    address: f.resource.clone(),
                    path: f.path.to_string(),
                    reason: s.reason.clone().unwrap_or_else(|| NO_REASON.to_string()),
                    expires: s.expires,
                    source: s.source(),
                    kind: "inline",
                    finding: f,
                });
            }
            None => kept.push(f),
        }
    }
    let outcomes = skips
        .iter()
        .zip(resolved)
        .zip(matched)
        .map(|((s, (ids, expired)), matched)| InlineSkipOutcome {
            id: s.id.clone(),
            syntax: s.syntax,
            state: if ids.is_empty() {
                "unknown-id"
            } else if expired {
                "expired"
            } else if matched == 0 {
                "stale"
            } else {
                "applied"
            },
            rules: ids,
            address: s.config_address.clone(),
            reason: s.reason.clone(),
            expires: s.expires,
            source: s.source(),
            matched,
        })
        .collect();
    (kept, hidden, outcomes, warnings)
}
