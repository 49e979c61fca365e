//! Loading rules: the embedded pack, user directories, merging, lookup.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::RuleError;
use crate::filter::RuleFilter;
use crate::meta::{RuleMeta, RuleSource};
use crate::rule::Rule;
use crate::yaml::parse_rule;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A set of rules with unique ids, in id order.
#[derive(Clone, Default)]
pub struct RuleSet {
    rules: Vec<Arc<dyn Rule>>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.rules.iter().map(|r| &r.meta().id)).finish()
    }
}

impl RuleSet {
    /// The rule pack built into planguard: every `rules/**/*.yaml` of the repository,
    /// embedded at build time, and the Rust rules of `builtin/`.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let mut rules: Vec<Arc<dyn Rule>> = Vec::new();
        for (path, text) in EMBEDDED_RULES {
            let rule = parse_rule(
                &format!("builtin:{path}"),
                text,
                RuleSource::Builtin {
                    path: path.to_string(),
                    line: 1,
                    column: 1,
                },
            )?;
            rules.push(Arc::new(rule));
        }
        rules.extend(crate::builtin::rust_rules());
        RuleSet::from_rules(rules)
    }

    /// The embedded rule files as `(path relative to rules/, text)`, for tooling and tests.
    pub fn builtin_files() -> &'static [(&'static str, &'static str)] {
        EMBEDDED_RULES
    }

    /// Reads every `*.yaml` / `*.yml` file under `dir` (recursively, in path order), one
    /// rule per file: a planguard rule named by its rule id, or a Checkov custom policy
    /// (a mapping with `metadata` and `definition`, see [`crate::checkov`]), and every
    /// `*.json` Checkov policy (other JSON files are not rules and are passed over). A
    /// Python file (a Checkov Python check) is an error.
    pub fn load_dir(dir: &Path) -> Result<RuleSet, RuleError> {
        let mut files = Vec::new();
        collect(dir, &mut files)?;
        let mut rules: Vec<Arc<dyn Rule>> = Vec::new();
        for path in files {
            let bytes = std::fs::read(&path).map_err(|source| RuleError::Io {
                path: path.clone(),
                source,
            })?;
            let name = path.display().to_string();
            let text = planguard_plan::text::decode_text(&bytes).map_err(|e| RuleError::Parse {
                file: name.clone(),
                line: e.line as u64,
                column: e.column as u64,
                message: e.reason,
            })?;
            let json = path.extension().and_then(|e| e.to_str()) == Some("json");
            if json && !crate::checkov::is_json_checkov_policy(&text) {
                // Other JSON (plans, data) sits beside policies in Checkov's directories too.
                continue;
            }
            let rule = if json || crate::checkov::is_checkov_policy(&text) {
                crate::checkov::parse_policy(&name, &text)?
            } else {
                parse_rule(
                    &name,
                    &text,
                    RuleSource::File {
                        path: name.clone(),
                        line: 1,
                        column: 1,
                    },
                )?
            };
            rules.push(Arc::new(rule));
        }
        RuleSet::from_rules(rules)
    }

    /// Parses one rule from text; `file` names it in errors and must end in `ID.yaml`.
    pub fn parse_rule(file: &str, text: &str) -> Result<RuleSet, RuleError> {
        let rule = parse_rule(
            file,
            text,
            RuleSource::File {
                path: file.to_string(),
                line: 1,
                column: 1,
            },
        )?;
        RuleSet::from_rules(vec![Arc::new(rule)])
    }

    /// Translates one Checkov custom policy from text; `file` names it in errors and findings.
    pub fn parse_checkov_policy(file: &str, text: &str) -> Result<RuleSet, RuleError> {
        RuleSet::from_rules(vec![Arc::new(crate::checkov::parse_policy(file, text)?)])
    }

    /// A set of the given rules; fails on duplicate ids.
    pub fn from_rules(rules: Vec<Arc<dyn Rule>>) -> Result<RuleSet, RuleError> {
        let mut set = RuleSet { rules: Vec::new() };
        set.add(rules)?;
        Ok(set)
    }

    fn add(&mut self, rules: Vec<Arc<dyn Rule>>) -> Result<(), RuleError> {
        let mut seen: HashMap<Arc<str>, String> = self
            .rules
            .iter()
            .map(|r| (r.meta().id.clone(), r.meta().source.to_string()))
            .collect();
        for rule in rules {
            let meta = rule.meta();
            if let Some(first) = seen.get(&meta.id) {
                let (line, column) = meta.source.position();
                return Err(RuleError::DuplicateId {
                    id: meta.id.to_string(),
                    file: meta.source.to_string(),
                    line,
                    column,
                    first: first.clone(),
                });
            }
            seen.insert(meta.id.clone(), meta.source.to_string());
            self.rules.push(rule);
        }
        self.rules.sort_by(|a, b| a.meta().id.cmp(&b.meta().id));
        Ok(())
    }

    /// This set plus `other`'s rules (user rules on top of the builtin pack); an id
    /// defined in both is an error, not an override, so ids stay unambiguous.
    pub fn merge(mut self, other: RuleSet) -> Result<RuleSet, RuleError> {
        self.add(other.rules)?;
        Ok(self)
    }

    /// The rule with this id.
    pub fn get(&self, id: &str) -> Option<&dyn Rule> {
        self.rules
            .binary_search_by(|r| (*r.meta().id).cmp(id))
            .ok()
            .map(|i| self.rules[i].as_ref())
    }

    /// Every rule's metadata, in id order.
    pub fn rules(&self) -> impl Iterator<Item = &RuleMeta> {
        self.rules.iter().map(|r| r.meta())
    }

    /// The metadata of the rules `filter` keeps, in id order.
    pub fn filtered<'a>(&'a self, filter: &'a RuleFilter) -> impl Iterator<Item = &'a RuleMeta> + 'a {
        self.rules().filter(move |m| filter.matches(m))
    }

    /// Every rule, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Rule> {
        self.rules.iter().map(|r| r.as_ref())
    }

    /// A set of just the rules whose ids are given (unknown ids are an error).
    pub fn only<S: AsRef<str>>(&self, ids: &[S]) -> Result<RuleSet, RuleError> {
        let mut rules = Vec::new();
        for id in ids {
            let id = id.as_ref();
            let i = self
                .rules
                .binary_search_by(|r| (*r.meta().id).cmp(id))
                .map_err(|_| RuleError::UnknownRule(id.to_string()))?;
            rules.push(self.rules[i].clone());
        }
        RuleSet::from_rules(rules)
    }

    /// The number of rules.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// True when there are no rules.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub(crate) fn by_index(&self, i: usize) -> &dyn Rule {
        self.rules[i].as_ref()
    }

    /// The text `planguard rules explain ID` prints. The id is matched regardless of case;
    /// another tool's check id (`CKV_AWS_88`) explains every rule that declares it as a peer.
    pub fn explain(&self, id: &str) -> Result<String, RuleError> {
        let own = |m: &RuleMeta| m.severity;
        let resolved = if id.contains(['*', '?', '[', '{']) {
            None
        } else {
            Some(self.resolve(id, crate::select::SeverityScope::AtOrAbove, &own)?)
        };
        match resolved {
            Some(r) if r.kind == crate::select::SelectorKind::Id && r.rules.len() == 1 => {
                Ok(crate::explain::explain(r.rules[0]))
            }
            Some(r) if r.kind == crate::select::SelectorKind::Peer && !r.rules.is_empty() => {
                let ids: Vec<&str> = r.rules.iter().map(|m| &*m.id).collect();
                let mut out = format!(
                    "{} is covered by {} planguard rule{}: {}\n",
                    id.trim().to_ascii_uppercase(),
                    ids.len(),
                    if ids.len() == 1 { "" } else { "s" },
                    ids.join(", ")
                );
                for m in r.rules {
                    out.push('\n');
                    out.push_str(&crate::explain::explain(m));
                }
                Ok(out)
            }
            _ => Err(RuleError::UnknownRule(id.to_string())),
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), RuleError> {
    let entries = std::fs::read_dir(dir).map_err(|source| RuleError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| RuleError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out)?;
        } else {
            match path.extension().and_then(|e| e.to_str()) {
                Some("yaml" | "yml" | "json") => out.push(path),
                // Checkov's Python custom checks can't be translated: an error, not a check
                // silently left out.
                Some("py") if path.file_name().and_then(|n| n.to_str()) != Some("__init__.py") => {
                    return Err(RuleError::Invalid {
                        file: path.display().to_string(),
                        line: 1,
                        column: 1,
                        message: "a Python custom check: planguard runs Checkov's YAML and JSON custom policies, not Python checks".into(),
                    })
                }
                _ => {}
            }
        }
    }
    Ok(())
}
