//! The rule harness: every rule runs alone on its fixture `fixtures/rules/<ID>/plan.json`.
//!
//! For each rule it checks the naming convention of the fixture's resources (`bad*` get a
//! `fail` finding from the rule, `unknown*` an `unknown` one, `good*` none) and snapshots
//! the findings (`snapshots/fixtures__<ID>.snap`). Meta-tests guard the registry: ids unique
//! and well formed, file and directory names agree with the rule, every rule documented
//! and tested, every fixture owned by a rule. Adding a rule needs no change here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use planguard_graph::{Graph, GraphOptions};
use planguard_plan::{load_file, LoadOptions, Plan};
use planguard_rules::{
    builtin_rule_path, evaluate, ConfigRelations, EvalOptions, Finding, RuleSet, RuleSource, Status,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixtures_dir() -> PathBuf {
    repo().join("fixtures/rules")
}

fn load(path: &Path) -> Plan {
    match load_file(path, &LoadOptions::default()) {
        Ok(loaded) => loaded.plan,
        Err(e) => panic!("cannot load {}: {e}", path.display()),
    }
}

/// Runs one rule alone on a plan, with the dependency graph as `planguard check` builds it
/// (the fixture's `.tf` sources given, so locals are followed).
fn run(rules: &RuleSet, id: &str, plan: &Plan, dir: &Path) -> Vec<Finding> {
    let only = rules.only(&[id]).unwrap();
    let options = GraphOptions {
        source_dir: Some(dir.to_path_buf()),
    };
    let graph = Graph::build(plan, &options).unwrap().graph;
    let evaluation = evaluate(plan, Some(&graph), &only, &EvalOptions::default()).unwrap();
    assert!(
        evaluation.value_issues.is_empty(),
        "{id}: unreadable values: {:?}",
        evaluation.value_issues
    );
    // The plan-only relations (no graph crate) must agree on every fixture with the graph
    // built from the plan alone (the `.tf` sources add what the plan lacks: locals and
    // `jsonencode(...)` documents).
    let fallback = ConfigRelations::build(plan);
    let simple = evaluate(plan, Some(&fallback), &only, &EvalOptions::default()).unwrap();
    let plan_only = Graph::build(plan, &GraphOptions::default()).unwrap().graph;
    let without_sources = evaluate(plan, Some(&plan_only), &only, &EvalOptions::default()).unwrap();
    assert_eq!(
        simple.findings, without_sources.findings,
        "{id}: ConfigRelations and the dependency graph disagree"
    );
    evaluation.findings
}

fn convention_errors(id: &str, plan: &Plan, findings: &[Finding]) -> Vec<String> {
    let mut errors = Vec::new();
    let mut checked = 0;
    for change in &plan.resource_changes {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.resource == change.address).collect();
        let statuses: BTreeSet<Status> = mine.iter().map(|f| f.status).collect();
        let name = change.name.as_str();
        let expected = if name.starts_with("bad") {
            Some(Status::Fail)
        } else if name.starts_with("unknown") {
            Some(Status::Unknown)
        } else if name.starts_with("good") {
            None
        } else {
            continue;
        };
        checked += 1;
        match expected {
            Some(status) if !statuses.contains(&status) => errors.push(format!(
                "{id}: {} should get a `{}` finding, got {:?}",
                change.address,
                status.as_str(),
                mine.iter().map(|f| (f.status, &f.message)).collect::<Vec<_>>()
            )),
            None if !mine.is_empty() => errors.push(format!(
                "{id}: {} should get no finding, got {:?}",
                change.address,
                mine.iter().map(|f| (f.status, &f.message)).collect::<Vec<_>>()
            )),
            _ => {}
        }
    }
    let bad = plan
        .resource_changes
        .iter()
        .filter(|c| c.name.starts_with("bad"))
        .count();
    let good = plan
        .resource_changes
        .iter()
        .filter(|c| c.name.starts_with("good"))
        .count();
    if bad == 0 || good == 0 {
        errors.push(format!(
            "{id}: the fixture needs at least one `bad*` and one `good*` resource ({checked} checked)"
        ));
    }
    errors
}

#[test]
fn every_rule_on_its_fixture() {
    let rules = RuleSet::builtin().unwrap();
    let mut errors = Vec::new();
    for meta in rules.rules() {
        let id = meta.id.to_string();
        let plan_path = fixtures_dir().join(&id).join("plan.json");
        if !plan_path.is_file() {
            errors.push(format!("{id}: no fixture at {}", plan_path.display()));
            continue;
        }
        let plan = load(&plan_path);
        let findings = run(&rules, &id, &plan, &fixtures_dir().join(&id));
        errors.extend(convention_errors(&id, &plan, &findings));
        insta::with_settings!({
            description => format!("{id}: {} (fixtures/rules/{id}/plan.json)", meta.title),
            omit_expression => true,
            prepend_module_to_snapshot => true,
        }, {
            insta::assert_json_snapshot!(id.as_str(), serde_json::json!({ "findings": findings }));
        });
    }
    assert!(errors.is_empty(), "\n{}", errors.join("\n"));
}

#[test]
fn ids_are_unique_well_formed_and_match_their_files() {
    let rules = RuleSet::builtin().unwrap();
    let mut seen = BTreeSet::new();
    for meta in rules.rules() {
        assert!(seen.insert(meta.id.to_string()), "duplicate id {}", meta.id);
        let parts: Vec<&str> = meta.id.split('-').collect();
        assert!(parts.len() >= 3, "{}", meta.id);
        match &meta.source {
            RuleSource::Builtin { path, .. } => {
                assert_eq!(
                    path,
                    &builtin_rule_path(&meta.provider, &meta.id),
                    "rule files live at rules/<provider>/<service>/<ID>.yaml (scripts/relocate-rules.sh moves them)"
                );
            }
            RuleSource::Rust { path, .. } => {
                let dir = format!("{}/{}/", meta.provider, meta.service());
                assert!(
                    path.starts_with(&dir) && path.ends_with(".rs") && !path[dir.len()..].contains('/'),
                    "{}: Rust rules live at crates/rules/src/builtin/<provider>/<service>/<rule>.rs, not {path}",
                    meta.id
                );
            }
            RuleSource::File { path, .. } => panic!("builtin pack has a user file {path}"),
        }
        let prefix = match meta.provider.as_str() {
            "aws" => "AWS-",
            "azurerm" => "AZURE-",
            "google" => "GCP-",
            other => panic!("{}: unexpected provider {other}", meta.id),
        };
        assert!(meta.id.starts_with(prefix), "{} should start with {prefix}", meta.id);
    }
    let rust = rules
        .rules()
        .filter(|m| matches!(m.source, RuleSource::Rust { .. }))
        .count();
    assert_eq!(
        RuleSet::builtin_files().len() + rust,
        rules.len(),
        "YAML files + the Rust rules"
    );
}

#[test]
fn every_rule_is_documented() {
    let rules = RuleSet::builtin().unwrap();
    for meta in rules.rules() {
        let id = &meta.id;
        assert!(!meta.title.trim().is_empty(), "{id}: title");
        assert!(!meta.title.ends_with('.'), "{id}: titles don't end with a period");
        assert!(meta.description.trim().len() > 40, "{id}: description too short");
        assert!(!meta.remediation.trim().is_empty(), "{id}: remediation");
        assert!(!meta.references.is_empty(), "{id}: needs at least one reference");
        for url in &meta.references {
            assert!(url.starts_with("https://"), "{id}: reference {url} is not an https URL");
        }
        assert!(!meta.resource_types.is_empty(), "{id}: resource_types");
        let text = rules.explain(id).unwrap();
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Use instead",
            "## References",
        ] {
            assert!(text.contains(heading), "{id}: explain lacks {heading}");
        }
    }
}

#[test]
fn every_fixture_belongs_to_a_rule() {
    let rules = RuleSet::builtin().unwrap();
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_dir() {
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if rules.get(&name).is_none() {
            orphans.push(name);
        }
    }
    assert!(orphans.is_empty(), "fixtures without a rule: {orphans:?}");
}
