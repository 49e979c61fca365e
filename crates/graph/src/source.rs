//! Reading the configuration's `.tf` files for what the plan JSON leaves out: `locals`
//! blocks (the plan has none) and the documents resources build with `jsonencode(...)`
//! (the plan keeps only the references of such an expression, never its structure).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hcl::expr::{Expression, TraversalOperator};
use hcl::template::{Directive, Element};
use hcl::Template;
use planguard_plan::{ConfigModule, Warning};

use crate::error::GraphError;

/// The locals of every module of the configuration, by module configuration path
/// (`""` for the root, `module.app.module.db` below it): local name to its references.
#[derive(Debug, Default)]
pub(crate) struct Sources {
    pub locals: HashMap<String, BTreeMap<String, Vec<String>>>,
    /// Per resource configuration address (`module.app.aws_iam_role.ci`), its top-level
    /// arguments written as `jsonencode(...)`, as far as they are known.
    pub documents: HashMap<String, BTreeMap<String, SourceValue>>,
}

/// A value written in a `.tf` file, as far as it is known without evaluating Terraform:
/// literals are known; anything computed (references, function calls, templates with
/// interpolations) is [`SourceValue::Unknown`] with the references it makes.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceValue {
    /// A literal: string, number, bool or null.
    Known(serde_json::Value),
    /// Computed when Terraform evaluates it.
    Unknown {
        /// The references the expression makes (`aws_iam_openid_connect_provider.ci.arn`).
        references: Vec<String>,
    },
    /// An object; a key is `None` when it is computed (`"${local.host}:sub"`).
    Object(Vec<(Option<String>, SourceValue)>),
    /// A tuple or list.
    Array(Vec<SourceValue>),
}

impl SourceValue {
    /// The value of an HCL expression as far as literals make it known.
    pub(crate) fn of(expr: &Expression) -> SourceValue {
        match expr {
            Expression::Null => SourceValue::Known(serde_json::Value::Null),
            Expression::Bool(b) => SourceValue::Known(serde_json::Value::Bool(*b)),
            Expression::Number(n) => match serde_json::to_value(n) {
                Ok(v) => SourceValue::Known(v),
                Err(_) => SourceValue::Unknown { references: Vec::new() },
            },
            Expression::String(text) => SourceValue::Known(serde_json::Value::String(text.clone())),
            Expression::TemplateExpr(t) => match literal_template(t) {
                Some(text) => SourceValue::Known(serde_json::Value::String(text)),
                None => SourceValue::unknown(expr),
            },
            Expression::Parenthesis(inner) => SourceValue::of(inner),
            Expression::Array(items) => SourceValue::Array(items.iter().map(SourceValue::of).collect()),
            Expression::Object(object) => SourceValue::Object(
                object
                    .iter()
                    .map(|(key, value)| {
                        let key = match key {
                            hcl::ObjectKey::Identifier(id) => Some(id.as_str().to_string()),
                            // `{ Effect = ... }` may parse as a bare variable key: a name.
                            hcl::ObjectKey::Expression(Expression::Variable(v)) => Some(v.as_str().to_string()),
                            hcl::ObjectKey::Expression(Expression::String(text)) => Some(text.clone()),
                            hcl::ObjectKey::Expression(Expression::TemplateExpr(t)) => literal_template(t),
                            _ => None,
                        };
                        (key, SourceValue::of(value))
                    })
                    .collect(),
            ),
            _ => SourceValue::unknown(expr),
        }
    }

    fn unknown(expr: &Expression) -> SourceValue {
        let mut references = Vec::new();
        collect(expr, &mut Vec::new(), &mut references);
        references.sort();
        references.dedup();
        SourceValue::Unknown { references }
    }
}

/// The text of a quoted template without interpolations or directives.
fn literal_template(t: &hcl::expr::TemplateExpr) -> Option<String> {
    let template = Template::from_expr(t).ok()?;
    let mut text = String::new();
    for element in template.elements() {
        match element {
            Element::Literal(l) => text.push_str(l),
            _ => return None,
        }
    }
    Some(text)
}

/// Reads the locals of the root module in `root` and of every module call below it: module
/// directories come from `.terraform/modules/modules.json` when `terraform init` wrote one,
/// otherwise from relative `source` paths.
pub(crate) fn read_sources(
    root: &Path,
    config: &ConfigModule,
    warnings: &mut Vec<Warning>,
) -> Result<Sources, GraphError> {
    std::fs::read_dir(root).map_err(|source| GraphError::SourceDir {
        path: root.to_path_buf(),
        source,
    })?;
    let manifest = read_manifest(root);
    let mut sources = Sources::default();
    let mut names = Vec::new();
    walk(root, root, config, &mut names, &manifest, &mut sources, warnings);
    Ok(sources)
}

fn read_manifest(root: &Path) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let Ok(text) = std::fs::read_to_string(root.join(".terraform/modules/modules.json")) else {
        return out;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return out;
    };
    if let Some(list) = json.get("Modules").and_then(|m| m.as_array()) {
        for entry in list {
            if let (Some(key), Some(dir)) = (
                entry.get("Key").and_then(|k| k.as_str()),
                entry.get("Dir").and_then(|d| d.as_str()),
            ) {
                out.insert(key.to_string(), root.join(dir));
            }
        }
    }
    out
}

fn walk(
    root: &Path,
    dir: &Path,
    module: &ConfigModule,
    names: &mut Vec<String>,
    manifest: &HashMap<String, PathBuf>,
    sources: &mut Sources,
    warnings: &mut Vec<Warning>,
) {
    let config_path: String = names
        .iter()
        .map(|n| format!("module.{n}"))
        .collect::<Vec<_>>()
        .join(".");
    let prefix = if config_path.is_empty() {
        String::new()
    } else {
        format!("{config_path}.")
    };
    let locals = read_files(dir, &prefix, &mut sources.documents, warnings);
    sources.locals.insert(config_path.clone(), locals);
    for (name, call) in &module.module_calls {
        names.push(name.clone());
        let key = names.join(".");
        let child_dir = if let Some(d) = manifest.get(&key) {
            Some(d.clone())
        } else if call.source.starts_with("./") || call.source.starts_with("../") {
            Some(dir.join(&call.source))
        } else {
            None
        };
        match child_dir.filter(|d| d.is_dir()) {
            Some(d) => walk(root, &d, &call.module, names, manifest, sources, warnings),
            None => warnings.push(Warning {
                code: "module-source-not-found",
                message: format!(
                    "the sources of {config_path}{}module.{name} (source {:?}) are not under {}: its locals are not \
                     followed (run `terraform init` there so .terraform/modules/modules.json lists it)",
                    if config_path.is_empty() { "" } else { "." },
                    call.source,
                    root.display()
                ),
            }),
        }
        names.pop();
    }
}

/// Reads a module directory's `.tf` files: returns its locals (name to references) and adds
/// its resources' `jsonencode(...)` arguments to `documents`.
fn read_files(
    dir: &Path,
    prefix: &str,
    documents: &mut HashMap<String, BTreeMap<String, SourceValue>>,
    warnings: &mut Vec<Warning>,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
            .collect(),
        Err(err) => {
            warnings.push(Warning {
                code: "source-unreadable",
                message: format!("cannot read {}: {err}", dir.display()),
            });
            return out;
        }
    };
    files.sort();
    for file in files {
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(err) => {
                warnings.push(Warning {
                    code: "source-unreadable",
                    message: format!("cannot read {}: {err}", file.display()),
                });
                continue;
            }
        };
        // Terraform accepts a UTF-8 byte order mark (Windows editors write one); hcl-rs does not.
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let body = match hcl::parse(text) {
            Ok(b) => b,
            Err(err) => {
                warnings.push(Warning {
                    code: "source-unparsable",
                    message: format!("cannot parse {}: {err}; its locals are not followed", file.display()),
                });
                continue;
            }
        };
        for block in body.blocks().filter(|b| b.identifier() == "resource") {
            let [type_label, name_label] = block.labels() else {
                continue;
            };
            for attr in block.body().attributes() {
                if let Expression::FuncCall(call) = attr.expr() {
                    if call.name.namespace.is_empty() && call.name.name.as_str() == "jsonencode" && call.args.len() == 1
                    {
                        documents
                            .entry(format!("{prefix}{}.{}", type_label.as_str(), name_label.as_str()))
                            .or_default()
                            .insert(attr.key().to_string(), SourceValue::of(&call.args[0]));
                    }
                }
            }
        }
        for block in body.blocks().filter(|b| b.identifier() == "locals") {
            for attr in block.body().attributes() {
                let mut refs = Vec::new();
                collect(attr.expr(), &mut Vec::new(), &mut refs);
                refs.sort();
                refs.dedup();
                out.insert(attr.key().to_string(), refs);
            }
        }
    }
    out
}

/// Collects the references an HCL expression makes, as Terraform spells them in plan JSON
/// (`aws_vpc.main.id`, `module.net["a"].id`, `var.x`), skipping `for` variables in scope.
pub(crate) fn collect(expr: &Expression, scope: &mut Vec<String>, out: &mut Vec<String>) {
    match expr {
        Expression::Variable(v) if !scope.iter().any(|s| s == v.as_str()) => {
            out.push(v.as_str().to_string());
        }
        Expression::Traversal(t) => {
            if let Expression::Variable(v) = &t.expr {
                if !scope.iter().any(|s| s == v.as_str()) {
                    let mut text = v.as_str().to_string();
                    for op in &t.operators {
                        match op {
                            TraversalOperator::GetAttr(id) => {
                                text.push('.');
                                text.push_str(id.as_str());
                            }
                            TraversalOperator::LegacyIndex(n) => text.push_str(&format!("[{n}]")),
                            TraversalOperator::Index(Expression::Number(n)) => text.push_str(&format!("[{n}]")),
                            TraversalOperator::Index(Expression::String(s)) => {
                                text.push_str(&format!("[{}]", planguard_plan::address::hcl_quote(s)));
                            }
                            _ => break,
                        }
                    }
                    out.push(text);
                }
            } else {
                collect(&t.expr, scope, out);
            }
            for op in &t.operators {
                if let TraversalOperator::Index(e) = op {
                    collect(e, scope, out);
                }
            }
        }
        Expression::Array(items) => items.iter().for_each(|e| collect(e, scope, out)),
        Expression::Object(object) => {
            for (key, value) in object {
                if let hcl::ObjectKey::Expression(k) = key {
                    // A bare identifier-like key expression is a literal name, not a reference.
                    if !matches!(k, Expression::Variable(_)) {
                        collect(k, scope, out);
                    }
                }
                collect(value, scope, out);
            }
        }
        Expression::TemplateExpr(t) => {
            if let Ok(template) = Template::from_expr(t) {
                collect_template(&template, scope, out);
            }
        }
        Expression::FuncCall(call) => call.args.iter().for_each(|e| collect(e, scope, out)),
        Expression::Parenthesis(e) => collect(e, scope, out),
        Expression::Conditional(c) => {
            collect(&c.cond_expr, scope, out);
            collect(&c.true_expr, scope, out);
            collect(&c.false_expr, scope, out);
        }
        Expression::Operation(op) => match op.as_ref() {
            hcl::expr::Operation::Unary(u) => collect(&u.expr, scope, out),
            hcl::expr::Operation::Binary(b) => {
                collect(&b.lhs_expr, scope, out);
                collect(&b.rhs_expr, scope, out);
            }
        },
        Expression::ForExpr(f) => {
            collect(&f.collection_expr, scope, out);
            let pushed = push_vars(scope, f.key_var.as_ref().map(|k| k.as_str()), f.value_var.as_str());
            if let Some(k) = &f.key_expr {
                collect(k, scope, out);
            }
            collect(&f.value_expr, scope, out);
            if let Some(c) = &f.cond_expr {
                collect(c, scope, out);
            }
            scope.truncate(scope.len() - pushed);
        }
        _ => {}
    }
}

fn push_vars(scope: &mut Vec<String>, key: Option<&str>, value: &str) -> usize {
    let mut n = 1;
    scope.push(value.to_string());
    if let Some(k) = key {
        scope.push(k.to_string());
        n += 1;
    }
    n
}

fn collect_template(template: &Template, scope: &mut Vec<String>, out: &mut Vec<String>) {
    for element in template.elements() {
        match element {
            Element::Literal(_) => {}
            Element::Interpolation(i) => collect(&i.expr, scope, out),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(i) => {
                    collect(&i.cond_expr, scope, out);
                    collect_template(&i.true_template, scope, out);
                    if let Some(f) = &i.false_template {
                        collect_template(f, scope, out);
                    }
                }
                Directive::For(f) => {
                    collect(&f.collection_expr, scope, out);
                    let pushed = push_vars(scope, f.key_var.as_ref().map(|k| k.as_str()), f.value_var.as_str());
                    collect_template(&f.template, scope, out);
                    scope.truncate(scope.len() - pushed);
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(src: &str) -> Vec<String> {
        let body = hcl::parse(&format!("locals {{\n  x = {src}\n}}\n")).unwrap();
        let block = body.blocks().next().unwrap();
        let attr = block.body().attributes().next().unwrap();
        let mut out = Vec::new();
        collect(attr.expr(), &mut Vec::new(), &mut out);
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn finds_references() {
        assert_eq!(refs("\"app:${terraform_data.app.id}\""), vec!["terraform_data.app.id"]);
        assert_eq!(
            refs("{ for k, s in aws_subnet.a : k => s.id if var.on }"),
            vec!["aws_subnet.a", "var.on"]
        );
        assert_eq!(refs("merge(var.tags, { env = var.env })"), vec!["var.env", "var.tags"]);
        assert_eq!(refs("module.net[\"a\"].ids[0]"), vec!["module.net[\"a\"].ids[0]"]);
        assert_eq!(refs("local.m[var.k]"), vec!["local.m", "var.k"]);
        assert_eq!(
            refs("\"%{ for x in var.list }${x}-${local.sep}%{ endfor }\""),
            vec!["local.sep", "var.list"]
        );
        assert_eq!(refs("[for s in data.aws_x.y[*].id : s]"), vec!["data.aws_x.y"]);
    }
}
