//! Checkov YAML custom policies (`metadata` + `definition`), translated into ordinary rules
//! of the engine so their findings go through skips, waivers, baselines, guardrails and
//! every report like built-in rules. `docs/checkov-policies.md` lists each construct and its
//! translation.
//!
//! A Checkov policy describes the compliant state; the translated rule fires when it does
//! not hold. Where Checkov reads a value the plan knows only after apply as a pass or a
//! failure, the rule says `unknown`. What cannot be translated faithfully is an error naming
//! the file, line and construct, never a policy silently left out.

use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::{Location, Spanned};

use crate::cond::Reach;
use crate::cond::{Cond, Op, Quantifier, RelatedCond, Source, Tri};
use crate::error::RuleError;
use crate::eval::ANY_TYPE;
use crate::meta::{Category, Peers, RuleMeta, RuleSource, Severity, DEFAULT_ACTIONS};
use crate::path::{PathPattern, Seg};
use crate::yaml::{Ctx, Template, YamlRule};

/// The severity of a policy whose metadata has none. Checkov fails a check whatever its
/// severity, so a policy without one fails planguard's default guardrail (high and above).
pub const DEFAULT_SEVERITY: Severity = Severity::High;

/// Just enough of a YAML document to tell a Checkov policy from a planguard rule.
#[derive(Deserialize)]
struct Probe {
    #[serde(default)]
    metadata: Option<de::IgnoredAny>,
    #[serde(default)]
    definition: Option<de::IgnoredAny>,
}

/// True when `text` is shaped like a Checkov custom policy: a mapping with `metadata` and
/// `definition`. Text that isn't a YAML mapping is not (the rule parser reports it).
pub(crate) fn is_checkov_policy(text: &str) -> bool {
    match serde_saphyr::from_str::<Probe>(text) {
        Ok(p) => p.metadata.is_some() && p.definition.is_some(),
        // Malformed YAML: a policy's top-level keys still show, so that its syntax error is
        // reported as such rather than as unknown keys of a planguard rule.
        Err(_) => {
            let top = |key: &str| {
                text.lines()
                    .any(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
            };
            top("metadata") && top("definition")
        }
    }
}

/// True when JSON text is meant as a Checkov policy: it names both top-level keys (checked
/// on the text, so that a malformed policy is reported rather than passed over).
pub(crate) fn is_json_checkov_policy(text: &str) -> bool {
    match serde_json::from_str::<serde_json::Map<String, Value>>(text) {
        Ok(map) => map.contains_key("metadata") && map.contains_key("definition"),
        Err(_) => text.contains("\"metadata\"") && text.contains("\"definition\""),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    metadata: RawMetadata,
    definition: Spanned<RawCond>,
    /// Checkov's provider scope only matters for `resource_types: taggable`, refused below.
    #[serde(default, rename = "scope")]
    _scope: Option<de::IgnoredAny>,
}

/// Descriptive keys beyond these (Checkov tolerates any) change nothing and are ignored.
#[derive(Debug, Deserialize)]
struct RawMetadata {
    id: Spanned<String>,
    name: Spanned<String>,
    category: Spanned<String>,
    #[serde(default)]
    severity: Option<Spanned<String>>,
    #[serde(default)]
    guideline: Option<String>,
    #[serde(default)]
    frameworks: Option<Spanned<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCond {
    #[serde(default)]
    cond_type: Option<Spanned<String>>,
    #[serde(default)]
    resource_types: Option<Spanned<RawTypes>>,
    #[serde(default)]
    connected_resource_types: Option<Spanned<RawTypes>>,
    #[serde(default)]
    attribute: Option<Spanned<String>>,
    #[serde(default)]
    operator: Option<Spanned<String>>,
    #[serde(default)]
    value: Option<Value>,
    #[serde(default)]
    and: Option<Spanned<Children>>,
    #[serde(default)]
    or: Option<Spanned<Children>>,
    #[serde(default)]
    not: Option<Spanned<Children>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawTypes {
    One(String),
    Many(Vec<String>),
}

/// The children of `and` / `or` / `not`: a list, or (as Checkov allows) one mapping.
#[derive(Debug)]
enum Children {
    Many(Vec<Spanned<RawCond>>),
    One(Box<RawCond>),
}

impl<'de> Deserialize<'de> for Children {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ChildrenVisitor;
        impl<'de> Visitor<'de> for ChildrenVisitor {
            type Value = Children;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of conditions or one condition")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Children, A::Error> {
                let mut out = Vec::new();
                while let Some(c) = seq.next_element::<Spanned<RawCond>>()? {
                    out.push(c);
                }
                Ok(Children::Many(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Children, A::Error> {
                let one = RawCond::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Children::One(Box::new(one)))
            }
        }
        deserializer.deserialize_any(ChildrenVisitor)
    }
}

/// Resource types: a list, or every managed resource.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Types {
    All,
    Only(Vec<String>),
}

impl Types {
    fn union(&mut self, other: &Types) {
        match (&mut *self, other) {
            (Types::All, _) => {}
            (_, Types::All) => *self = Types::All,
            (Types::Only(a), Types::Only(b)) => {
                a.extend(b.iter().cloned());
                a.sort();
                a.dedup();
            }
        }
    }

    /// The condition "the resource in scope is of one of these types".
    fn is(&self) -> Cond {
        match self {
            Types::All => Cond::Const(true),
            Types::Only(list) => Cond::ResourceType(list.clone()),
        }
    }

    fn without(&self, other: &Types) -> Types {
        match (self, other) {
            (_, Types::All) => Types::Only(Vec::new()),
            (Types::All, _) => Types::All,
            (Types::Only(a), Types::Only(b)) => Types::Only(a.iter().filter(|t| !b.contains(t)).cloned().collect()),
        }
    }
}

/// A translated node of a definition.
enum Node {
    /// An attribute condition or an and/or/not of them: true, false or unknown on a
    /// resource of its types, false on others (as Checkov's attribute solvers are).
    Attr { cond: Cond, types: Types },
    /// `cond_type: connection` between `from` and `to`.
    Connection { from: Types, to: Types, exists: bool },
    /// `cond_type: filter` on the resource type.
    Filter { types: Vec<String> },
}

/// Every operator name Checkov 3 knows (attribute, connection and filter operators), so that
/// errors can name the operator without quoting input text: a name not in this list is
/// reported as unknown.
const CHECKOV_OPERATORS: &[&str] = &[
    "equals",
    "not_equals",
    "regex_match",
    "not_regex_match",
    "exists",
    "any",
    "contains",
    "not_exists",
    "within",
    "not_within",
    "not_contains",
    "starting_with",
    "not_starting_with",
    "ending_with",
    "not_ending_with",
    "greater_than",
    "greater_than_or_equal",
    "less_than",
    "less_than_or_equal",
    "subset",
    "not_subset",
    "is_empty",
    "is_not_empty",
    "length_equals",
    "length_not_equals",
    "length_greater_than",
    "length_greater_than_or_equal",
    "length_less_than",
    "length_less_than_or_equal",
    "is_true",
    "is_false",
    "intersects",
    "not_intersects",
    "equals_ignore_case",
    "not_equals_ignore_case",
    "range_includes",
    "range_not_includes",
    "number_of_words_equals",
    "number_of_words_not_equals",
    "number_of_words_greater_than",
    "number_of_words_greater_than_or_equal",
    "number_of_words_less_than_or_equal",
    "number_of_words_less_than",
    "cidr_range_subset",
    "cidr_range_not_subset",
    "one_exists",
];

/// Checkov's name for an operator, when it is one (`jsonpath_` variants included).
fn known_operator(name: &str) -> Option<String> {
    let (prefix, base) = match name.strip_prefix("jsonpath_") {
        Some(rest) => ("jsonpath_", rest),
        None => ("", name),
    };
    CHECKOV_OPERATORS
        .iter()
        .find(|k| **k == base)
        .map(|k| format!("{prefix}{k}"))
}

/// How an operator is named in an error: Checkov's name, or "an unknown operator".
fn operator_label(name: &str) -> String {
    match known_operator(name) {
        Some(k) => format!("operator `{k}`"),
        None => "an operator Checkov doesn't have".to_string(),
    }
}

struct Translator<'a> {
    cx: Ctx<'a>,
}

/// Reads a Checkov policy file into a rule. `file` names it in errors and findings.
pub(crate) fn parse_policy(file: &str, text: &str) -> Result<YamlRule, RuleError> {
    let raw: RawPolicy = serde_saphyr::from_str(text).map_err(|err| RuleError::yaml(file, &err))?;
    let tr = Translator { cx: Ctx { file } };
    let meta = &raw.metadata;
    let id = meta.id.value.trim().to_string();
    if id.is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(tr
            .cx
            .invalid(meta.id.referenced, "`metadata.id` is empty or contains spaces"));
    }
    if meta.name.value.trim().is_empty() {
        return Err(tr.cx.invalid(meta.name.referenced, "`metadata.name` is empty"));
    }
    if let Some(frameworks) = &meta.frameworks {
        let runs_here = frameworks
            .value
            .iter()
            .any(|f| ["terraform", "terraform_plan", "all"].contains(&f.to_ascii_lowercase().as_str()));
        if !runs_here {
            return Err(tr.cx.invalid(
                frameworks.referenced,
                "`metadata.frameworks` names no Terraform framework (terraform, terraform_plan): the policy would not run on a plan",
            ));
        }
    }
    let severity = match &meta.severity {
        None => DEFAULT_SEVERITY,
        Some(s) => match s.value.trim().to_ascii_lowercase().as_str() {
            "critical" => Severity::Critical,
            "high" => Severity::High,
            "medium" => Severity::Medium,
            "low" => Severity::Low,
            "info" | "informational" | "none" => Severity::Info,
            _ => {
                return Err(tr.cx.invalid(
                    s.referenced,
                    "unknown `metadata.severity`: expected CRITICAL, HIGH, MEDIUM, LOW or INFO",
                ))
            }
        },
    };
    let category = category_of(&meta.category.value);

    let (when, types) = tr.definition(&raw.definition)?;
    let resource_types = match types {
        Types::All => vec![ANY_TYPE.to_string()],
        Types::Only(list) if list.is_empty() => {
            return Err(tr.cx.invalid(
                raw.definition.referenced,
                "the definition applies to no resource type (filters exclude every type it names)",
            ))
        }
        Types::Only(list) => list,
    };
    let provider = provider_of(&resource_types);
    let title = meta.name.value.trim().to_string();
    let message = Template::decision("policy not satisfied: ");
    let message_unknown = Template::decision("cannot tell before apply: ");
    let uses_graph = when.uses_graph();
    let (line, column) = (meta.id.referenced.line(), meta.id.referenced.column());
    Ok(YamlRule {
        meta: RuleMeta {
            id: Arc::from(id.as_str()),
            title,
            summary: Some(format!(
                "Checkov custom policy {id} (category {}), translated by planguard.",
                meta.category.value.trim()
            )),
            severity,
            category,
            provider,
            resource_types,
            actions: DEFAULT_ACTIONS.to_vec(),
            description: format!("Checkov custom policy {id}, read from {file} (line {line})."),
            remediation: match &meta.guideline {
                Some(g) if !g.trim().is_empty() => format!("See the policy's guideline: {}", g.trim()),
                _ => "Change the resource so that it satisfies the policy's definition.".to_string(),
            },
            remediation_snippet: None,
            example: None,
            references: meta.guideline.iter().map(|g| g.trim().to_string()).collect(),
            benchmarks: Vec::new(),
            peers: Peers::default(),
            uses_graph,
            source: RuleSource::File {
                path: file.to_string(),
                line,
                column,
            },
        },
        when: Cond::Not(Box::new(when)),
        message,
        message_unknown: Some(message_unknown),
    })
}

/// Checkov's categories onto planguard's; others (CONVENTION, GENERAL_SECURITY, ...) are
/// `general`. The original name stays in the rule's summary.
fn category_of(name: &str) -> Category {
    match name.trim().to_ascii_uppercase().as_str() {
        "NETWORKING" => Category::NetworkExposure,
        "IAM" => Category::Iam,
        "LOGGING" => Category::Logging,
        "ENCRYPTION" => Category::Encryption,
        "BACKUP_AND_RECOVERY" => Category::DataProtection,
        "SECRETS" => Category::Secrets,
        _ => Category::General,
    }
}

/// `aws` for `aws_s3_bucket`; `custom` when the types disagree or are all of them.
fn provider_of(types: &[String]) -> String {
    let mut providers: Vec<&str> = types
        .iter()
        .map(|t| t.trim_start_matches("data.").split('_').next().unwrap_or_default())
        .collect();
    providers.sort();
    providers.dedup();
    match providers.as_slice() {
        [one] if !one.is_empty() && *one != ANY_TYPE => one.to_string(),
        _ => "custom".to_string(),
    }
}

impl Translator<'_> {
    fn err(&self, at: Location, message: impl Into<String>) -> RuleError {
        self.cx.invalid(at, message)
    }

    /// The whole definition: its condition (true when the policy holds) and the types the
    /// rule judges.
    fn definition(&self, def: &Spanned<RawCond>) -> Result<(Cond, Types), RuleError> {
        let at = def.referenced;
        match self.node(&def.value, at, true)? {
            Node::Attr { cond, types } => Ok((cond, types)),
            Node::Connection { from, to, exists } => {
                let mut types = from.clone();
                types.union(&to);
                Ok((connected(&from, &to, exists, None), types))
            }
            Node::Filter { .. } => Err(self.err(
                at,
                "a `filter` condition alone selects resources but checks nothing: put it in an `and` with the checks",
            )),
        }
    }

    fn children<'c>(&self, c: &'c Spanned<Children>) -> Vec<(&'c RawCond, Location)> {
        match &c.value {
            Children::Many(list) => list.iter().map(|s| (&s.value, s.referenced)).collect(),
            Children::One(one) => vec![(one.as_ref(), c.referenced)],
        }
    }

    fn node(&self, raw: &RawCond, at: Location, top: bool) -> Result<Node, RuleError> {
        let complex: Vec<(&str, &Spanned<Children>)> = [("and", &raw.and), ("or", &raw.or), ("not", &raw.not)]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
            .collect();
        match complex.as_slice() {
            [] => self.simple(raw, at),
            [(op, children)] => {
                if raw.cond_type.is_some() || raw.attribute.is_some() || raw.operator.is_some() {
                    return Err(self.err(
                        at,
                        format!("`{op}` is combined with `cond_type`/`attribute`/`operator` in one mapping: put the condition inside the `{op}` list"),
                    ));
                }
                self.complex(op, children, top)
            }
            many => Err(self.err(
                at,
                format!(
                    "one mapping holds {}: Checkov would use only the first; nest them",
                    many.iter()
                        .map(|(k, _)| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            )),
        }
    }

    fn complex(&self, op: &str, children: &Spanned<Children>, top: bool) -> Result<Node, RuleError> {
        let at = children.referenced;
        let list = self.children(children);
        if list.is_empty() {
            return Err(self.err(at, format!("`{op}` has no conditions")));
        }
        if op == "not" && list.len() != 1 {
            return Err(self.err(at, "`not` takes exactly one condition"));
        }
        let mut nodes = Vec::new();
        for (child, child_at) in &list {
            let node = self.node(child, *child_at, false)?;
            if matches!(node, Node::Filter { .. }) && !(top && op == "and") {
                return Err(self.err(
                    *child_at,
                    "planguard supports `filter` only as a direct child of the top-level `and` (where Checkov documents it)",
                ));
            }
            if matches!(node, Node::Connection { .. }) && !(top && op != "not") {
                return Err(self.err(
                    *child_at,
                    "planguard supports `connection` conditions only as the whole definition or a direct child of the top-level `and`/`or`",
                ));
            }
            nodes.push(node);
        }
        let has_connection = nodes.iter().any(|n| matches!(n, Node::Connection { .. }));
        let filters: Vec<Vec<String>> = nodes
            .iter()
            .filter_map(|n| match n {
                Node::Filter { types } => Some(types.clone()),
                _ => None,
            })
            .collect();
        let mut types: Option<Types> = None;
        let mut add = |t: &Types| match &mut types {
            Some(acc) => acc.union(t),
            None => types = Some(t.clone()),
        };
        for n in &nodes {
            match n {
                Node::Attr { types, .. } => add(types),
                Node::Connection { from, to, .. } => {
                    add(from);
                    add(to);
                }
                Node::Filter { .. } => {}
            }
        }
        let mut types = types.ok_or_else(|| self.err(at, format!("`{op}` holds only filters: it checks nothing")))?;
        // Filters narrow which resources the policy reports on.
        for allowed in &filters {
            types = match types {
                Types::All => Types::Only(allowed.clone()),
                Types::Only(list) => Types::Only(list.into_iter().filter(|t| allowed.contains(t)).collect()),
            };
        }
        let cond = if has_connection {
            complex_connection(op, &nodes)
        } else {
            let conds: Vec<Cond> = nodes
                .into_iter()
                .map(|n| match n {
                    Node::Attr { cond, .. } => cond,
                    Node::Filter { types } => Cond::ResourceType(types),
                    Node::Connection { .. } => Cond::Const(false),
                })
                .collect();
            match op {
                "and" => Cond::All(conds),
                "or" => Cond::Any(conds),
                _ => Cond::Not(Box::new(conds.into_iter().next().unwrap_or(Cond::Const(false)))),
            }
        };
        Ok(Node::Attr { cond, types })
    }

    fn types(&self, raw: &Option<Spanned<RawTypes>>, what: &str) -> Result<Types, RuleError> {
        let Some(t) = raw else {
            return Ok(Types::All);
        };
        let list = match &t.value {
            RawTypes::One(one) => vec![one.clone()],
            RawTypes::Many(many) => many.clone(),
        };
        if list.is_empty() || list.iter().any(|x| x.eq_ignore_ascii_case("all")) {
            return Ok(Types::All);
        }
        if let Some(bad) = list
            .iter()
            .find(|x| x.eq_ignore_ascii_case("taggable") || x.eq_ignore_ascii_case("provider"))
        {
            return Err(self.err(
                t.referenced,
                format!(
                    "`{what}: {}` is not supported by planguard: list the resource types",
                    bad.to_ascii_lowercase()
                ),
            ));
        }
        let mut list = list;
        list.sort();
        list.dedup();
        Ok(Types::Only(list))
    }

    fn simple(&self, raw: &RawCond, at: Location) -> Result<Node, RuleError> {
        let Some(cond_type) = &raw.cond_type else {
            return Err(self.err(
                at,
                "a condition needs `cond_type` (attribute, connection or filter) or `and`/`or`/`not`",
            ));
        };
        let Some(operator) = &raw.operator else {
            return Err(self.err(at, "a condition needs an `operator`"));
        };
        let op_at = operator.referenced;
        let op_name = operator.value.trim();
        match cond_type.value.trim() {
            "attribute" => {
                if raw.connected_resource_types.is_some() {
                    return Err(self.err(at, "`connected_resource_types` belongs in a `connection` condition"));
                }
                let types = self.types(&raw.resource_types, "resource_types")?;
                let Some(attribute) = &raw.attribute else {
                    return Err(self.err(at, "an `attribute` condition needs an `attribute`"));
                };
                let cond = self.attribute(attribute, op_name, op_at, raw.value.as_ref())?;
                // Like Checkov's attribute solvers, false on resources of other types.
                let cond = match &types {
                    Types::All => cond,
                    t => Cond::All(vec![t.is(), cond]),
                };
                Ok(Node::Attr { cond, types })
            }
            "connection" => {
                if raw.attribute.is_some() || raw.value.is_some() {
                    return Err(self.err(at, "a `connection` condition takes no `attribute` or `value`"));
                }
                let exists = match op_name {
                    "exists" => true,
                    "not_exists" => false,
                    other => {
                        return Err(self.err(
                            op_at,
                            format!(
                                "connection {} is not supported by planguard (supported: exists, not_exists)",
                                operator_label(other)
                            ),
                        ))
                    }
                };
                let from = self.types(&raw.resource_types, "resource_types")?;
                let Some(to_raw) = &raw.connected_resource_types else {
                    return Err(self.err(at, "a `connection` condition needs `connected_resource_types`"));
                };
                let to = self.types(&raw.connected_resource_types, "connected_resource_types")?;
                if from == Types::All || to == Types::All {
                    return Err(self.err(
                        to_raw.referenced,
                        "a `connection` between all resource types is not supported by planguard: list the types",
                    ));
                }
                Ok(Node::Connection { from, to, exists })
            }
            "filter" => {
                let attribute = raw.attribute.as_ref().map(|a| a.value.trim());
                if attribute != Some("resource_type") {
                    return Err(self.err(
                        at,
                        "planguard supports `filter` only on `attribute: resource_type` (as Checkov documents it)",
                    ));
                }
                if op_name != "within" {
                    return Err(self.err(
                        op_at,
                        format!(
                            "filter {} is not supported (Checkov's filters have `within`)",
                            operator_label(op_name)
                        ),
                    ));
                }
                let types = match &raw.value {
                    Some(Value::Array(items)) if !items.is_empty() => items
                        .iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .ok_or_else(|| self.err(at, "a filter's `value` lists resource type names"))?,
                    _ => return Err(self.err(at, "a filter's `value` is a list of resource types")),
                };
                Ok(Node::Filter { types })
            }
            other => Err(self.err(
                cond_type.referenced,
                match other {
                    "resource" => {
                        "`cond_type: resource` is not supported by planguard (supported: attribute, connection, filter)"
                    }
                    _ => "an unknown `cond_type` (supported: attribute, connection, filter)",
                },
            )),
        }
    }

    /// One attribute check: the operator applied to the attribute, with Checkov's reading of
    /// wildcards (some match, except `not_contains` and the jsonpath operators: every match).
    fn attribute(
        &self,
        attribute: &Spanned<String>,
        operator: &str,
        op_at: Location,
        value: Option<&Value>,
    ) -> Result<Cond, RuleError> {
        let (jsonpath, base) = match operator.strip_prefix("jsonpath_") {
            Some(rest) => (true, rest),
            None => (false, operator),
        };
        let attr = attribute.value.trim();
        if attr == "resource_type" {
            return Err(self.err(
                attribute.referenced,
                "`attribute: resource_type` is supported in a `filter` condition only",
            ));
        }
        let path = if jsonpath {
            jsonpath_pattern(attr).map_err(|m| self.err(attribute.referenced, m))?
        } else {
            dotted_pattern(attr).map_err(|m| self.err(attribute.referenced, m))?
        };
        let (op, negated) = self.operator(base, operator, op_at, value)?;
        let wildcard = path.segs.contains(&Seg::Any);
        let universal = jsonpath || (base == "not_contains" && wildcard);
        if !universal {
            return Ok(Cond::Leaf {
                path,
                op,
                negated,
                source: Source::After,
            });
        }
        let here = PathPattern {
            segs: Vec::new(),
            text: String::new(),
        };
        let every = Cond::Every {
            path: path.clone(),
            cond: Box::new(Cond::Leaf {
                path: here,
                op: op.clone(),
                negated,
                source: Source::After,
            }),
        };
        if !jsonpath {
            return Ok(every);
        }
        // Checkov applies a jsonpath operator to every match; with none, to the absent value.
        let absent = crate::cond::apply_to_absent(&op);
        let absent = if negated { absent.negate() } else { absent };
        let has_match = Cond::Some {
            path,
            cond: Box::new(Cond::Const(true)),
        };
        Ok(Cond::Any(vec![
            Cond::All(vec![has_match.clone(), every]),
            Cond::All(vec![Cond::Not(Box::new(has_match)), Cond::Const(absent == Tri::True)]),
        ]))
    }

    /// An attribute operator with Checkov's semantics, as an engine operator and whether it
    /// is negated.
    fn operator(&self, base: &str, full: &str, at: Location, value: Option<&Value>) -> Result<(Op, bool), RuleError> {
        if known_operator(full).is_none() {
            return Err(self.err(
                at,
                "an operator Checkov doesn't have (docs/checkov-policies.md lists the operators planguard translates)",
            ));
        }
        let needs_value = !matches!(
            base,
            "exists" | "not_exists" | "is_empty" | "is_not_empty" | "is_true" | "is_false"
        );
        let v = match (needs_value, value) {
            (true, None) => return Err(self.err(at, format!("operator `{full}` needs a `value`"))),
            (true, Some(v)) => v.clone(),
            (false, _) => Value::Null,
        };
        let string = |v: &Value| -> Result<String, RuleError> {
            match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) => Ok(n.to_string()),
                Value::Bool(b) => Ok(if *b { "True" } else { "False" }.to_string()),
                _ => Err(self.err(at, format!("operator `{full}` needs a string `value`"))),
            }
        };
        let number = |v: &Value| -> Result<f64, RuleError> {
            let n = match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            n.ok_or_else(|| self.err(at, format!("operator `{full}` needs a number `value`")))
        };
        let whole = |v: &Value| -> Result<u64, RuleError> {
            let n = match v {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse::<u64>().ok(),
                _ => None,
            };
            n.ok_or_else(|| self.err(at, format!("operator `{full}` needs a whole number ≥ 0 as `value`")))
        };
        let list = |v: &Value| -> Result<Vec<Value>, RuleError> {
            match v {
                Value::Array(items) => Ok(items.clone()),
                _ => Err(self.err(at, format!("operator `{full}` needs a list `value`"))),
            }
        };
        let regex = |pattern: String| -> Result<Op, RuleError> {
            regex::Regex::new(&pattern).map(Op::Regex).map_err(|_| {
                self.err(
                    at,
                    format!("operator `{full}`: the pattern does not compile in planguard's regex engine (Rust `regex`: no look-around or backreferences)"),
                )
            })
        };
        use std::cmp::Ordering::{Equal, Greater, Less};
        Ok(match base {
            "equals" => (Op::Equals(v), false),
            "not_equals" => (Op::Equals(v), true),
            "equals_ignore_case" => (regex(format!("(?i)^{}$", regex::escape(&string(&v)?)))?, false),
            "not_equals_ignore_case" => (regex(format!("(?i)^{}$", regex::escape(&string(&v)?)))?, true),
            "exists" => (Op::Exists, false),
            "not_exists" => (Op::Exists, true),
            "is_true" => (Op::IsTrue, false),
            // Checkov's is_false is "not true": an absent attribute passes.
            "is_false" => (Op::IsTrue, true),
            // Checkov's is_empty is false on an absent attribute; its length operators count
            // a map as 1, whatever its keys.
            "is_empty" => (Op::Length(Equal, false, 0, false), false),
            "is_not_empty" => (Op::Length(Equal, false, 0, false), true),
            "contains" => (Op::Contains(v), false),
            "not_contains" => (Op::Contains(v), true),
            "within" => (Op::OneOf(list(&v)?), false),
            "not_within" => (Op::OneOf(list(&v)?), true),
            "starting_with" => (Op::StartsWith(string(&v)?), false),
            "not_starting_with" => (Op::StartsWith(string(&v)?), true),
            "ending_with" => (Op::EndsWith(string(&v)?), false),
            "not_ending_with" => (Op::EndsWith(string(&v)?), true),
            // Python's re.match anchors at the start.
            "regex_match" => (regex(format!("^(?:{})", string(&v)?))?, false),
            "not_regex_match" => (regex(format!("^(?:{})", string(&v)?))?, true),
            "greater_than" => (Op::Compare(Greater, false, number(&v)?), false),
            "greater_than_or_equal" => (Op::Compare(Greater, true, number(&v)?), false),
            "less_than" => (Op::Compare(Less, false, number(&v)?), false),
            "less_than_or_equal" => (Op::Compare(Less, true, number(&v)?), false),
            "length_equals" => (Op::Length(Equal, false, whole(&v)?, true), false),
            "length_not_equals" => (Op::Length(Equal, false, whole(&v)?, true), true),
            "length_greater_than" => (Op::Length(Greater, false, whole(&v)?, true), false),
            "length_greater_than_or_equal" => (Op::Length(Greater, true, whole(&v)?, true), false),
            "length_less_than" => (Op::Length(Less, false, whole(&v)?, true), false),
            "length_less_than_or_equal" => (Op::Length(Less, true, whole(&v)?, true), false),
            "subset" => (Op::Subset(list(&v)?), false),
            "not_subset" => (Op::Subset(list(&v)?), true),
            // A string value asks whether the attribute contains it.
            "intersects" if v.is_string() => (Op::Contains(v), false),
            "not_intersects" if v.is_string() => (Op::Contains(v), true),
            "intersects" => (Op::Intersects(list(&v)?), false),
            "not_intersects" => (Op::Intersects(list(&v)?), true),
            _ => {
                return Err(self.err(
                    at,
                    format!(
                        "operator `{full}` is not supported by planguard (see docs/checkov-policies.md for the supported operators)"
                    ),
                ))
            }
        })
    }
}

/// A Checkov dotted attribute path (`ingress.*.cidr_blocks`, `tags.Owner`,
/// `root_block_device.encrypted`) as an engine path. `*` is any element; a number is that
/// element; a name after a name steps through a nested block written once, as Checkov's
/// flattened attributes do.
fn dotted_pattern(text: &str) -> Result<PathPattern, String> {
    if text.is_empty() {
        return Err("empty `attribute`".into());
    }
    let mut segs = Vec::new();
    let mut after_name = false;
    for part in text.split('.') {
        if part.is_empty() {
            return Err("the `attribute` has an empty step (`..` or a leading or trailing `.`)".into());
        }
        if part == "*" {
            segs.push(Seg::Any);
            after_name = false;
        } else if part.chars().all(|c| c.is_ascii_digit()) {
            let i = part
                .parse::<usize>()
                .map_err(|_| "an index in the `attribute` is too large".to_string())?;
            segs.push(Seg::Index(i));
            after_name = false;
        } else {
            if part.contains('*') {
                return Err("a `*` in the `attribute` must be a whole step (`a.*.b`)".into());
            }
            if after_name {
                segs.push(Seg::Lone);
            }
            segs.push(Seg::Key(part.to_string()));
            after_name = true;
        }
    }
    Ok(PathPattern {
        segs,
        text: text.to_string(),
    })
}

/// The part of JSONPath Checkov policies use: `$.`, names, `[*]`, `[N]` and `['key']`.
/// Recursive descent, filters, slices and field wildcards are errors.
fn jsonpath_pattern(text: &str) -> Result<PathPattern, String> {
    if text.contains("..") {
        return Err("this JSONPath is beyond what planguard translates (names, [*], [N] and ['key'] only)".into());
    }
    let body = text
        .strip_prefix("$.")
        .or_else(|| text.strip_prefix('$'))
        .unwrap_or(text);
    if body.contains("..") || body.contains('?') || body.contains(':') || body.contains('@') {
        return Err("this JSONPath is beyond what planguard translates (names, [*], [N] and ['key'] only)".into());
    }
    let bytes = body.as_bytes();
    let mut segs = Vec::new();
    let mut after_name = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'.' => i += 1,
            b'[' => {
                let end = body[i..]
                    .find(']')
                    .map(|e| i + e)
                    .ok_or_else(|| "the JSONPath has an unclosed `[`".to_string())?;
                let inner = body[i + 1..end].trim();
                if inner == "*" {
                    segs.push(Seg::Any);
                    after_name = false;
                } else if let Ok(n) = inner.parse::<usize>() {
                    segs.push(Seg::Index(n));
                    after_name = false;
                } else if inner.len() >= 2
                    && ((inner.starts_with('\'') && inner.ends_with('\''))
                        || (inner.starts_with('"') && inner.ends_with('"')))
                {
                    if after_name {
                        segs.push(Seg::Lone);
                    }
                    segs.push(Seg::Key(inner[1..inner.len() - 1].to_string()));
                    after_name = true;
                } else {
                    return Err(
                        "this JSONPath is beyond what planguard translates (names, [*], [N] and ['key'] only)".into(),
                    );
                }
                i = end + 1;
            }
            _ => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'.' && bytes[i] != b'[' {
                    i += 1;
                }
                let word = &body[start..i];
                if word == "*" || word.contains('*') {
                    return Err("a JSONPath field wildcard (`.*`) is not translated: use `[*]` on lists".into());
                }
                if after_name {
                    segs.push(Seg::Lone);
                }
                segs.push(Seg::Key(word.to_string()));
                after_name = true;
            }
        }
    }
    if segs.is_empty() {
        return Err("empty JSONPath".into());
    }
    Ok(PathPattern {
        segs,
        text: text.to_string(),
    })
}

fn related(direction: Reach, types: &[String], quantifier: Quantifier, cond: Option<&Cond>) -> Cond {
    Cond::Related(Box::new(RelatedCond {
        direction,
        types: types.to_vec(),
        attribute: None,
        quantifier,
        cond: cond.cloned().unwrap_or(Cond::Const(true)),
    }))
}

/// Linked to some resource of `types` by a reference in either direction (that satisfies
/// `cond`, when given).
fn linked(types: &[String], cond: Option<&Cond>) -> Cond {
    Cond::Any(vec![
        related(Reach::Dependencies, types, Quantifier::Some, cond),
        related(Reach::Dependents, types, Quantifier::Some, cond),
    ])
}

/// Every resource of `types` linked in either direction satisfies `cond`.
fn every_linked(types: &[String], cond: &Cond) -> Cond {
    Cond::All(vec![
        related(Reach::Dependencies, types, Quantifier::Every, Some(cond)),
        related(Reach::Dependents, types, Quantifier::Every, Some(cond)),
    ])
}

fn only(types: &Types) -> &[String] {
    match types {
        Types::Only(list) => list,
        Types::All => &[],
    }
}

/// A connection check as Checkov's connection solvers judge it: a resource of `from` passes
/// when linked to one of `to`, a resource of `to` when linked to one of `from`, each the other
/// way round for `not_exists`. `sound` is what a linked resource must also satisfy (the
/// attribute checks beside the connection in an `and`).
fn connected(from: &Types, to: &Types, exists: bool, sound: Option<&Cond>) -> Cond {
    let side = |mine: &Types, other: &Types| -> Cond {
        let other = only(other);
        let check = match (exists, sound) {
            (true, None) => linked(other, None),
            (true, Some(s)) => Cond::All(vec![linked(other, None), every_linked(other, s)]),
            (false, s) => Cond::Not(Box::new(linked(other, s))),
        };
        Cond::All(vec![mine.is(), check])
    };
    Cond::Any(vec![side(from, to), side(&to.without(from), from)])
}

/// A top-level `and`/`or` holding connections, as Checkov's complex connection solvers
/// judge it. In an `and` a resource passes when every check that applies to its type passes,
/// and for each connection, every linked resource passes the attribute checks that apply to
/// it too; in an `or`, when some check that applies to its type passes.
fn complex_connection(op: &str, nodes: &[Node]) -> Cond {
    let attrs: Vec<(&Cond, &Types)> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Attr { cond, types } => Some((cond, types)),
            _ => None,
        })
        .collect();
    // "Passes each attribute check that applies to it."
    let sound = Cond::All(
        attrs
            .iter()
            .map(|(cond, types)| Cond::Any(vec![Cond::Not(Box::new(types.is())), (*cond).clone()]))
            .collect(),
    );
    let mut parts = Vec::new();
    for n in nodes {
        match (op, n) {
            ("and", Node::Attr { cond, types }) => {
                parts.push(Cond::Any(vec![Cond::Not(Box::new(types.is())), cond.clone()]))
            }
            (_, Node::Attr { cond, types }) => parts.push(Cond::All(vec![types.is(), cond.clone()])),
            ("and", Node::Connection { from, to, exists }) => {
                let mut both = from.clone();
                both.union(to);
                let check = connected(from, to, *exists, (!attrs.is_empty()).then_some(&sound));
                parts.push(Cond::Any(vec![Cond::Not(Box::new(both.is())), check]));
            }
            (_, Node::Connection { from, to, exists }) => {
                let mut both = from.clone();
                both.union(to);
                parts.push(Cond::All(vec![both.is(), connected(from, to, *exists, None)]));
            }
            (_, Node::Filter { .. }) => {}
        }
    }
    if op == "and" {
        Cond::All(parts)
    } else {
        Cond::Any(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths() {
        let p = dotted_pattern("ingress.*.cidr_blocks").unwrap();
        assert_eq!(
            p.segs,
            vec![Seg::Key("ingress".into()), Seg::Any, Seg::Key("cidr_blocks".into())]
        );
        let p = dotted_pattern("root_block_device.encrypted").unwrap();
        assert_eq!(
            p.segs,
            vec![
                Seg::Key("root_block_device".into()),
                Seg::Lone,
                Seg::Key("encrypted".into())
            ]
        );
        assert_eq!(dotted_pattern("a.0.b").unwrap().segs[1], Seg::Index(0));
        assert!(dotted_pattern("a..b").is_err());
        assert!(dotted_pattern("a.b*").is_err());
    }

    #[test]
    fn jsonpaths() {
        let p = jsonpath_pattern("$.ingress[*].from_port").unwrap();
        assert_eq!(
            p.segs,
            vec![Seg::Key("ingress".into()), Seg::Any, Seg::Key("from_port".into())]
        );
        assert_eq!(
            jsonpath_pattern("tags['Cost Center']").unwrap().segs,
            vec![Seg::Key("tags".into()), Seg::Lone, Seg::Key("Cost Center".into())]
        );
        assert!(jsonpath_pattern("$..from_port").is_err());
        assert!(jsonpath_pattern("a[?(@.x == 1)]").is_err());
        assert!(jsonpath_pattern("tags.*").is_err());
    }

    #[test]
    fn detection() {
        assert!(is_checkov_policy(
            "metadata:\n  id: X\ndefinition:\n  cond_type: attribute\n"
        ));
        assert!(!is_checkov_policy("id: AWS-EC2-001\ntitle: t\n"));
        assert!(!is_checkov_policy("[1, 2"));
        assert!(is_checkov_policy("metadata:\n  id: X\ndefinition:\n  attribute: [x\n"));
        assert!(is_json_checkov_policy(r#"{"metadata": {"id": "X"}, "definition": {}}"#));
        assert!(is_json_checkov_policy(r#"{"metadata": {"id": "X"}, "definition": {"#));
        assert!(!is_json_checkov_policy(r#"{"format_version": "1.2"}"#));
    }
}
