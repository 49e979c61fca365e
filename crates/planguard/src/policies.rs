//! Rego policy results as findings: they then go through severity overrides, waivers,
//! inline skips, baselines, guardrails and every report format as the built-in rules' do.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::civil::Date;
use planguard_plan::{Action, Plan, Redactor, Shown};
use planguard_policy::{PolicyError, PolicyResult, PolicySet, RuleKind};
use planguard_rules::waiver::address_glob;
use planguard_rules::{Category, Finding, Severity, Status, WaivedFinding, Waiver, WaiverState};

use crate::error::AnalyzeError;
use crate::inline_skips::AppliedWaiver;

/// The resource a finding names when the policy's result names none: the plan as a whole.
pub const PLAN_RESOURCE: &str = "plan";

/// The prefix of the rule id of a policy result without an `id` field.
pub const REGO_ID_PREFIX: &str = "REGO:";

/// What the policies said about one plan, as findings.
pub(crate) struct PolicyFindings {
    /// Findings of the results no `exception` covers.
    pub findings: Vec<Finding>,
    /// Findings of the deny/violation results an `exception` covers, with the rule file.
    pub excepted: Vec<(Finding, String)>,
    /// Rule ids of warn rules' findings: they make a passing verdict a warning.
    pub warn_ids: std::collections::BTreeSet<Arc<str>>,
}

/// Evaluates the policies on the plan's JSON document.
pub(crate) fn evaluate(set: &PolicySet, plan: &Plan) -> Result<PolicyFindings, AnalyzeError> {
    let text = plan.json_text().ok_or_else(|| {
        PolicyError::Input("the plan was not read from a JSON document (load it with planguard_plan)".into())
    })?;
    let input = set.build_input(text)?;
    let outcome = set.evaluate(&input)?;
    // The input hides sensitive values already; scrubbing their text from the messages as
    // well covers a value a policy meets elsewhere (a literal in the configuration).
    let mut secrets = plan.sensitive_variables();
    for s in &input.secrets {
        secrets.add(s);
    }
    let changes: HashMap<&str, &planguard_plan::ResourceChange> =
        if outcome.results.is_empty() && outcome.excepted.is_empty() {
            HashMap::new()
        } else {
            plan.resource_changes
                .iter()
                .map(|rc| (rc.address.as_str(), rc))
                .collect()
        };
    let mut warn_ids = std::collections::BTreeSet::new();
    let findings = outcome
        .results
        .iter()
        .map(|r| {
            let f = to_finding(r, &changes, &secrets);
            if r.kind == RuleKind::Warn {
                warn_ids.insert(f.rule_id.clone());
            }
            f
        })
        .collect();
    let excepted = outcome
        .excepted
        .iter()
        .map(|r| (to_finding(r, &changes, &secrets), r.file.clone()))
        .collect();
    Ok(PolicyFindings {
        findings,
        excepted,
        warn_ids,
    })
}

fn to_finding(
    result: &PolicyResult,
    changes: &HashMap<&str, &planguard_plan::ResourceChange>,
    secrets: &Redactor,
) -> Finding {
    let rule_id: Arc<str> = match &result.id {
        Some(id) if !id.trim().is_empty() => Arc::from(secrets.scrub(id).as_str()),
        _ => Arc::from(format!("{REGO_ID_PREFIX}{}.{}", result.package, result.rule).as_str()),
    };
    let default = match result.kind {
        RuleKind::Deny | RuleKind::Violation => Severity::High,
        RuleKind::Warn => Severity::Low,
    };
    let severity = result
        .severity
        .as_deref()
        .and_then(|s| {
            let s = s.trim().to_ascii_lowercase();
            Severity::ALL.into_iter().find(|v| v.as_str() == s)
        })
        .unwrap_or(default);
    // conftest results are mostly plain messages that name the resource: take the first
    // word that is an address of the plan, so waivers, baselines and SARIF locations work
    // on them as on the built-in rules' findings.
    let address = result
        .address
        .as_deref()
        .map(|a| secrets.scrub(a))
        .or_else(|| address_in(&result.message, changes));
    let change = address.as_deref().and_then(|a| changes.get(a).copied());
    let (resource, resource_type, module, action) = match (address, change) {
        (Some(a), Some(rc)) => (a, rc.resource_type.clone(), rc.module().to_string(), rc.action()),
        (Some(a), None) => (a, String::new(), String::new(), Action::NoOp),
        (None, _) => (PLAN_RESOURCE.to_string(), String::new(), String::new(), Action::NoOp),
    };
    Finding {
        rule_id,
        // The policy's own words: its file and rule name, a name rather than a value.
        title: format!(
            "Rego {}.{} ({}:{})",
            result.package, result.rule, result.file, result.line
        ),
        severity,
        category: Category::Policy,
        status: if result.well_formed {
            Status::Fail
        } else {
            Status::Unknown
        },
        resource,
        resource_type,
        module,
        action,
        path: Shown::constant(""),
        // Built by the policy from an input whose sensitive values are masked, and scrubbed
        // of their text above.
        message: Shown::name(secrets.scrub(&result.message)),
    }
}

fn address_in(message: &str, changes: &HashMap<&str, &planguard_plan::ResourceChange>) -> Option<String> {
    message
        .split_whitespace()
        .map(|word| {
            word.trim_start_matches(['(', '\'', '`'])
                .trim_end_matches([':', ',', ';', '.', ')', '\'', '`'])
        })
        .find(|word| changes.contains_key(word))
        .map(str::to_string)
}

/// Config waivers over policy findings, as the rules crate applies them to its own:
/// the first active waiver that matches hides a finding; each waiver's outcome counts it.
pub(crate) fn apply_waivers(
    findings: Vec<Finding>,
    waivers: &[Waiver],
    today: Date,
    evaluation: &mut planguard_rules::Evaluation,
) -> Vec<Finding> {
    let compiled: Vec<Option<(globset::GlobMatcher, globset::GlobMatcher, bool)>> = waivers
        .iter()
        .map(|w| {
            let rule = address_glob(&w.rule).ok()?;
            let address = address_glob(&w.address).ok()?;
            Some((rule, address, w.expires.is_some_and(|d| d < today)))
        })
        .collect();
    let mut kept = Vec::new();
    for finding in findings {
        let mut hidden_by = None;
        for (i, c) in compiled.iter().enumerate() {
            let Some((rule, address, expired)) = c else {
                continue;
            };
            if rule.is_match(&*finding.rule_id) && address.is_match(&finding.resource) {
                if let Some(outcome) = evaluation.waivers.get_mut(i) {
                    outcome.matched += 1;
                    if !expired && outcome.state == WaiverState::Stale {
                        outcome.state = WaiverState::Applied;
                    }
                }
                if !expired && hidden_by.is_none() {
                    hidden_by = Some(i);
                }
            }
        }
        match hidden_by {
            Some(waiver) => evaluation.waived.push(WaivedFinding { finding, waiver }),
            None => kept.push(finding),
        }
    }
    kept
}

/// A policy `exception` as a waiver entry of the report: excepted results are reported,
/// as conftest tallies them, never dropped.
pub(crate) fn excepted_entry(finding: Finding, file: String) -> AppliedWaiver {
    AppliedWaiver {
        rule: finding.rule_id.to_string(),
        address: finding.resource.clone(),
        path: String::new(),
        reason: "excepted by the policy's `exception` rule".into(),
        expires: None,
        source: file,
        kind: "rego-exception",
        finding,
    }
}

/// `planguard policy test DIR...`: runs every `test_` rule, like `conftest verify`, and
/// returns the report (one line per test, then a tally) and the exit status: 0 when all
/// pass, 1 when one fails, 2 when one cannot be evaluated or there is none.
pub fn run_tests<P: AsRef<std::path::Path>>(dirs: &[P]) -> Result<(String, u8), AnalyzeError> {
    let set = PolicySet::load(dirs, &planguard_policy::Namespaces::All)?;
    let results = set.run_tests();
    let mut out = String::new();
    let (mut passed, mut failed, mut errors) = (0, 0, 0);
    for t in &results {
        let (word, detail) = match &t.status {
            planguard_policy::TestStatus::Pass => {
                passed += 1;
                ("PASS", String::new())
            }
            planguard_policy::TestStatus::Fail => {
                failed += 1;
                ("FAIL", String::new())
            }
            planguard_policy::TestStatus::Error(reason) => {
                errors += 1;
                ("ERROR", format!(": {reason}"))
            }
        };
        out.push_str(&format!(
            "{word} {}:{}: data.{}{detail}\n",
            t.site.file,
            t.site.line,
            t.site.qualified()
        ));
    }
    out.push_str(&format!(
        "{} tests, {passed} passed, {failed} failed, {errors} errors\n",
        results.len()
    ));
    // No test at all is not a pass: nothing was verified.
    let code = if errors > 0 || results.is_empty() {
        2
    } else if failed > 0 {
        1
    } else {
        0
    };
    Ok((out, code))
}
