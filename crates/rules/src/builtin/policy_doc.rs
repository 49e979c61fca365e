//! IAM policy documents as the IAM rules (AWS-IAM-004.., AWS-OIDC-*) read them: from a JSON
//! attribute known in the plan, or, when the attribute is known only after apply, from the
//! configuration of the `aws_iam_policy_document` data source it references (its
//! `statement` blocks' constant arguments). Parts known only after apply are `None`.

use planguard_graph::SourceValue;
use planguard_plan::{shown, Cursor, Disclosure, Expression, Expressions, Lookup, Plan, Shown};
use serde_json::Value;

use crate::cond::Tri;
use crate::rule::Context;

/// One condition: `"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:o/*"]}`.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    /// The operator (`StringEquals`, `ForAnyValue:StringLike`, ...); `None` when unknown.
    pub(crate) op: Option<String>,
    /// The condition key; `None` when unknown.
    pub(crate) key: Option<String>,
    /// The values; `None` entries are unknown.
    pub(crate) values: Vec<Option<String>>,
    /// Where it is, for findings (without the operator and key when the document is
    /// sensitive: they are part of its value).
    pub(crate) path: Shown,
}

/// One principal entry: `("AWS", "*")`, `("Federated", "arn:...:oidc-provider/host")`.
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    /// `*` (the bare `"Principal": "*"`), `AWS`, `Service`, `Federated`, `CanonicalUser`.
    pub(crate) kind: Option<String>,
    /// The identifier; `None` when unknown.
    pub(crate) id: Option<String>,
}

/// A statement, as far as it is known.
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    /// `policy.Statement[0]`, `statement[0]` (configuration).
    pub(crate) path: Shown,
    /// Whether text from this statement (a principal, an action, a condition value) may be
    /// quoted: not when the document is sensitive.
    pub(crate) disclosure: Disclosure,
    /// `Allow` / `Deny`; `None` when unknown.
    pub(crate) effect: Option<String>,
    /// `Action` entries (`None` = unknown entry).
    pub(crate) actions: Vec<Option<String>>,
    /// `NotAction` entries, when the statement uses `NotAction`.
    pub(crate) not_actions: Option<Vec<Option<String>>>,
    /// `Resource` entries.
    pub(crate) resources: Vec<Option<String>>,
    /// The statement uses `NotResource`.
    pub(crate) not_resource: bool,
    /// `Principal` entries.
    pub(crate) principals: Vec<Principal>,
    /// The statement uses `NotPrincipal`.
    pub(crate) not_principal: bool,
    /// `Condition` entries.
    pub(crate) conditions: Vec<Condition>,
    /// Some condition block is known only after apply as a whole.
    pub(crate) conditions_unknown: bool,
    /// Where the statement was read from when the plan has the document only after apply:
    /// `data.aws_iam_policy_document.trust`, `policy = jsonencode(...) in the .tf sources`.
    pub(crate) decided_from: Option<Shown>,
}

impl Statement {
    /// A finding's message about this statement, saying where the statement was read from
    /// when the plan itself has the document only after apply.
    pub(crate) fn decided(&self, message: Shown) -> Shown {
        match &self.decided_from {
            Some(source) => shown!(
                "{} (decided from the configuration of {}; the document itself is known only after apply)",
                message,
                source
            ),
            None => message,
        }
    }

    /// Text read from this statement, as a message may quote it: `(sensitive)` when the
    /// document is.
    pub(crate) fn show(&self, text: &str) -> Shown {
        self.disclosure.show(text)
    }

    /// `Effect` is `Allow` (the default of a configuration `statement`).
    pub(crate) fn allows(&self) -> Tri {
        match self.effect.as_deref() {
            Some(e) => tri(e.eq_ignore_ascii_case("allow")),
            None => Tri::Unknown,
        }
    }

    /// Some `Resource` entry is `"*"`, or the statement uses `NotResource`.
    pub(crate) fn on_every_resource(&self) -> Tri {
        if self.not_resource {
            return Tri::True;
        }
        any(self.resources.iter().map(|r| r.as_deref().map(|r| r == "*")))
    }

    /// Some `Action` entry matches `action` (`sts:AssumeRoleWithWebIdentity`), wildcards
    /// included; a `NotAction` statement matches what it doesn't list.
    pub(crate) fn grants(&self, action: &str) -> Tri {
        if let Some(not) = &self.not_actions {
            return any(not.iter().map(|a| a.as_deref().map(|a| glob(a, action)))).negate();
        }
        any(self.actions.iter().map(|a| a.as_deref().map(|a| glob(a, action))))
    }
}

/// Kleene `any` over known (`Some`) and unknown (`None`) booleans.
pub(crate) fn any(items: impl IntoIterator<Item = Option<bool>>) -> Tri {
    let mut out = Tri::False;
    for item in items {
        out = out.or(match item {
            Some(b) => tri(b),
            None => Tri::Unknown,
        });
    }
    out
}

/// `true`/`false` as a [`Tri`].
pub(crate) fn tri(b: bool) -> Tri {
    if b {
        Tri::True
    } else {
        Tri::False
    }
}

/// IAM's case-insensitive wildcard match: `*` any run, `?` one character.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether the wildcard pattern matches some text starting with `prefix` (case-insensitive).
pub(crate) fn admits_prefix(pattern: &str, prefix: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let v: Vec<char> = prefix.to_lowercase().chars().collect();
    for (i, c) in v.iter().enumerate() {
        match p.get(i) {
            None => return false,
            Some('*') => return true,
            Some('?') => {}
            Some(x) if x == c => {}
            Some(_) => return false,
        }
    }
    true
}

static UNKNOWN: Value = Value::Bool(true);

/// Where a document came from.
#[derive(Debug)]
pub(crate) enum Document {
    /// Parsed: from JSON known in the plan (`from_json`), or from the configuration of an
    /// `aws_iam_policy_document` data source read during apply.
    Known {
        /// The statements.
        statements: Vec<Statement>,
        /// True when parsed from JSON known in the plan.
        from_json: bool,
        /// The data source whose configuration the statements were read from
        /// (`data.aws_iam_policy_document.trust`), when the JSON is known only after apply.
        decided_from: Option<Shown>,
    },
    /// Known only after apply and not recoverable from the configuration.
    Unknown {
        /// The attribute.
        attribute: Shown,
        /// The references its expression makes (`aws_iam_openid_connect_provider.github.arn`).
        references: Vec<String>,
    },
}

fn strings(v: Option<&Value>) -> Vec<Option<String>> {
    match v {
        Some(Value::String(s)) => vec![Some(s.clone())],
        Some(Value::Bool(b)) => vec![Some(b.to_string())],
        Some(Value::Number(n)) => vec![Some(n.to_string())],
        Some(Value::Array(items)) => items.iter().flat_map(|i| strings(Some(i))).collect(),
        _ => Vec::new(),
    }
}

/// Statements of a policy document's JSON text; `None` when it isn't a policy. `disclosure`
/// says whether the text is sensitive; if it is, no path names a key read out of it.
pub(crate) fn parse_json(text: &str, attribute: &Shown, disclosure: Disclosure) -> Option<Vec<Statement>> {
    let doc: Value = serde_json::from_str(text).ok()?;
    statements_of(Node::Json(&doc), attribute, disclosure, &|_| None, None)
}

/// A policy document's value: parsed JSON, or the `jsonencode(...)` argument of the `.tf`
/// source, whose computed parts are unknown.
#[derive(Clone, Copy)]
enum Node<'a> {
    Json(&'a Value),
    Source(&'a SourceValue),
}

impl<'a> Node<'a> {
    fn get(self, key: &str) -> Option<Node<'a>> {
        match self {
            Node::Json(v) => v.get(key).map(Node::Json),
            Node::Source(SourceValue::Object(entries)) => entries
                .iter()
                .find(|(k, _)| k.as_deref() == Some(key))
                .map(|(_, v)| Node::Source(v)),
            Node::Source(_) => None,
        }
    }

    fn is_unknown(self) -> bool {
        matches!(self, Node::Source(SourceValue::Unknown { .. }))
    }

    fn as_str(self) -> Option<&'a str> {
        match self {
            Node::Json(v) | Node::Source(SourceValue::Known(v)) => v.as_str(),
            _ => None,
        }
    }

    fn references(self) -> &'a [String] {
        match self {
            Node::Source(SourceValue::Unknown { references }) => references,
            _ => &[],
        }
    }

    /// `Some(items)` for an array (a single value is not one).
    fn items(self) -> Option<Vec<Node<'a>>> {
        match self {
            Node::Json(Value::Array(items)) => Some(items.iter().map(Node::Json).collect()),
            Node::Source(SourceValue::Array(items)) => Some(items.iter().map(Node::Source).collect()),
            _ => None,
        }
    }

    /// The entries of an object; a key is `None` when it is computed.
    fn entries(self) -> Option<Vec<(Option<&'a str>, Node<'a>)>> {
        match self {
            Node::Json(Value::Object(map)) => {
                Some(map.iter().map(|(k, v)| (Some(k.as_str()), Node::Json(v))).collect())
            }
            Node::Source(SourceValue::Object(entries)) => {
                Some(entries.iter().map(|(k, v)| (k.as_deref(), Node::Source(v))).collect())
            }
            _ => None,
        }
    }

    /// A string or list of strings (numbers and bools as text); `None` entries are unknown.
    fn strings(self) -> Vec<Option<String>> {
        match self {
            Node::Json(v) | Node::Source(SourceValue::Known(v)) => strings(Some(v)),
            Node::Source(SourceValue::Unknown { .. }) => vec![None],
            Node::Source(SourceValue::Array(items)) => items.iter().flat_map(|i| Node::Source(i).strings()).collect(),
            Node::Source(SourceValue::Object(_)) => Vec::new(),
        }
    }
}

/// The statements of a document; `None` when it isn't a policy or its statement list is
/// itself computed. `principal_of` resolves a computed principal from its references (an
/// OIDC provider's ARN from the provider's URL).
fn statements_of(
    doc: Node<'_>,
    attribute: &Shown,
    disclosure: Disclosure,
    principal_of: &dyn Fn(&[String]) -> Option<String>,
    decided_from: Option<&Shown>,
) -> Option<Vec<Statement>> {
    let statement = doc.get("Statement")?;
    let (items, listed): (Vec<Node<'_>>, bool) = match statement.items() {
        Some(items) => (items, true),
        None if statement.entries().is_some() => (vec![statement], false),
        None => return None,
    };
    let mut out = Vec::new();
    for (i, s) in items.into_iter().enumerate() {
        // A statement computed as a whole (`local.statements[0]`) can't be judged in part.
        if s.is_unknown() {
            return None;
        }
        let path = if listed {
            shown!("{}.Statement[{}]", attribute, Shown::figure(i))
        } else {
            shown!("{}.Statement", attribute)
        };
        let mut principals = Vec::new();
        let principal = s.get("Principal").or_else(|| s.get("NotPrincipal"));
        if let Some(p) = principal {
            if let Some(text) = p.as_str() {
                principals.push(Principal {
                    kind: Some("*".into()),
                    id: Some(text.to_string()),
                });
            } else if let Some(entries) = p.entries() {
                for (kind, ids) in entries {
                    let resolved = ids.is_unknown().then(|| principal_of(ids.references())).flatten();
                    let ids = match resolved {
                        Some(id) => vec![Some(id)],
                        None => ids.strings(),
                    };
                    for id in ids {
                        principals.push(Principal {
                            kind: kind.map(str::to_string),
                            id,
                        });
                    }
                }
            } else if p.is_unknown() {
                principals.push(Principal { kind: None, id: None });
            }
        }
        let mut conditions = Vec::new();
        let mut conditions_unknown = false;
        if let Some(c) = s.get("Condition") {
            match c.entries() {
                Some(ops) => {
                    for (op, keys) in ops {
                        let Some(keys) = keys.entries() else {
                            conditions_unknown |= keys.is_unknown();
                            continue;
                        };
                        for (key, values) in keys {
                            let path = match (disclosure.allows(), op, key) {
                                (true, Some(op), Some(key)) => shown!(
                                    "{}.Condition.{}[\"{}\"]",
                                    path,
                                    disclosure.show(op),
                                    disclosure.show(key)
                                ),
                                _ => shown!("{}.Condition", path),
                            };
                            conditions.push(Condition {
                                op: op.map(str::to_string),
                                key: key.map(str::to_string),
                                values: values.strings(),
                                path,
                            });
                        }
                    }
                }
                None => conditions_unknown |= c.is_unknown(),
            }
        }
        let effect = match s.get("Effect") {
            Some(e) => e.as_str().map(str::to_string),
            None => None,
        };
        out.push(Statement {
            effect,
            actions: s.get("Action").map(Node::strings).unwrap_or_default(),
            not_actions: s.get("NotAction").map(Node::strings),
            resources: s.get("Resource").map(Node::strings).unwrap_or_default(),
            not_resource: s.get("NotResource").is_some(),
            principals,
            not_principal: s.get("NotPrincipal").is_some(),
            conditions,
            conditions_unknown,
            path,
            disclosure,
            decided_from: decided_from.cloned(),
        });
    }
    Some(out)
}

/// The OIDC provider a computed principal names, as an ARN with its URL host: what matters
/// to the trust rules is which issuer is trusted, and the configuration says it.
fn oidc_principal(plan: &Plan, prefix: &str, references: &[String]) -> Option<String> {
    references.iter().find_map(|r| {
        let (t, n) = split_reference(r)?;
        if t != "aws_iam_openid_connect_provider" {
            return None;
        }
        let host = oidc_provider_host(plan, &format!("{prefix}{t}.{n}"))?;
        Some(format!("arn:aws:iam::(known after apply):oidc-provider/{host}"))
    })
}

/// The module prefix (`module.a.module.b.`) of a resource's configuration address.
fn module_prefix(module_path: &[String]) -> String {
    module_path.iter().map(|m| format!("module.{m}.")).collect()
}

/// `aws_iam_openid_connect_provider.github[0].arn` → (`aws_iam_openid_connect_provider`,
/// `github`); data sources keep their `data.` prefix in the type.
pub(crate) fn split_reference(reference: &str) -> Option<(String, String)> {
    let mut parts = reference.split('.');
    let first = parts.next()?;
    let (kind, name) = if first == "data" {
        (format!("data.{}", parts.next()?), parts.next()?)
    } else {
        (first.to_string(), parts.next()?)
    };
    let name = name.split('[').next()?.to_string();
    if kind.starts_with("var") || kind.starts_with("local") || kind == "module" || kind == "each" || kind == "count" {
        return None;
    }
    Some((kind, name))
}

/// The URL host (and path) of an `aws_iam_openid_connect_provider` the plan or configuration
/// declares at `config_address`: its planned `url`, else its constant `url`.
pub(crate) fn oidc_provider_host(plan: &Plan, config_address: &str) -> Option<String> {
    for &i in plan.changes_at_config_address(config_address) {
        let change = &plan.resource_changes[i];
        if let Ok(values) = change.change.after_values() {
            if let Some(url) = values.after().get("url").as_str() {
                return Some(strip_scheme(url));
            }
        }
    }
    let config = plan.config_resource_by_config_address(config_address)?;
    let url = config.resource.expressions.get("url")?.constant()?.as_str()?;
    Some(strip_scheme(url))
}

/// `https://token.actions.githubusercontent.com/` → `token.actions.githubusercontent.com`.
pub(crate) fn strip_scheme(url: &str) -> String {
    let s = url.trim();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(s);
    s.trim_end_matches('/').to_string()
}

fn expr_strings(expr: Option<&Expression>) -> Vec<Option<String>> {
    match expr {
        None => Vec::new(),
        Some(e) => match e.constant() {
            Some(v) => strings(Some(v)),
            None => vec![None],
        },
    }
}

fn expr_string(expr: Option<&Expression>) -> Option<String> {
    expr?.constant().and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        _ => None,
    })
}

fn blocks<'a>(expressions: &'a Expressions, name: &str) -> &'a [Expressions] {
    match expressions.get(name) {
        Some(Expression::Blocks(b)) => b,
        _ => &[],
    }
}

/// Statements of an `aws_iam_policy_document` data source's configuration.
fn config_statements(plan: &Plan, prefix: &str, data: &Expressions, base: &Shown, source: &Shown) -> Vec<Statement> {
    let mut out = Vec::new();
    for (i, st) in blocks(data, "statement").iter().enumerate() {
        let path = shown!("{}.statement[{}]", base, Shown::figure(i));
        let effect = match st.get("effect") {
            None => Some("Allow".to_string()),
            Some(e) => expr_string(Some(e)),
        };
        let mut principals = Vec::new();
        let mut not_principal = false;
        for name in ["principals", "not_principals"] {
            for p in blocks(st, name) {
                not_principal |= name == "not_principals";
                let kind = expr_string(p.get("type"));
                match p.get("identifiers") {
                    Some(e) if e.constant().is_some() => {
                        for id in expr_strings(Some(e)) {
                            principals.push(Principal { kind: kind.clone(), id });
                        }
                    }
                    Some(e) => {
                        // A reference to an OIDC provider in the configuration is as good as
                        // its ARN: what matters is the provider's URL.
                        let references: Vec<String> = e.references().into_iter().map(str::to_string).collect();
                        principals.push(Principal {
                            kind: kind.clone(),
                            id: oidc_principal(plan, prefix, &references),
                        });
                    }
                    None => {}
                }
            }
        }
        let mut conditions = Vec::new();
        for (j, c) in blocks(st, "condition").iter().enumerate() {
            conditions.push(Condition {
                op: expr_string(c.get("test")),
                key: expr_string(c.get("variable")),
                values: expr_strings(c.get("values")),
                path: shown!("{}.condition[{}]", path, Shown::figure(j)),
            });
        }
        out.push(Statement {
            effect,
            actions: expr_strings(st.get("actions")),
            not_actions: st.get("not_actions").map(|e| expr_strings(Some(e))),
            resources: expr_strings(st.get("resources")),
            not_resource: st.contains_key("not_resources"),
            principals,
            not_principal,
            conditions,
            // `dynamic "condition"` blocks don't appear in the configuration.
            conditions_unknown: false,
            path,
            // Constant arguments of the configuration, which Terraform prints as written
            // (a sensitive value in an argument makes it a reference, not a constant).
            disclosure: Disclosure::configuration_literal(),
            decided_from: Some(source.clone()),
        });
    }
    out
}

/// The policy document in `attribute` of the resource under check (a path like `policy` or
/// `inline_policy[0].policy`). `None` when the attribute is unset or not a policy.
///
/// `config` is the attribute's expression in the configuration, used when its value is
/// known only after apply: a reference to an `aws_iam_policy_document` data source whose
/// `json` is unknown is read from the data source's `statement` blocks.
pub(crate) fn document(
    cx: &Context<'_>,
    cursor: Cursor<'_>,
    attribute: &Shown,
    config: Option<&Expression>,
    source: Option<&SourceValue>,
) -> Option<Document> {
    match cursor.lookup() {
        Lookup::Known(Value::String(text)) => Some(Document::Known {
            statements: parse_json(text, attribute, cursor.disclosure())?,
            from_json: true,
            decided_from: None,
        }),
        Lookup::Unknown => {
            // Unset computed attributes are unknown too: only a written argument matters.
            let config = config?;
            let references: Vec<String> = config.references().into_iter().map(str::to_string).collect();
            let module_path = cx
                .plan
                .config_resource(&cx.change.addr)
                .map(|c| c.module_path.to_vec())
                .unwrap_or_default();
            let prefix = module_prefix(&module_path);
            for r in &references {
                if let Some((t, n)) = split_reference(r) {
                    if t == "data.aws_iam_policy_document" && (r.ends_with(".json") || r.ends_with(".minified_json")) {
                        if let Some(data) = cx.plan.config_resource_by_config_address(&format!("{prefix}{t}.{n}")) {
                            let ex = &data.resource.expressions;
                            // Merged documents can't be rebuilt from one block.
                            if ex.contains_key("source_policy_documents")
                                || ex.contains_key("override_policy_documents")
                            {
                                break;
                            }
                            let source = shown!("data.{}.{}", Shown::name(&t[5..]), Shown::name(n));
                            return Some(Document::Known {
                                statements: config_statements(
                                    cx.plan,
                                    &prefix,
                                    ex,
                                    &shown!("{}({})", attribute, source),
                                    &source,
                                ),
                                from_json: false,
                                decided_from: Some(source),
                            });
                        }
                    }
                }
            }
            // `jsonencode({...})` keeps only its references in the plan; the `.tf` source, when
            // given, has its structure and constants.
            if let Some(source) = source {
                let principal_of = |refs: &[String]| oidc_principal(cx.plan, &prefix, refs);
                let disclosure = match cursor.disclosure() {
                    d if d.allows() => Disclosure::configuration_literal(),
                    d => d,
                };
                let from = shown!("{} = jsonencode(...) in the .tf sources", attribute);
                if let Some(statements) =
                    statements_of(Node::Source(source), attribute, disclosure, &principal_of, Some(&from))
                {
                    return Some(Document::Known {
                        statements,
                        from_json: false,
                        decided_from: Some(from),
                    });
                }
            }
            Some(Document::Unknown {
                attribute: attribute.clone(),
                references,
            })
        }
        _ => None,
    }
}

/// The documents of the resource under check: each named top-level attribute, and for
/// `aws_iam_role` with `inline = true` every `inline_policy[*].policy`.
pub(crate) fn documents(cx: &Context<'_>, attributes: &[&str], inline: bool) -> Vec<Document> {
    let config = cx.plan.config_resource(&cx.change.addr);
    let expressions = config.map(|c| &c.resource.expressions);
    let mut out = Vec::new();
    let subject = cx.subject();
    let config_address = cx.change.addr.config_address();
    for attribute in attributes {
        let expr = expressions.and_then(|e| e.get(*attribute));
        let source = cx.relations.and_then(|r| r.source_document(&config_address, attribute));
        if let Some(d) = document(cx, subject.get(attribute), &Shown::name(*attribute), expr, source) {
            out.push(d);
        }
    }
    if inline {
        let list = subject.get("inline_policy");
        let written = expressions.map(|e| blocks(e, "inline_policy")).unwrap_or(&[]);
        if list.is_unknown() {
            // Computed when not written; a written block whose value is unknown is read from
            // its configuration.
            for (i, block) in written.iter().enumerate() {
                let attribute = shown!("inline_policy[{}].policy", Shown::figure(i));
                if let Some(d) = document(
                    cx,
                    Cursor::new(None, Some(&UNKNOWN), None),
                    &attribute,
                    block.get("policy"),
                    None,
                ) {
                    out.push(d);
                }
            }
        } else {
            for (i, (_, block)) in list.children().into_iter().enumerate() {
                let attribute = shown!("inline_policy[{}].policy", Shown::figure(i));
                let expr = written.get(i).and_then(|b| b.get("policy"));
                if let Some(d) = document(cx, block.get("policy"), &attribute, expr, None) {
                    out.push(d);
                }
            }
        }
    }
    out
}

/// Whether a condition operator constrains positively (not negated, not `...IfExists`, not
/// `Null`): `StringEquals`, `ForAnyValue:StringLike`, `ArnLike`, `IpAddress`, ...
pub(crate) fn positive_op(op: &str) -> bool {
    let base = op.rsplit(':').next().unwrap_or(op).to_ascii_lowercase();
    !(base.contains("not") || base.ends_with("ifexists") || base == "null")
}

/// Whether a condition operator compares with wildcards (`StringLike`, `ArnLike`).
pub(crate) fn like_op(op: &str) -> bool {
    let base = op.rsplit(':').next().unwrap_or(op).to_ascii_lowercase();
    base.contains("like")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("sts:AssumeRole*", "sts:AssumeRoleWithWebIdentity"));
        assert!(glob("*", "iam:PassRole"));
        assert!(glob("iam:Pass?ole", "iam:passrole"));
        assert!(!glob("iam:Get*", "iam:PassRole"));
        assert!(admits_prefix("*Object", "Put"));
        assert!(admits_prefix("P*", "Put"));
        assert!(admits_prefix("PutObject*", "Put"));
        assert!(!admits_prefix("Describe*", "Put"));
        assert!(!admits_prefix("Pu", "Put"));
    }

    #[test]
    fn operators() {
        assert!(positive_op("StringEquals"));
        assert!(positive_op("ForAnyValue:StringLike"));
        assert!(!positive_op("StringNotEquals"));
        assert!(!positive_op("StringLikeIfExists"));
        assert!(!positive_op("Null"));
        assert!(like_op("StringLike"));
        assert!(!like_op("StringEquals"));
    }

    #[test]
    fn references() {
        assert_eq!(
            split_reference("aws_iam_openid_connect_provider.github[0].arn"),
            Some(("aws_iam_openid_connect_provider".into(), "github".into()))
        );
        assert_eq!(
            split_reference("data.aws_iam_policy_document.trust.json"),
            Some(("data.aws_iam_policy_document".into(), "trust".into()))
        );
        assert_eq!(split_reference("local.x"), None);
    }
}
