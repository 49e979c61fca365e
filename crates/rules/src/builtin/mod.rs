//! Rules written in Rust, for logic the YAML format can't express.
//!
//! One rule per file, grouped by provider and service like the YAML pack:
//! `builtin/<provider>/<service>/<rule>.rs` (AWS-IAM-001 is `aws/iam/wildcard_policy.rs`).
//! A rule file is its documentation, its metadata and its check, nothing else:
//!
//! ```ignore
//! rust_rule! {
//!     /// ## What it does
//!     /// ... (ruff's headings: `## What it does`, `## Why is this bad?`, `## Example`,
//!     /// `## Use instead`, `## References`)
//!     pub struct SqsUnencrypted {
//!         id: "AWS-SQS-001",
//!         title: "SQS queue is not encrypted at rest",
//!         severity: Medium,
//!         category: Encryption,
//!         resource_types: &["aws_sqs_queue"],
//!         benchmarks: &["AWS FSBP SQS.1"],
//!         checkov: &["CKV_AWS_27"],
//!         attributes: &["kms_master_key_id", "sqs_managed_sse_enabled"],
//!     }
//! }
//!
//! fn check(cx: &Context<'_>, out: &mut Vec<Hit>) { ... }
//! ```
//!
//! [`RuleMeta`] is built from the doc comment and the fields, so `planguard rules explain`
//! prints exactly what the source says; the provider is the rule's directory. The rule is
//! registered by its file: `build.rs` lists `builtin/<provider>/<service>/*.rs`, so a new
//! rule needs its `mod` line in the service's `mod.rs` and nothing else (a file without one
//! is a compile error naming it).
//!
//! Helpers shared by several rules (`aws_setting`, `policy_doc`, ...) sit beside this file.

use std::sync::Arc;

use planguard_plan::ActionKind;

use crate::meta::{Category, Peers, RuleMeta, RuleSource, Severity};
use crate::rule::Rule;

mod aws_secret_scan;
mod aws_setting;
mod iam_policies;
mod managed_policy;
mod oidc_trust;
mod policy_doc;
mod sg_ingress;

pub(crate) mod aws;
pub(crate) mod azurerm;

include!(concat!(env!("OUT_DIR"), "/rust_rules.rs"));

/// Every Rust rule: one per file under `builtin/<provider>/<service>/`.
pub(crate) fn rust_rules() -> Vec<Arc<dyn Rule>> {
    RUST_RULES.iter().map(|rule| rule()).collect()
}

/// Declares a Rust rule from its doc comment and its metadata; the module's `fn check(cx:
/// &Context<'_>, out: &mut Vec<Hit>)` is its check. Fields are in this order; those in
/// brackets are optional:
///
/// - `id`, `title`: literals;
/// - `severity`, `category`: a [`Severity`] and a [`Category`] variant (`High`, `Iam`);
/// - `resource_types`: `&[&str]` (a literal slice or a const);
/// - [`actions`]: `&[ActionKind]`, default create, update and replace;
/// - [`benchmarks`], [`checkov`], [`trivy`]: `&[&str]`, default none;
/// - `attributes`: `&[&str]`, the top-level attributes the check reads ([`Rule::attributes`]):
///   the engine parses only those, so read nothing else;
/// - [`reads_before`]: `bool`, default `false` ([`Rule::reads_before`]).
///
/// It expands to the struct (with `DOC`, `new` and `Default`), its [`Rule`] impl, and the
/// module's `rule()` constructor the generated registry calls.
macro_rules! rust_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            title: $title:literal,
            severity: $severity:ident,
            category: $category:ident,
            resource_types: $types:expr,
            $(actions: $actions:expr,)?
            $(benchmarks: $benchmarks:expr,)?
            $(checkov: $checkov:expr,)?
            $(trivy: $trivy:expr,)?
            attributes: $attributes:expr,
            $(reads_before: $reads_before:expr,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug)]
        pub struct $name {
            meta: $crate::meta::RuleMeta,
        }

        impl $name {
            /// This rule's documentation: the doc comment above.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);

            /// The rule.
            pub fn new() -> Self {
                $name {
                    meta: $crate::builtin::Head {
                        id: $id,
                        title: $title,
                        severity: $crate::meta::Severity::$severity,
                        category: $crate::meta::Category::$category,
                        resource_types: $types,
                        actions: $crate::builtin::or_default!(&$crate::meta::DEFAULT_ACTIONS $(, $actions)?),
                        benchmarks: $crate::builtin::or_default!(&[] $(, $benchmarks)?),
                        checkov: $crate::builtin::or_default!(&[] $(, $checkov)?),
                        trivy: $crate::builtin::or_default!(&[] $(, $trivy)?),
                        type_name: stringify!($name),
                        module: module_path!(),
                        file: file!(),
                    }
                    .into_meta(Self::DOC),
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl $crate::rule::Rule for $name {
            fn meta(&self) -> &$crate::meta::RuleMeta {
                &self.meta
            }

            fn reads_before(&self) -> bool {
                $crate::builtin::or_default!(false $(, $reads_before)?)
            }

            fn attributes(&self) -> Option<Vec<String>> {
                let names: &[&str] = $attributes;
                Some(names.iter().map(|n| n.to_string()).collect())
            }

            fn check(&self, cx: &$crate::rule::Context<'_>, out: &mut Vec<$crate::rule::Hit>) {
                check(cx, out)
            }
        }

        /// This file's rule, for the registry `build.rs` generates.
        pub(crate) fn rule() -> ::std::sync::Arc<dyn $crate::rule::Rule> {
            ::std::sync::Arc::new($name::new())
        }
    };
}
pub(crate) use rust_rule;

/// The second argument when given, else the first: [`rust_rule!`]'s optional fields.
macro_rules! or_default {
    ($default:expr) => {
        $default
    };
    ($default:expr, $value:expr) => {
        $value
    };
}
pub(crate) use or_default;

/// The parts of a Rust rule's metadata that aren't prose ([`rust_rule!`] fills it).
pub(crate) struct Head {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) severity: Severity,
    pub(crate) category: Category,
    pub(crate) resource_types: &'static [&'static str],
    pub(crate) actions: &'static [ActionKind],
    pub(crate) benchmarks: &'static [&'static str],
    pub(crate) checkov: &'static [&'static str],
    pub(crate) trivy: &'static [&'static str],
    pub(crate) type_name: &'static str,
    /// `module_path!()`: `planguard_rules::builtin::<provider>::<service>::<rule>`.
    pub(crate) module: &'static str,
    /// `file!()` of the rule.
    pub(crate) file: &'static str,
}

/// The `## Heading` sections of a doc comment, in order.
pub(crate) fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in doc.lines() {
        // Doc comments keep the space after `///`.
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.trim().to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    for (_, body) in &mut out {
        *body = body.trim().to_string();
    }
    out
}

/// Splits a section into its prose and its first fenced code block.
fn prose_and_code(body: &str) -> (String, Option<String>) {
    let mut prose = String::new();
    let mut code: Option<String> = None;
    let mut in_code = false;
    let mut done = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            if in_code {
                done = true;
            } else if !done {
                code = Some(String::new());
            }
            in_code = !in_code;
            continue;
        }
        match (&mut code, in_code && !done) {
            (Some(c), true) => {
                c.push_str(line);
                c.push('\n');
            }
            _ => {
                prose.push_str(line);
                prose.push('\n');
            }
        }
    }
    (prose.trim().to_string(), code.map(|c| c.trim_end().to_string()))
}

/// A URL from a `- [text](url)` or `- url` list item.
fn reference(line: &str) -> Option<String> {
    let item = line.trim().strip_prefix("- ")?.trim();
    if let (Some(open), true) = (item.find("]("), item.ends_with(')')) {
        return Some(item[open + 2..item.len() - 1].to_string());
    }
    Some(item.to_string())
}

impl Head {
    /// Builds the metadata from the head and the doc comment's sections.
    pub(crate) fn into_meta(self, doc: &str) -> RuleMeta {
        let sections = sections(doc);
        let get = |name: &str| {
            sections
                .iter()
                .find(|(h, _)| h == name)
                .map(|(_, b)| b.clone())
                .unwrap_or_default()
        };
        let (_, example) = prose_and_code(&get("Example"));
        let (remediation, snippet) = prose_and_code(&get("Use instead"));
        RuleMeta {
            id: Arc::from(self.id),
            title: self.title.to_string(),
            summary: Some(get("What it does")).filter(|s| !s.is_empty()),
            severity: self.severity,
            category: self.category,
            provider: provider_of(self.module).to_string(),
            resource_types: self.resource_types.iter().map(|s| s.to_string()).collect(),
            actions: self.actions.to_vec(),
            description: get("Why is this bad?"),
            remediation,
            remediation_snippet: snippet,
            example,
            references: get("References").lines().filter_map(reference).collect(),
            benchmarks: self.benchmarks.iter().map(|s| s.to_string()).collect(),
            peers: Peers {
                checkov: self.checkov.iter().map(|s| s.to_string()).collect(),
                trivy: self.trivy.iter().map(|s| s.to_string()).collect(),
                ..Peers::default()
            },
            uses_graph: false,
            source: RuleSource::Rust {
                name: self.type_name.to_string(),
                path: builtin_relative(self.file),
            },
        }
    }
}

/// The provider of a rule from its module path: the module under `builtin`.
fn provider_of(module: &str) -> &str {
    let mut steps = module.split("::").skip_while(|s| *s != "builtin");
    steps.next();
    steps.next().unwrap_or("")
}

/// A rule's file relative to `crates/rules/src/builtin/` (`aws/iam/wildcard_policy.rs`),
/// whatever directory the crate was built from.
fn builtin_relative(file: &str) -> String {
    let file = file.replace('\\', "/");
    match file.rfind("src/builtin/") {
        Some(at) => file[at + "src/builtin/".len()..].to_string(),
        None => file,
    }
}
