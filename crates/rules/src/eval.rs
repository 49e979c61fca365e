//! Running a rule set over a plan: in parallel, deterministic, with waivers.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use planguard_plan::{Action, ActionKind, ChangeValues, Mode, Plan, ResourceChange, Shown, ValueError};
use rayon::prelude::*;
use serde::Serialize;

use crate::cond::RelatedIndex;
use crate::error::RuleError;
use crate::meta::{Category, Severity};
use crate::relations::Relations;
use crate::rule::{Context, Hit, Status};
use crate::ruleset::RuleSet;
use crate::waiver::{CompiledWaiver, Waiver, WaiverOutcome, WaiverState};

/// One rule's verdict on one resource.
///
/// The JSON shape (what `planguard check --format json` prints under `findings`):
///
/// ```json
/// {"rule_id": "AWS-EC2-001", "title": "EC2 instance gets a public IP address",
///  "severity": "high", "category": "network-exposure", "status": "fail",
///  "resource": "module.web[\"a\"].aws_instance.web[0]", "resource_type": "aws_instance",
///  "module": "module.web[\"a\"]", "action": "create",
///  "path": "associate_public_ip_address", "message": "instance is given a public IP address (true)"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule id.
    pub rule_id: Arc<str>,
    /// The rule title.
    pub title: String,
    /// The rule severity.
    pub severity: Severity,
    /// The rule category.
    pub category: Category,
    /// `fail`, or `unknown` when values known only after apply decide.
    pub status: Status,
    /// Full instance address.
    pub resource: String,
    /// Resource type (`data.TYPE` for data sources).
    pub resource_type: String,
    /// Module instance address, `""` for the root module.
    pub module: String,
    /// The planned action.
    pub action: Action,
    /// The attribute path that triggered the finding, `""` for the whole resource.
    pub path: Shown,
    /// What is wrong, naming the offending value; sensitive values print as `(sensitive)`.
    /// A [`Shown`]: see [`Hit`](crate::Hit).
    pub message: Shown,
}

/// A finding hidden by a waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaivedFinding {
    /// The finding.
    pub finding: Finding,
    /// Index of the waiver (in [`EvalOptions::waivers`]) that hid it.
    pub waiver: usize,
}

/// One (rule, resource) pair that was evaluated: a JUnit test case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evaluated {
    /// The rule id.
    pub rule_id: Arc<str>,
    /// The resource address.
    pub resource: Arc<str>,
}

/// A rule that was not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The rule id.
    pub rule_id: Arc<str>,
    /// Why.
    pub reason: String,
}

/// A resource whose values could not be read: its rules report `unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueIssue {
    /// The resource address.
    pub resource: String,
    /// 1-based line of the unreadable value in the plan file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Why it could not be read (quoting nothing of the value).
    pub message: String,
}

/// Which resources the rules judge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// What the plan changes (the default): each rule's `actions`, creates, updates and
    /// replacements unless it says otherwise. Unchanged resources are not this change's
    /// risk.
    #[default]
    Changes,
    /// Every resource the plan lists, unchanged (`no-op`) ones too: a rule that judges
    /// what exists after apply (it applies to creates, updates or replacements) also judges
    /// resources the plan leaves as they are. For audits and first adoption.
    All,
}

impl Scope {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Changes => "changes",
            Scope::All => "all",
        }
    }
}
/// How the message of a finding on a resource whose values could not be read begins.
pub const UNREADABLE_VALUES: &str = "the plan's values for this resource cannot be read, so the rule cannot decide";

/// How to evaluate.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Waivers to apply.
    pub waivers: Vec<Waiver>,
    /// The date waiver expiry is judged against; `None` means today (local time zone).
    pub today: Option<Date>,
    /// Record every evaluated (rule, resource) pair in [`Evaluation::evaluated`] (for JUnit
    /// output). Off, only [`Evaluation::evaluated_count`] is kept.
    pub record_evaluated: bool,
    /// Changes only (the default), or every resource the plan lists.
    pub scope: Scope,
}

/// The result of evaluating a rule set over a plan.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Evaluation {
    /// Findings, sorted by severity (most severe first), rule id, resource, path, status.
    pub findings: Vec<Finding>,
    /// Findings hidden by active waivers, in the same order.
    pub waived: Vec<WaivedFinding>,
    /// Evaluated (rule, resource) pairs, sorted, when [`EvalOptions::record_evaluated`].
    pub evaluated: Vec<Evaluated>,
    /// How many (rule, resource) pairs were evaluated.
    pub evaluated_count: usize,
    /// Each waiver's outcome, in the order given.
    pub waivers: Vec<WaiverOutcome>,
    /// Rules not run (graph rules when no graph was given).
    pub skipped: Vec<Skipped>,
    /// Resources whose values could not be parsed (their rules report `unknown`).
    pub value_issues: Vec<ValueIssue>,
}

/// The resource type that stands for every managed resource's type in a rule's
/// `resource_types` (Checkov's `resource_types: all`).
pub const ANY_TYPE: &str = "*";

/// The key resources are bucketed by: the type, `data.`-prefixed for data sources.
pub(crate) fn type_key(change: &ResourceChange) -> &str {
    if change.mode == Mode::Data {
        // The address holds `data.TYPE.NAME`; slice `data.TYPE` out of it without allocating.
        let addr = change.address.as_str();
        let t = change.resource_type.as_str();
        let found = addr
            .match_indices("data.")
            .map(|(i, _)| i)
            .filter(|&i| addr[i + 5..].starts_with(t) && addr[i + 5 + t.len()..].starts_with('.'))
            .last();
        if let Some(start) = found {
            return &addr[start..start + 5 + t.len()];
        }
    }
    &change.resource_type
}

/// Evaluates every rule of `rules` on every resource of `plan` it applies to.
///
/// Resources are evaluated in parallel (rayon's current pool); each resource's values are
/// parsed once and shown only to the rules of its type. The result doesn't depend on the
/// number of threads. Rules with `related` conditions need `relations` (the dependency
/// graph); without it they are skipped and listed in [`Evaluation::skipped`].
pub fn evaluate(
    plan: &Plan,
    relations: Option<&dyn Relations>,
    rules: &RuleSet,
    options: &EvalOptions,
) -> Result<Evaluation, RuleError> {
    evaluate_impl(plan, relations, rules, options, false)
}

/// [`evaluate`], parsing every attribute of every resource instead of only those the rules
/// read: slower, with the same result. Tests compare the two.
#[doc(hidden)]
pub fn evaluate_all_values(
    plan: &Plan,
    relations: Option<&dyn Relations>,
    rules: &RuleSet,
    options: &EvalOptions,
) -> Result<Evaluation, RuleError> {
    evaluate_impl(plan, relations, rules, options, true)
}

fn evaluate_impl(
    plan: &Plan,
    relations: Option<&dyn Relations>,
    rules: &RuleSet,
    options: &EvalOptions,
    full_values: bool,
) -> Result<Evaluation, RuleError> {
    let today = options.today.unwrap_or_else(|| jiff::Zoned::now().date());
    let waivers = options
        .waivers
        .iter()
        .enumerate()
        .map(|(i, w)| CompiledWaiver::compile(i, w, today))
        .collect::<Result<Vec<_>, _>>()?;

    let mut evaluation = Evaluation::default();
    let mut active: Vec<bool> = vec![true; rules.len()];
    if relations.is_none() {
        for (i, rule) in rules.iter().enumerate() {
            if rule.meta().uses_graph {
                active[i] = false;
                evaluation.skipped.push(Skipped {
                    rule_id: rule.meta().id.clone(),
                    reason: "needs the dependency graph, which was not built".into(),
                });
            }
        }
    }
    // Under `Scope::All`, the rules that judge what exists after apply also judge unchanged
    // resources.
    let judges_unchanged: Vec<bool> = rules
        .iter()
        .map(|rule| {
            let actions = &rule.meta().actions;
            actions.contains(&ActionKind::NoOp)
                || (options.scope == Scope::All
                    && [ActionKind::Create, ActionKind::Update, ActionKind::Replace]
                        .iter()
                        .any(|a| actions.contains(a)))
        })
        .collect();
    let mut buckets: HashMap<&str, Vec<usize>> = HashMap::new();
    // Per type, the top-level attributes its rules read (`None`: all).
    let mut wanted: HashMap<&str, Option<Vec<String>>> = HashMap::new();
    let mut related_types: HashMap<String, Option<Vec<String>>> = HashMap::new();
    for (i, rule) in rules.iter().enumerate() {
        if !active[i] {
            continue;
        }
        let attributes = rule.attributes();
        for t in &rule.meta().resource_types {
            buckets.entry(t.as_str()).or_default().push(i);
            let entry = wanted.entry(t.as_str()).or_insert_with(|| Some(Vec::new()));
            match (entry.as_mut(), &attributes) {
                (Some(list), Some(more)) => list.extend(more.iter().cloned()),
                _ => *entry = None,
            }
        }
        for (t, keys) in rule.related_attributes() {
            let entry = related_types.entry(t).or_insert_with(|| Some(Vec::new()));
            match (entry.as_mut(), keys) {
                (Some(list), Some(more)) => list.extend(more),
                _ => *entry = None,
            }
        }
    }

    if full_values {
        related_types.values_mut().for_each(|keys| *keys = None);
    }
    for list in wanted.values_mut().chain(related_types.values_mut()).flatten() {
        list.sort();
        list.dedup();
    }
    let related_index = match relations {
        Some(rel) if !related_types.is_empty() => Some(build_related(plan, rel, related_types)),
        _ => None,
    };

    struct PerChange {
        hits: Vec<(usize, Hit)>,
        evaluated: Vec<usize>,
        count: usize,
        issue: Option<ValueError>,
    }
    let record = options.record_evaluated;
    let per_change: Vec<(usize, PerChange)> = plan
        .resource_changes
        .par_iter()
        .enumerate()
        .filter_map(|(ci, change)| {
            let typed = buckets.get(type_key(change));
            // Rules for every managed resource (`resource_types: ["*"]`) join the type's own.
            let any_type = match change.mode {
                Mode::Managed => buckets.get(ANY_TYPE),
                _ => None,
            };
            if typed.is_none() && any_type.is_none() {
                return None;
            }
            let mut bucket: Vec<usize> = typed.into_iter().chain(any_type).flatten().copied().collect();
            if any_type.is_some() {
                bucket.sort_unstable();
                bucket.dedup();
            }
            let kind = change.action().kind();
            let applicable: Vec<usize> = bucket
                .iter()
                .copied()
                .filter(|&ri| match kind {
                    ActionKind::NoOp => judges_unchanged[ri],
                    _ => rules.by_index(ri).meta().actions.contains(&kind),
                })
                .collect();
            if applicable.is_empty() {
                return None;
            }
            let before = !change.action().has_after() || applicable.iter().any(|&ri| rules.by_index(ri).reads_before());
            let merged: Option<Vec<String>>;
            let keys = match (full_values, any_type.and(wanted.get(ANY_TYPE))) {
                (true, _) => None,
                (false, None) => wanted.get(type_key(change)).and_then(|k| k.as_deref()),
                (false, Some(any)) => {
                    merged = match (any, wanted.get(type_key(change))) {
                        (Some(a), Some(Some(own))) => {
                            let mut all: Vec<String> = a.iter().chain(own).cloned().collect();
                            all.sort();
                            all.dedup();
                            Some(all)
                        }
                        (Some(a), None) => Some(a.clone()),
                        _ => None,
                    };
                    merged.as_deref()
                }
            };
            let values = match parse_some_values(change, before, keys) {
                Ok(v) => v,
                Err(e) => {
                    // Fail closed: every rule that would have read the values says it
                    // cannot decide, rather than silently not running.
                    let hits = applicable
                        .iter()
                        .map(|&ri| {
                            (
                                ri,
                                Hit {
                                    status: Status::Unknown,
                                    path: Shown::constant(""),
                                    // The reason names a position and a JSON type, never a value.
                                    message: Shown::name(format!(
                                        "{UNREADABLE_VALUES}: {} (line {}, column {} of the plan)",
                                        e.reason, e.line, e.column
                                    )),
                                },
                            )
                        })
                        .collect();
                    return Some((
                        ci,
                        PerChange {
                            hits,
                            count: applicable.len(),
                            evaluated: if record { applicable } else { Vec::new() },
                            issue: Some(e),
                        },
                    ));
                }
            };
            let cx = Context {
                plan,
                change,
                values: &values,
                related: related_index.as_ref(),
                relations,
            };
            let mut hits = Vec::new();
            let mut buf = Vec::new();
            for &ri in &applicable {
                rules.by_index(ri).check(&cx, &mut buf);
                hits.extend(buf.drain(..).map(|h| (ri, h)));
            }
            Some((
                ci,
                PerChange {
                    hits,
                    count: applicable.len(),
                    evaluated: if record { applicable } else { Vec::new() },
                    issue: None,
                },
            ))
        })
        .collect();

    let mut findings = Vec::new();
    for (ci, pc) in per_change {
        let change = &plan.resource_changes[ci];
        evaluation.evaluated_count += pc.count;
        if let Some(error) = pc.issue {
            evaluation.value_issues.push(ValueIssue {
                resource: change.address.clone(),
                line: error.line,
                column: error.column,
                message: error.reason,
            });
        }
        if record && !pc.evaluated.is_empty() {
            let address: Arc<str> = Arc::from(change.address.as_str());
            for ri in pc.evaluated {
                evaluation.evaluated.push(Evaluated {
                    rule_id: rules.by_index(ri).meta().id.clone(),
                    resource: address.clone(),
                });
            }
        }
        for (ri, hit) in pc.hits {
            let meta = rules.by_index(ri).meta();
            findings.push(Finding {
                rule_id: meta.id.clone(),
                title: meta.title.clone(),
                severity: meta.severity,
                category: meta.category,
                status: hit.status,
                resource: change.address.clone(),
                resource_type: type_key(change).to_string(),
                module: change.module().to_string(),
                action: change.action(),
                path: hit.path,
                message: hit.message,
            });
        }
    }
    findings.sort_by(|a, b| {
        (a.severity, &a.rule_id, &a.resource, &a.path, a.status, &a.message).cmp(&(
            b.severity,
            &b.rule_id,
            &b.resource,
            &b.path,
            b.status,
            &b.message,
        ))
    });
    evaluation.evaluated.sort();

    let mut matched = vec![0usize; waivers.len()];
    for finding in findings {
        let mut hidden_by = None;
        for (wi, w) in waivers.iter().enumerate() {
            if w.matches(&finding.rule_id, &finding.resource) {
                matched[wi] += 1;
                if !w.expired && hidden_by.is_none() {
                    hidden_by = Some(wi);
                }
            }
        }
        match hidden_by {
            Some(wi) => evaluation.waived.push(WaivedFinding { finding, waiver: wi }),
            None => evaluation.findings.push(finding),
        }
    }
    evaluation.waivers = waivers
        .into_iter()
        .zip(matched)
        .map(|(w, matched)| WaiverOutcome {
            state: if w.expired {
                WaiverState::Expired
            } else if matched == 0 {
                WaiverState::Stale
            } else {
                WaiverState::Applied
            },
            waiver: w.waiver,
            matched,
        })
        .collect();
    Ok(evaluation)
}

/// Parses a change's values, keeping only the top-level attributes in `keys` when
/// given: skipping the rest without building it is most of what makes evaluation fast.
pub(crate) fn parse_some_values(
    change: &ResourceChange,
    before: bool,
    keys: Option<&[String]>,
) -> Result<ChangeValues, ValueError> {
    let Some(keys) = keys else {
        return parse_values(change, before);
    };
    let c = &change.change;
    let parse = |raw: &Option<planguard_plan::RawJson>| match raw {
        Some(r) => r.parse_seed(Filtered(keys)),
        None => Ok(serde_json::Value::Null),
    };
    Ok(ChangeValues {
        before: if before {
            parse(&c.before)?
        } else {
            serde_json::Value::Null
        },
        after: parse(&c.after)?,
        after_unknown: parse(&c.after_unknown)?,
        before_sensitive: if before {
            parse(&c.before_sensitive)?
        } else {
            serde_json::Value::Null
        },
        after_sensitive: parse(&c.after_sensitive)?,
    })
}

/// A JSON value whose top-level object keeps only some keys.
#[derive(Clone, Copy)]
struct Filtered<'k>(&'k [String]);

impl<'de> serde::de::DeserializeSeed<'de> for Filtered<'_> {
    type Value = serde_json::Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Filtered<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            // A handful of keys: comparing lengths first skips almost every byte comparison.
            if self.0.iter().any(|k| k.len() == key.len() && *k == *key) {
                out.insert(key.into_owned(), map.next_value::<serde_json::Value>()?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(serde_json::Value::Object(out))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Bool(v))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(serde_json::Value::String(v.to_string()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            out.push(v);
        }
        Ok(serde_json::Value::Array(out))
    }
}

/// Parses a change's values; the before-value (as large as the after-value for an update)
/// only when a rule reads it.
pub(crate) fn parse_values(change: &ResourceChange, before: bool) -> Result<ChangeValues, ValueError> {
    if before {
        return change.values();
    }
    fn parse(raw: &Option<planguard_plan::RawJson>) -> Result<serde_json::Value, ValueError> {
        match raw {
            Some(r) => r.parse(),
            None => Ok(serde_json::Value::Null),
        }
    }
    let c = &change.change;
    Ok(ChangeValues {
        after: parse(&c.after)?,
        after_unknown: parse(&c.after_unknown)?,
        after_sensitive: parse(&c.after_sensitive)?,
        ..ChangeValues::default()
    })
}

fn build_related<'p>(
    plan: &'p Plan,
    relations: &'p dyn Relations,
    types: HashMap<String, Option<Vec<String>>>,
) -> RelatedIndex<'p> {
    RelatedIndex::new(plan, relations, types)
}
