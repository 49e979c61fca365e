//! Waivers: "don't report rule R on addresses matching G, because ..., until ...".
//!
//! Only the types and the matching live here; the facade parses them from its config file.
//! Every waiver needs a reason. A waiver past its expiry date stops applying and is
//! reported as expired; a waiver that matched no finding is reported as stale, so that
//! exceptions don't outlive what they excused.

use globset::{GlobBuilder, GlobMatcher};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::RuleError;

/// An exception to a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// A rule id, or a glob of ids (`AWS-EC2-*`).
    pub rule: String,
    /// A glob over full instance addresses: `*` matches any run of characters (dots
    /// included), `?` one character; `[` and `]` are literal, so `aws_instance.web[0]` and
    /// `module.net["a"].*` mean what they say.
    pub address: String,
    /// Why the finding is accepted. Required.
    pub reason: String,
    /// The last day the waiver applies (inclusive); none means it never expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
}

/// What became of a waiver in one evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverOutcome {
    /// The waiver.
    pub waiver: Waiver,
    /// Its state.
    pub state: WaiverState,
    /// Findings it matched (waived when active; reported anyway when expired).
    pub matched: usize,
}

/// The state of a waiver after evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverState {
    /// In force and matched at least one finding.
    Applied,
    /// Past its expiry date: it no longer hides anything.
    Expired,
    /// In force but matched nothing: remove it.
    Stale,
}

#[derive(Debug)]
pub(crate) struct CompiledWaiver {
    pub(crate) waiver: Waiver,
    rule: GlobMatcher,
    address: GlobMatcher,
    pub(crate) expired: bool,
}

/// Compiles an address (or rule id) glob the way waivers read it: `*` matches any run of
/// characters (dots and slashes included), `?` one character, and `[`, `]`, `{`, `}` are
/// literal, so Terraform addresses such as `module.net["a"].aws_subnet.s[0]` are written as
/// they are. The facade's config globs use the same function.
pub fn address_glob(pattern: &str) -> Result<GlobMatcher, globset::Error> {
    let mut escaped = String::with_capacity(pattern.len());
    for c in pattern.chars() {
        match c {
            '[' | ']' | '{' | '}' => {
                escaped.push('[');
                escaped.push(c);
                escaped.push(']');
            }
            _ => escaped.push(c),
        }
    }
    GlobBuilder::new(&escaped)
        .literal_separator(false)
        .build()
        .map(|g| g.compile_matcher())
}

fn glob(pattern: &str) -> Result<GlobMatcher, String> {
    address_glob(pattern).map_err(|e| e.to_string())
}

impl CompiledWaiver {
    pub(crate) fn compile(index: usize, waiver: &Waiver, today: Date) -> Result<Self, RuleError> {
        let err = |message: String| RuleError::InvalidWaiver {
            index,
            rule: waiver.rule.clone(),
            address: waiver.address.clone(),
            message,
        };
        if waiver.reason.trim().is_empty() {
            return Err(err("a waiver needs a reason".into()));
        }
        if waiver.rule.trim().is_empty() || waiver.address.trim().is_empty() {
            return Err(err("a waiver needs a rule and an address pattern".into()));
        }
        Ok(CompiledWaiver {
            waiver: waiver.clone(),
            rule: glob(&waiver.rule).map_err(|e| err(format!("bad rule pattern: {e}")))?,
            address: glob(&waiver.address).map_err(|e| err(format!("bad address pattern: {e}")))?,
            expired: waiver.expires.is_some_and(|d| d < today),
        })
    }

    pub(crate) fn matches(&self, rule_id: &str, address: &str) -> bool {
        self.rule.is_match(rule_id) && self.address.is_match(address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(rule: &str, address: &str) -> CompiledWaiver {
        let waiver = Waiver {
            rule: rule.into(),
            address: address.into(),
            reason: "accepted".into(),
            expires: Some(Date::constant(2026, 1, 31)),
        };
        CompiledWaiver::compile(0, &waiver, Date::constant(2026, 1, 31)).unwrap()
    }

    #[test]
    fn globs_are_literal_about_brackets() {
        assert!(w("AWS-EC2-001", "aws_instance.web[0]").matches("AWS-EC2-001", "aws_instance.web[0]"));
        assert!(!w("AWS-EC2-001", "aws_instance.web[0]").matches("AWS-EC2-001", "aws_instance.web0"));
        assert!(w("AWS-EC2-*", "module.net[\"a\"].*").matches("AWS-EC2-002", "module.net[\"a\"].aws_instance.x[1]"));
        assert!(!w("AWS-EC2-*", "module.net[\"a\"].*").matches("AWS-RDS-002", "module.net[\"a\"].aws_instance.x"));
        assert!(w("*", "*").matches("X-Y-001", "a.b"));
    }

    #[test]
    fn expiry_is_inclusive() {
        let waiver = Waiver {
            rule: "*".into(),
            address: "*".into(),
            reason: "r".into(),
            expires: Some(Date::constant(2026, 1, 31)),
        };
        assert!(
            !CompiledWaiver::compile(0, &waiver, Date::constant(2026, 1, 31))
                .unwrap()
                .expired
        );
        assert!(
            CompiledWaiver::compile(0, &waiver, Date::constant(2026, 2, 1))
                .unwrap()
                .expired
        );
        let no_reason = Waiver {
            reason: " ".into(),
            ..waiver
        };
        assert!(CompiledWaiver::compile(0, &no_reason, Date::constant(2026, 2, 1)).is_err());
    }
}
