//! Naming rules the way users type them: a rule id in any case, a glob over ids
//! (`AWS-S3-*`), a severity, or the id of another tool's check that a rule declares as its
//! peer (`CKV_AWS_20`), so that Checkov-style `--check` / `--skip-check` lists and config
//! entries carry over from the tools teams migrate from.

use std::collections::BTreeSet;

use globset::GlobBuilder;

use crate::error::RuleError;
use crate::meta::{RuleMeta, Severity};
use crate::ruleset::RuleSet;

/// How a severity named in a selector selects rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeverityScope {
    /// Rules of that severity or more severe (Checkov's `--check HIGH`).
    AtOrAbove,
    /// Rules of that severity or less severe (Checkov's `--skip-check LOW`).
    AtOrBelow,
}

/// What a selector turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectorKind {
    /// A planguard rule id (matched regardless of case).
    Id,
    /// A glob over rule ids (matched regardless of case).
    Glob,
    /// A severity name.
    Severity(Severity),
    /// The id of another tool's check that rules declare as their peer.
    Peer,
}

/// The rules one selector names.
#[derive(Debug, Clone)]
pub struct Resolved<'a> {
    /// How the selector was read.
    pub kind: SelectorKind,
    /// The rules, in id order (empty when it names none).
    pub rules: Vec<&'a RuleMeta>,
}

/// Which rules to run: Checkov's `--check` (allow list) and `--skip-check` (deny list).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// When not empty, only the rules these selectors name run. A selector naming no rule
    /// is an error: a typo would otherwise run fewer rules than meant, silently.
    pub check: Vec<String>,
    /// The rules these selectors name don't run (applied after `check`). A selector naming
    /// no rule is only a warning: lists carried over from Checkov name checks planguard
    /// has no equivalent of, and skipping nothing hides nothing.
    pub skip: Vec<String>,
}

impl Selection {
    /// True when every rule runs.
    pub fn is_empty(&self) -> bool {
        self.check.is_empty() && self.skip.is_empty()
    }
}

/// A rule set narrowed by a [`Selection`], with what the caller should be told.
#[derive(Debug)]
pub struct Selected {
    /// The rules that run.
    pub rules: RuleSet,
    /// Skip selectors that named no rule, each described with the closest id.
    pub warnings: Vec<String>,
}

fn is_glob(text: &str) -> bool {
    text.contains(['*', '?', '[', '{'])
}

fn severity_named(text: &str) -> Option<Severity> {
    Severity::ALL
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(text))
}

impl RuleSet {
    /// The rules `selector` names: a severity name (see [`SeverityScope`]), a glob over ids,
    /// a rule id, or a peer id (`CKV_AWS_88` names every rule that declares it), all
    /// regardless of case. `severity_of` gives a rule's effective severity (after the
    /// config's overrides).
    pub fn resolve<'a>(
        &'a self,
        selector: &str,
        scope: SeverityScope,
        severity_of: &dyn Fn(&RuleMeta) -> Severity,
    ) -> Result<Resolved<'a>, RuleError> {
        let selector = selector.trim();
        if let Some(severity) = severity_named(selector) {
            let rules = self
                .rules()
                .filter(|m| match scope {
                    SeverityScope::AtOrAbove => severity_of(m) <= severity,
                    SeverityScope::AtOrBelow => severity_of(m) >= severity,
                })
                .collect();
            return Ok(Resolved {
                kind: SelectorKind::Severity(severity),
                rules,
            });
        }
        if is_glob(selector) {
            let matcher = GlobBuilder::new(selector)
                .case_insensitive(true)
                .build()
                .map_err(|e| RuleError::InvalidSelector {
                    message: format!("invalid glob: {}", e.kind()),
                })?
                .compile_matcher();
            let rules = self.rules().filter(|m| matcher.is_match(&*m.id)).collect();
            return Ok(Resolved {
                kind: SelectorKind::Glob,
                rules,
            });
        }
        let by_id: Vec<&RuleMeta> = self.rules().filter(|m| m.id.eq_ignore_ascii_case(selector)).collect();
        if !by_id.is_empty() {
            return Ok(Resolved {
                kind: SelectorKind::Id,
                rules: by_id,
            });
        }
        let by_peer = self
            .rules()
            .filter(|m| {
                m.peers
                    .iter()
                    .any(|(_, ids)| ids.iter().any(|id| id.eq_ignore_ascii_case(selector)))
            })
            .collect();
        Ok(Resolved {
            kind: SelectorKind::Peer,
            rules: by_peer,
        })
    }

    /// The rule id or peer id closest to `text`, when one is close enough to be a likely
    /// typo of it.
    pub fn closest_id(&self, text: &str) -> Option<String> {
        let wanted = text.trim().to_ascii_uppercase();
        let mut best: Option<(f64, String)> = None;
        for m in self.rules() {
            let peers = m.peers.iter().flat_map(|(_, ids)| ids.iter().map(String::as_str));
            for candidate in std::iter::once(&*m.id).chain(peers) {
                let score = strsim::jaro_winkler(&wanted, &candidate.to_ascii_uppercase());
                // Ties go to the first in id order, so the suggestion is deterministic.
                if best.as_ref().is_none_or(|(b, _)| score > *b) {
                    best = Some((score, candidate.to_string()));
                }
            }
        }
        best.filter(|(score, _)| *score >= 0.85).map(|(_, id)| id)
    }

    /// The rules a [`Selection`] keeps, in id order.
    pub fn select(
        &self,
        selection: &Selection,
        severity_of: &dyn Fn(&RuleMeta) -> Severity,
    ) -> Result<Selected, RuleError> {
        let mut keep: BTreeSet<&str> = if selection.check.is_empty() {
            self.rules().map(|m| &*m.id).collect()
        } else {
            let mut keep = BTreeSet::new();
            for (i, selector) in selection.check.iter().enumerate() {
                let resolved = self.resolve(selector, SeverityScope::AtOrAbove, severity_of)?;
                if resolved.rules.is_empty() {
                    return Err(RuleError::NoMatch {
                        what: format!("--check entry {} of {}", i + 1, selection.check.len()),
                        closest: self.closest_id(selector),
                    });
                }
                keep.extend(resolved.rules.iter().map(|m| &*m.id));
            }
            keep
        };
        let mut warnings = Vec::new();
        for (i, selector) in selection.skip.iter().enumerate() {
            let resolved = self.resolve(selector, SeverityScope::AtOrBelow, severity_of)?;
            if resolved.rules.is_empty() {
                warnings.push(
                    RuleError::NoMatch {
                        what: format!("--skip-check entry {} of {}", i + 1, selection.skip.len()),
                        closest: self.closest_id(selector),
                    }
                    .to_string(),
                );
            }
            for m in resolved.rules {
                keep.remove(&*m.id);
            }
        }
        let ids: Vec<&str> = keep.into_iter().collect();
        Ok(Selected {
            rules: self.only(&ids)?,
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(m: &RuleMeta) -> Severity {
        m.severity
    }

    #[test]
    fn ids_globs_severities_and_peers() {
        let set = RuleSet::builtin().unwrap();
        let id = set.resolve("aws-ec2-001", SeverityScope::AtOrAbove, &own).unwrap();
        assert_eq!(id.kind, SelectorKind::Id);
        assert_eq!(id.rules.len(), 1);
        assert_eq!(&*id.rules[0].id, "AWS-EC2-001");

        let glob = set.resolve("aws-s3-*", SeverityScope::AtOrAbove, &own).unwrap();
        assert_eq!(glob.kind, SelectorKind::Glob);
        assert!(glob.rules.len() > 1);
        assert!(glob.rules.iter().all(|m| m.id.starts_with("AWS-S3-")));

        let peer = set.resolve("ckv_aws_88", SeverityScope::AtOrAbove, &own).unwrap();
        assert_eq!(peer.kind, SelectorKind::Peer);
        let ids: Vec<&str> = peer.rules.iter().map(|m| &*m.id).collect();
        assert!(ids.contains(&"AWS-EC2-001"), "{ids:?}");

        let high = set.resolve("HIGH", SeverityScope::AtOrAbove, &own).unwrap();
        assert!(high.rules.iter().all(|m| m.severity <= Severity::High));
        let low = set.resolve("low", SeverityScope::AtOrBelow, &own).unwrap();
        assert!(low.rules.iter().all(|m| m.severity >= Severity::Low));
        assert!(!low.rules.is_empty() && !high.rules.is_empty());
    }

    #[test]
    fn selection_checks_then_skips() {
        let set = RuleSet::builtin().unwrap();
        let selected = set
            .select(
                &Selection {
                    check: vec!["AWS-S3-*".into()],
                    skip: vec!["CKV_AWS_20".into(), "NOT-A-RULE".into()],
                },
                &own,
            )
            .unwrap();
        let ids: Vec<&str> = selected.rules.rules().map(|m| &*m.id).collect();
        assert!(!ids.is_empty() && ids.iter().all(|id| id.starts_with("AWS-S3-")));
        let skipped: Vec<&str> = set
            .resolve("CKV_AWS_20", SeverityScope::AtOrBelow, &own)
            .unwrap()
            .rules
            .iter()
            .map(|m| &*m.id)
            .collect();
        assert!(!skipped.is_empty());
        assert!(skipped.iter().all(|id| !ids.contains(id)));
        assert_eq!(selected.warnings.len(), 1, "{:?}", selected.warnings);
        assert!(selected.warnings[0].contains("--skip-check entry 2 of 2"));

        let typo = set
            .select(
                &Selection {
                    check: vec!["AWS-EC2-01".into()],
                    skip: vec![],
                },
                &own,
            )
            .unwrap_err()
            .to_string();
        assert!(
            typo.contains("--check entry 1 of 1") && typo.contains("closest"),
            "{typo}"
        );
    }
}
