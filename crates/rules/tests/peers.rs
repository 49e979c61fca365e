//! Every peer id a rule declares exists in the peers' own check lists (`../shared/peers`:
//! Checkov's Terraform checks and trivy-checks), for the rule's provider, and a Checkov
//! peer looks at one of the rule's resource types. Wrong ids inflate the coverage figures of
//! `rules/COVERAGE.md` and mislead `planguard rules list --peer`.
//!
//! The lists live outside the repository (beside the worktrees); without them the test says
//! so and checks nothing. With them, any wrong id fails it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use planguard_rules::RuleSet;
use serde_json::Value;

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers")
}

/// The one file of `dir` whose name starts with `prefix` and ends with `.json`.
fn list(dir: &Path, prefix: &str) -> Vec<Value> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".json"))
        })
        .collect();
    found.sort();
    assert_eq!(
        found.len(),
        1,
        "{}: expected one {prefix}*.json, found {found:?}",
        dir.display()
    );
    let text = std::fs::read_to_string(&found[0]).unwrap();
    match serde_json::from_str(&text).unwrap() {
        Value::Array(items) => items,
        _ => panic!("{}: expected a JSON array", found[0].display()),
    }
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

#[test]
fn declared_peer_ids_exist_for_the_rule_provider_and_types() {
    let dir = peers_dir();
    if !dir.is_dir() {
        eprintln!("{} not found: peer ids not checked", dir.display());
        return;
    }
    // id -> (provider, resource types)
    let mut checkov: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for check in list(&dir, "checkov-") {
        let id = check["id"].as_str().unwrap().to_string();
        let provider = check["provider"].as_str().unwrap_or("").to_string();
        checkov.insert(id, (provider, strings(&check["resource_types"])));
    }
    let mut trivy: BTreeMap<String, String> = BTreeMap::new();
    for check in list(&dir, "trivy-checks-") {
        for avd in strings(&check["avd"]) {
            trivy.insert(avd, check["provider"].as_str().unwrap_or("").to_string());
        }
    }
    assert!(
        checkov.len() > 500 && trivy.len() > 200,
        "the peer lists look truncated"
    );

    let rules = RuleSet::builtin().unwrap();
    let mut errors = Vec::new();
    for meta in rules.rules() {
        let (checkov_provider, trivy_provider) = match meta.provider.as_str() {
            "aws" => ("aws", "aws"),
            "azurerm" => ("azure", "azure"),
            "google" => ("gcp", "google"),
            other => panic!("{}: unexpected provider {other}", meta.id),
        };
        let types: BTreeSet<&str> = meta
            .resource_types
            .iter()
            .map(|t| t.strip_prefix("data.").unwrap_or(t))
            .collect();
        for id in &meta.peers.checkov {
            match checkov.get(id) {
                None => errors.push(format!("{}: Checkov has no check {id}", meta.id)),
                Some((provider, _)) if provider != checkov_provider => {
                    errors.push(format!("{}: {id} is a check of provider {provider}", meta.id))
                }
                Some((_, checked)) if !checked.iter().any(|t| types.contains(t.as_str())) => errors.push(format!(
                    "{}: {id} looks at {checked:?}, none of the rule's resource types",
                    meta.id
                )),
                _ => {}
            }
        }
        // trivy-checks' resource types come from its Terraform examples (one rule type,
        // `aws_security_group_rule`, stands for inline rules too), so only ids and providers
        // are checked.
        for id in &meta.peers.trivy {
            match trivy.get(id) {
                None => errors.push(format!("{}: trivy-checks has no check {id}", meta.id)),
                Some(provider) if provider != trivy_provider => {
                    errors.push(format!("{}: {id} is a check of provider {provider}", meta.id))
                }
                _ => {}
            }
        }
    }
    assert!(errors.is_empty(), "\n{}", errors.join("\n"));
}
