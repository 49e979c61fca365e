//! YAML rule files: the raw shape (strict: unknown fields are errors, with their line), and
//! its compilation into a [`YamlRule`] with precompiled paths, regexes and CIDRs.
//! `rules/README.md` documents the format.

use std::sync::Arc;

use planguard_plan::{shown, ActionKind, Shown};
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::{Location, Spanned};

use crate::cidr::Cidr;
use crate::cond::{eval, Cond, Op, OpName, Quantifier, Reach, RelatedCond, Scope, Source, Tri};
use crate::error::RuleError;
use crate::meta::{Category, Peers, RuleMeta, RuleSource, Severity, DEFAULT_ACTIONS};
use crate::path::{PathPattern, Trail};
use crate::rule::{Context, Hit, Rule, Status};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    title: String,
    #[serde(default)]
    summary: Option<String>,
    severity: Severity,
    category: Category,
    provider: String,
    resource_types: Spanned<Vec<String>>,
    #[serde(default)]
    actions: Option<Vec<ActionKind>>,
    description: String,
    remediation: String,
    #[serde(default)]
    remediation_snippet: Option<String>,
    #[serde(default)]
    example: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    benchmarks: Vec<String>,
    #[serde(default)]
    peers: Peers,
    when: Spanned<RawCond>,
    message: Spanned<String>,
    #[serde(default)]
    message_unknown: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCond {
    #[serde(default)]
    attribute: Option<String>,
    #[serde(default)]
    op: Option<OpName>,
    #[serde(default)]
    value: Option<Value>,
    #[serde(default, rename = "in")]
    source: Option<Source>,
    #[serde(default)]
    all: Option<Vec<Spanned<RawCond>>>,
    #[serde(default)]
    any: Option<Vec<Spanned<RawCond>>>,
    #[serde(default)]
    not: Option<Box<Spanned<RawCond>>>,
    #[serde(default)]
    some: Option<String>,
    #[serde(default)]
    every: Option<String>,
    #[serde(default)]
    json: Option<String>,
    #[serde(default, rename = "where")]
    where_: Option<Box<Spanned<RawCond>>>,
    #[serde(default)]
    related: Option<RawRelated>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelated {
    direction: Reach,
    types: Vec<String>,
    #[serde(default)]
    attribute: Option<String>,
    #[serde(default)]
    quantifier: Option<Quantifier>,
    #[serde(default, rename = "where")]
    where_: Option<Box<Spanned<RawCond>>>,
}

/// A rule read from a YAML file.
#[derive(Debug)]
pub struct YamlRule {
    pub(crate) meta: RuleMeta,
    pub(crate) when: Cond,
    pub(crate) message: Template,
    pub(crate) message_unknown: Option<Template>,
}

pub(crate) struct Ctx<'a> {
    pub(crate) file: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn invalid(&self, at: Location, message: impl Into<String>) -> RuleError {
        RuleError::Invalid {
            file: self.file.to_string(),
            line: at.line(),
            column: at.column(),
            message: message.into(),
        }
    }
}

/// Reads one rule file. `file` names it in errors (`builtin:aws/AWS-EC2-001.yaml` or a path).
pub(crate) fn parse_rule(file: &str, text: &str, source: RuleSource) -> Result<YamlRule, RuleError> {
    let raw: RawRule = serde_saphyr::from_str(text).map_err(|err| RuleError::yaml(file, &err))?;
    let cx = Ctx { file };
    let id = raw.id.value.clone();
    if !valid_id(&id) {
        return Err(cx.invalid(
            raw.id.referenced,
            "the rule id is not of the form PROVIDER-SERVICE-NNN (e.g. AWS-EC2-001)",
        ));
    }
    let stem = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = stem
        .strip_suffix(".yaml")
        .or_else(|| stem.strip_suffix(".yml"))
        .unwrap_or(stem);
    if stem != id {
        return Err(cx.invalid(
            raw.id.referenced,
            format!("rule id {id} doesn't match the file name: name the file {id}.yaml"),
        ));
    }
    for (name, text) in [
        ("title", &raw.title),
        ("description", &raw.description),
        ("remediation", &raw.remediation),
        ("provider", &raw.provider),
    ] {
        if text.trim().is_empty() {
            return Err(cx.invalid(raw.id.referenced, format!("`{name}` is empty")));
        }
    }
    if raw.resource_types.value.is_empty() {
        return Err(cx.invalid(raw.resource_types.referenced, "`resource_types` is empty"));
    }
    let when = compile(&cx, &raw.when)?;
    let message = Template::parse(&raw.message.value).map_err(|m| cx.invalid(raw.message.referenced, m))?;
    let message_unknown = match &raw.message_unknown {
        Some(m) => Some(Template::parse(&m.value).map_err(|e| cx.invalid(m.referenced, e))?),
        None => None,
    };
    let uses_graph = when.uses_graph();
    Ok(YamlRule {
        meta: RuleMeta {
            id: Arc::from(id.as_str()),
            title: raw.title.trim().to_string(),
            summary: raw.summary.map(|s| s.trim_end().to_string()),
            severity: raw.severity,
            category: raw.category,
            provider: raw.provider,
            resource_types: raw.resource_types.value,
            actions: raw.actions.unwrap_or_else(|| DEFAULT_ACTIONS.to_vec()),
            description: raw.description.trim_end().to_string(),
            remediation: raw.remediation.trim_end().to_string(),
            remediation_snippet: raw.remediation_snippet.map(|s| s.trim_end().to_string()),
            example: raw.example.map(|s| s.trim_end().to_string()),
            references: raw.references,
            benchmarks: raw.benchmarks,
            peers: raw.peers,
            uses_graph,
            source: match source {
                RuleSource::Builtin { path, .. } => RuleSource::Builtin {
                    path,
                    line: raw.id.referenced.line(),
                    column: raw.id.referenced.column(),
                },
                RuleSource::File { path, .. } => RuleSource::File {
                    path,
                    line: raw.id.referenced.line(),
                    column: raw.id.referenced.column(),
                },
                other => other,
            },
        },
        when,
        message,
        message_unknown,
    })
}

/// The first line of a regex error: the rest repeats the pattern, which is input text.
fn first_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or("the pattern does not compile")
}

/// `AWS-EC2-001`, `AZURE-STORAGE-012`, `GCP-IAM-003`, `CUSTOM-S3-001`.
pub(crate) fn valid_id(id: &str) -> bool {
    let parts: Vec<&str> = id.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        && parts[0].starts_with(|c: char| c.is_ascii_uppercase())
        && parts[parts.len() - 1].len() == 3
        && parts[parts.len() - 1].chars().all(|c| c.is_ascii_digit())
}

fn path(cx: &Ctx<'_>, at: Location, text: &str) -> Result<PathPattern, RuleError> {
    PathPattern::parse(text).map_err(|m| cx.invalid(at, m))
}

fn compile(cx: &Ctx<'_>, node: &Spanned<RawCond>) -> Result<Cond, RuleError> {
    let at = node.referenced;
    let raw = &node.value;
    let kinds: Vec<&str> = [
        ("attribute", raw.attribute.is_some()),
        ("all", raw.all.is_some()),
        ("any", raw.any.is_some()),
        ("not", raw.not.is_some()),
        ("some", raw.some.is_some()),
        ("every", raw.every.is_some()),
        ("json", raw.json.is_some()),
        ("related", raw.related.is_some()),
    ]
    .into_iter()
    .filter_map(|(k, on)| on.then_some(k))
    .collect();
    let kind = match kinds.as_slice() {
        [one] => *one,
        [] => {
            return Err(cx.invalid(
                at,
                "empty condition: expected one of attribute/op, all, any, not, some/where, every/where, json/where, related",
            ))
        }
        many => {
            return Err(cx.invalid(
                at,
                format!(
                    "a condition node has exactly one kind, found {}: wrap them in `all:` or `any:`",
                    many.join(" and ")
                ),
            ))
        }
    };
    let extra = |allowed: &[&str]| -> Result<(), RuleError> {
        for (name, present) in [
            ("op", raw.op.is_some()),
            ("value", raw.value.is_some()),
            ("where", raw.where_.is_some()),
            ("in", raw.source.is_some()),
        ] {
            if present && !allowed.contains(&name) {
                return Err(cx.invalid(at, format!("`{name}` doesn't belong in a `{kind}` condition")));
            }
        }
        Ok(())
    };
    let sub = |w: &Option<Box<Spanned<RawCond>>>| -> Result<Box<Cond>, RuleError> {
        match w {
            Some(w) => Ok(Box::new(compile(cx, w)?)),
            None => Ok(Box::new(Cond::Const(true))),
        }
    };
    Ok(match kind {
        "attribute" => {
            extra(&["op", "value", "in"])?;
            let p = path(cx, at, raw.attribute.as_deref().unwrap_or_default())?;
            let Some(op) = raw.op else {
                return Err(cx.invalid(at, "an `attribute` condition needs an `op`"));
            };
            let reads_written = matches!(op, OpName::IsWritten | OpName::NotWritten);
            if reads_written && raw.source.is_some() {
                return Err(cx.invalid(
                    at,
                    "`is_written` and `not_written` read the configuration block; they take no `in`",
                ));
            }
            let unwritten = op == OpName::NotWritten;
            let (mut op, mut negated) = compile_op(cx, at, op, raw.value.as_ref())?;
            if unwritten {
                if let Some((crate::path::Seg::Key(key), blocks)) = p.segs.split_last() {
                    if blocks.contains(&crate::path::Seg::Any) {
                        let blocks = crate::path::PathPattern::from_segs(blocks.to_vec());
                        op = Op::Unwritten {
                            blocks,
                            key: key.clone(),
                        };
                        negated = false;
                    }
                }
            }
            Cond::Leaf {
                path: p,
                op,
                negated,
                source: if reads_written {
                    Source::Written
                } else {
                    raw.source.unwrap_or_default()
                },
            }
        }
        "all" | "any" => {
            extra(&[])?;
            let list = if kind == "all" { &raw.all } else { &raw.any };
            let children = list
                .iter()
                .flatten()
                .map(|c| compile(cx, c))
                .collect::<Result<Vec<_>, _>>()?;
            if children.is_empty() {
                return Err(cx.invalid(at, format!("`{kind}` needs at least one condition")));
            }
            if kind == "all" {
                Cond::All(children)
            } else {
                Cond::Any(children)
            }
        }
        "not" => {
            extra(&[])?;
            Cond::Not(sub(&raw.not)?)
        }
        "some" | "every" | "json" => {
            extra(&["where"])?;
            if raw.where_.is_none() && kind != "some" {
                return Err(cx.invalid(at, format!("`{kind}` needs a `where` condition")));
            }
            let text = match kind {
                "some" => raw.some.as_deref(),
                "every" => raw.every.as_deref(),
                _ => raw.json.as_deref(),
            }
            .unwrap_or_default();
            let p = path(cx, at, text)?;
            let cond = sub(&raw.where_)?;
            match kind {
                "some" => Cond::Some {
                    path: p.elements(),
                    cond,
                },
                "every" => Cond::Every {
                    path: p.elements(),
                    cond,
                },
                _ => Cond::Json { path: p, cond },
            }
        }
        _ => {
            extra(&[])?;
            let Some(rel) = &raw.related else {
                return Err(cx.invalid(at, "missing `related`"));
            };
            if rel.types.is_empty() {
                return Err(cx.invalid(at, "`related.types` is empty"));
            }
            if rel.direction == Reach::Plan && rel.attribute.is_some() {
                return Err(cx.invalid(
                    at,
                    "`related.attribute` names the referencing argument, which `direction: plan` does not follow",
                ));
            }
            Cond::Related(Box::new(RelatedCond {
                direction: rel.direction,
                types: rel.types.clone(),
                attribute: rel.attribute.clone(),
                quantifier: rel.quantifier.unwrap_or(Quantifier::Some),
                cond: *sub(&rel.where_)?,
            }))
        }
    })
}

pub(crate) fn compile_op(
    cx: &Ctx<'_>,
    at: Location,
    name: OpName,
    value: Option<&Value>,
) -> Result<(Op, bool), RuleError> {
    use OpName::*;
    let needs_value = !matches!(
        name,
        Exists | NotExists | IsTrue | IsFalse | IsEmpty | NotEmpty | IsPublicCidr | IsWritten | NotWritten
    );
    let label = serde_json::to_value(NameOf(name))
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match (needs_value, value) {
        (true, None) => return Err(cx.invalid(at, format!("operator `{label}` needs a `value`"))),
        (false, Some(_)) => return Err(cx.invalid(at, format!("operator `{label}` takes no `value`"))),
        _ => {}
    }
    let v = value.cloned().unwrap_or(Value::Null);
    let number = |v: &Value| {
        v.as_f64()
            .ok_or_else(|| cx.invalid(at, format!("operator `{label}` needs a number, got {v}")))
    };
    let string = |v: &Value| {
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| cx.invalid(at, format!("operator `{label}` needs a string, got {v}")))
    };
    let regex = |v: &Value| -> Result<Op, RuleError> {
        let text = string(v)?;
        regex::Regex::new(&text)
            .map(Op::Regex)
            .map_err(|e| cx.invalid(at, format!("invalid regex: {}", first_line(&e.to_string()))))
    };
    let length = |v: &Value| {
        v.as_u64()
            .ok_or_else(|| cx.invalid(at, format!("operator `{label}` needs a whole number ≥ 0, got {v}")))
    };
    let list = |v: &Value| match v {
        Value::Array(items) => Ok(items.clone()),
        other => Err(cx.invalid(at, format!("operator `{label}` needs a list, got {other}"))),
    };
    use std::cmp::Ordering::{Equal, Greater, Less};
    Ok(match name {
        Equals => (Op::Equals(v), false),
        NotEquals => (Op::Equals(v), true),
        Exists => (Op::Exists, false),
        NotExists => (Op::Exists, true),
        IsTrue => (Op::IsTrue, false),
        IsFalse => (Op::IsFalse, false),
        IsEmpty => (Op::IsEmpty, false),
        NotEmpty => (Op::IsEmpty, true),
        Contains => (Op::Contains(v), false),
        NotContains => (Op::Contains(v), true),
        Regex => (regex(&v)?, false),
        NotRegex => (regex(&v)?, true),
        OneOf => (Op::OneOf(list(&v)?), false),
        NotOneOf => (Op::OneOf(list(&v)?), true),
        GreaterThan => (Op::Compare(Greater, false, number(&v)?), false),
        GreaterOrEqual => (Op::Compare(Greater, true, number(&v)?), false),
        LessThan => (Op::Compare(Less, false, number(&v)?), false),
        LessOrEqual => (Op::Compare(Less, true, number(&v)?), false),
        IsPublicCidr => (Op::IsPublicCidr, false),
        // Read from the configuration's set arguments (`Source::Written`), where a set
        // argument exists and an unset one doesn't.
        IsWritten => (Op::Exists, false),
        NotWritten => (Op::Exists, true),
        CidrContains => {
            let text = string(&v)?;
            let cidr = Cidr::parse(&text).ok_or_else(|| cx.invalid(at, "not an IP address or CIDR block"))?;
            (Op::CidrContains(cidr), false)
        }
        StartsWith => (Op::StartsWith(string(&v)?), false),
        NotStartsWith => (Op::StartsWith(string(&v)?), true),
        EndsWith => (Op::EndsWith(string(&v)?), false),
        NotEndsWith => (Op::EndsWith(string(&v)?), true),
        LengthEquals => (Op::Length(Equal, false, length(&v)?, false), false),
        LengthNotEquals => (Op::Length(Equal, false, length(&v)?, false), true),
        LengthGreaterThan => (Op::Length(Greater, false, length(&v)?, false), false),
        LengthGreaterOrEqual => (Op::Length(Greater, true, length(&v)?, false), false),
        LengthLessThan => (Op::Length(Less, false, length(&v)?, false), false),
        LengthLessOrEqual => (Op::Length(Less, true, length(&v)?, false), false),
        Subset => (Op::Subset(list(&v)?), false),
        NotSubset => (Op::Subset(list(&v)?), true),
        Intersects => (Op::Intersects(list(&v)?), false),
        NotIntersects => (Op::Intersects(list(&v)?), true),
    })
}

/// Serializes an operator name back to its YAML spelling, for messages.
struct NameOf(OpName);

impl serde::Serialize for NameOf {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let name = format!("{:?}", self.0);
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        }
        s.serialize_str(&out)
    }
}

/// A message with `{value}`, `{path}`, `{related}`, `{address}`, `{type}` and `{title}`
/// placeholders.
#[derive(Debug, Clone)]
pub(crate) struct Template(Vec<Piece>);

#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Value,
    Path,
    Related,
    Address,
    Type,
    Title,
    /// What decided, in words: `PATH is VALUE`, or the linked resource for a condition on
    /// the graph (translated Checkov policies; no placeholder names it).
    Decision,
}

impl Template {
    /// `prefix` followed by what decided the finding (see [`Piece::Decision`]).
    pub(crate) fn decision(prefix: &str) -> Template {
        Template(vec![Piece::Text(prefix.to_string()), Piece::Decision])
    }

    pub(crate) fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text.trim();
        while let Some(start) = rest.find('{') {
            if start > 0 {
                pieces.push(Piece::Text(rest[..start].to_string()));
            }
            let end = rest[start..]
                .find('}')
                .ok_or_else(|| "the message has an unclosed '{'".to_string())?;
            let name = &rest[start + 1..start + end];
            pieces.push(match name {
                "value" => Piece::Value,
                "path" => Piece::Path,
                "related" => Piece::Related,
                "address" => Piece::Address,
                "type" => Piece::Type,
                "title" => Piece::Title,
                other => {
                    return Err(format!(
                        "message: unknown placeholder {{{other}}}; known: {{value}} {{path}} {{related}} {{address}} {{type}} {{title}}"
                    ))
                }
            });
            rest = &rest[start + end + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Template(pieces))
    }

    /// The message. `{value}` is a [`Shown`] the sensitivity overlay made (see
    /// [`crate::cond::Witness`]); the rest is the rule's own text and names.
    fn render(&self, meta: &RuleMeta, cx: &Context<'_>, path: &Shown, value: &Shown, related: Option<&Shown>) -> Shown {
        let mut out = Shown::default();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push(&Shown::name(t.as_str())),
                Piece::Value => out.push(&value.shortened(120)),
                Piece::Path if path.is_empty() => out.push(&Shown::constant("(resource)")),
                Piece::Path => out.push(path),
                Piece::Related => out.push(related.unwrap_or(&Shown::constant("(none)"))),
                Piece::Address => out.push(&Shown::name(cx.change.address.as_str())),
                Piece::Type => out.push(&Shown::name(cx.change.resource_type.as_str())),
                Piece::Title => out.push(&Shown::name(meta.title.as_str())),
                Piece::Decision => match related {
                    _ if !path.is_empty() => out.push(&shown!("{} is {}", path, value.shortened(120))),
                    Some(r) => out.push(&shown!("linked to {}", r)),
                    None => out.push(&Shown::constant("linked to no resource of the connected types")),
                },
            }
        }
        out
    }
}

impl Rule for YamlRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Hit>) {
        let scope = Scope::new(cx.plan, cx.change, cx.values, cx.related, 0);
        let truth = eval(&self.when, cx.subject(), &mut Trail::new(false), &scope).0;
        if truth == Tri::False {
            return;
        }
        // Only failing or undecided resources pay for the witness (path and value).
        let (truth, witness) = eval(&self.when, cx.subject(), &mut Trail::new(true), &scope);
        let mut witness = witness.unwrap_or_default();
        // A secret is never printed, whatever the message says.
        if self.meta.category == Category::Secrets {
            witness.value = Shown::constant("(redacted)");
        }
        let (status, message) = match truth {
            Tri::True => (
                Status::Fail,
                self.message
                    .render(&self.meta, cx, &witness.path, &witness.value, witness.related.as_ref()),
            ),
            Tri::Unknown => (
                Status::Unknown,
                match &self.message_unknown {
                    Some(t) => t.render(&self.meta, cx, &witness.path, &witness.value, witness.related.as_ref()),
                    None => shown!(
                        "cannot tell before apply: {} ({} is {})",
                        Shown::name(self.meta.title.to_lowercase()),
                        if witness.path.is_empty() {
                            Shown::constant("a value")
                        } else {
                            witness.path.clone()
                        },
                        witness.value
                    ),
                },
            ),
            Tri::False => return,
        };
        out.push(Hit {
            status,
            path: witness.path,
            message,
        });
    }

    fn reads_before(&self) -> bool {
        self.when.reads_before()
    }

    fn attributes(&self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        if !self.when.top_attributes(&mut out) {
            return None;
        }
        out.sort();
        out.dedup();
        Some(out)
    }

    fn related_attributes(&self) -> Vec<(String, Option<Vec<String>>)> {
        let mut reads = std::collections::HashMap::new();
        self.when.related_reads(&mut reads);
        let mut out: Vec<(String, Option<Vec<String>>)> = reads.into_iter().collect();
        out.sort();
        out
    }

    fn related_types(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.when.related_types(&mut out);
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in [
            "AWS-EC2-001",
            "AZURE-STORAGE-012",
            "GCP-IAM-003",
            "ACME-S3-100",
            "AWS-EC2X-001",
        ] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in [
            "aws-ec2-001",
            "AWS-EC2-1",
            "AWS-001",
            "AWS--001",
            "AWS-EC2-0001",
            "AWS-EC2-00a",
        ] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
