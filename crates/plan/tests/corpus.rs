//! Reads every plan of the shared corpus of real plans (`../shared/corpus`, or
//! `$PLANGUARD_CORPUS`): each must parse, except the deliberately broken files under `odd/`
//! folders, which must each be rejected with a clear error.

use std::collections::BTreeSet;

use planguard_plan::{load_file, Action, LoadOptions, PlanError};

/// Corpus files whose `planned_values` were trimmed by hand in their source repository, so
/// they disagree with their own `resource_changes` (checked: the JSON itself lacks the
/// resources, not planguard).
const HAND_TRIMMED: &[&str] = &[
    // planned_values keeps 1 of 56 resources.
    "parser__resources__plan_tags__tfplan.json",
    // two aws_route.private instances are in resource_changes only.
    "terraform-plan__tf-plan-create.json",
];

#[test]
fn every_corpus_plan_parses_and_odd_ones_are_rejected() {
    let Some(dir) = planguard_plan::corpus::dir_for_tests() else {
        return;
    };
    let files = planguard_plan::corpus::json_files(&dir);
    let (mut parsed, mut rejected) = (0, 0);
    let mut failures = Vec::new();
    for path in &files {
        let odd = path.components().any(|c| c.as_os_str() == "odd");
        match (load_file(path, &LoadOptions::default()), odd) {
            (Ok(loaded), false) => {
                parsed += 1;
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                match (instance_counts_agree(&loaded.plan), HAND_TRIMMED.contains(&name)) {
                    (Err(msg), false) => failures.push(format!("{}: {msg}", path.display())),
                    (Ok(()), true) => {
                        failures.push(format!("{}: listed as hand-trimmed but consistent", path.display()))
                    }
                    _ => {}
                }
                for rc in &loaded.plan.resource_changes {
                    if let Err(e) = rc.values() {
                        failures.push(format!("{}: {}: {e}", path.display(), rc.address));
                    }
                }
            }
            (Err(e), true) => {
                rejected += 1;
                let msg = e.to_string();
                assert!(msg.contains(&path.display().to_string()), "error names the file: {msg}");
                assert!(
                    matches!(e, PlanError::Json { .. }),
                    "odd file rejected as bad JSON: {msg}"
                );
            }
            (Err(e), false) => failures.push(format!("should parse: {e}")),
            (Ok(_), true) => failures.push(format!("{}: should be rejected", path.display())),
        }
    }
    println!(
        "corpus: checked {} files: {parsed} plans parsed, {rejected} odd files rejected",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(parsed > 200, "expected the whole corpus, parsed {parsed}");
}

/// The instances in `planned_values` plus those being deleted or forgotten equal the instances
/// `resource_changes` covers.
fn instance_counts_agree(plan: &planguard_plan::Plan) -> Result<(), String> {
    let Some(planned) = &plan.planned_values else {
        return Ok(());
    };
    let planned: BTreeSet<&str> = planned.resources().iter().map(|r| r.address.as_str()).collect();
    let mut expected = BTreeSet::new();
    for rc in &plan.resource_changes {
        if rc.deposed.is_some() {
            continue;
        }
        if rc.action().has_after() {
            expected.insert(rc.address.as_str());
        }
    }
    let missing: Vec<_> = expected.difference(&planned).collect();
    let extra: Vec<_> = planned.difference(&expected).collect();
    if missing.is_empty() && extra.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "planned_values vs resource_changes: missing {missing:?}, extra {extra:?}"
        ))
    }
}

#[test]
fn action_enum_covers_corpus() {
    let Some(dir) = planguard_plan::corpus::dir_for_tests() else {
        return;
    };
    let files = planguard_plan::corpus::json_files(&dir);
    let mut seen = BTreeSet::new();
    for path in files.iter().filter(|p| !p.components().any(|c| c.as_os_str() == "odd")) {
        if let Ok(loaded) = load_file(path, &LoadOptions::default()) {
            for rc in &loaded.plan.resource_changes {
                seen.insert(rc.action());
            }
        }
    }
    for action in [
        Action::Create,
        Action::Update,
        Action::Delete,
        Action::NoOp,
        Action::DeleteThenCreate,
    ] {
        assert!(seen.contains(&action), "corpus has {action}");
    }
}
