//! JUnit XML for Azure DevOps' Publish Test Results task and GitLab's test reports: one
//! test suite of guardrails and one of rule checks per plan. Every guardrail is a test case,
//! and so is every (rule, resource) pair evaluated; findings are failures.

use std::collections::BTreeMap;

use planguard_rules::Status;
use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use crate::analyze::Report;
use crate::render::Outcome;

/// Renders the outcomes as one JUnit document.
pub fn render(outcomes: &[Outcome]) -> String {
    let mut junit = JunitReport::new("planguard");
    for outcome in outcomes {
        match outcome {
            Outcome::Analyzed(report) => {
                junit.add_test_suite(guardrail_suite(report));
                junit.add_test_suite(rule_suite(report));
            }
            Outcome::Failed { file, error } => {
                let mut suite = TestSuite::new(format!("planguard {file}"));
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(error.clone());
                let mut case = TestCase::new("read plan", status);
                case.set_classname(file.clone());
                suite.add_test_case(case);
                junit.add_test_suite(suite);
            }
        }
    }
    junit.to_string().unwrap_or_default()
}

fn guardrail_suite(report: &Report) -> TestSuite {
    let mut suite = TestSuite::new(format!("guardrails {}", report.file));
    suite.add_property(quick_junit::Property::new("config", report.config.description.clone()));
    for g in &report.guardrails {
        let status = if let Some(reason) = &g.skipped {
            let mut s = TestCaseStatus::skipped();
            s.set_message(reason.clone());
            s
        } else if g.passed {
            TestCaseStatus::success()
        } else {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            s.set_message(format!(
                "{} violation{} ({} guardrail, {})",
                g.violations.len(),
                if g.violations.len() == 1 { "" } else { "s" },
                g.guardrail_type,
                if g.mode == crate::config::Mode::Enforce {
                    "enforced"
                } else {
                    "warning only"
                }
            ));
            s.set_type(g.guardrail_type);
            let description: Vec<String> = g
                .violations
                .iter()
                .map(|v| match &v.address {
                    Some(a) => format!("{a}: {}", v.message),
                    None => v.message.clone(),
                })
                .collect();
            s.set_description(description.join("\n"));
            s
        };
        let mut case = TestCase::new(g.name.clone(), status);
        case.set_classname(format!("planguard.guardrail.{}", g.guardrail_type));
        suite.add_test_case(case);
    }
    suite
}

fn rule_suite(report: &Report) -> TestSuite {
    let mut suite = TestSuite::new(format!("rules {}", report.file));
    let mut findings: BTreeMap<(&str, &str), Vec<&planguard_rules::Finding>> = BTreeMap::new();
    for f in &report.findings {
        findings.entry((&f.rule_id, &f.resource)).or_default().push(f);
    }
    let mut cases: Vec<(String, String)> = report
        .evaluated
        .iter()
        .map(|e| (e.rule_id.to_string(), e.resource.to_string()))
        .collect();
    // A finding whose pair was not recorded (record_evaluated off) still gets its case.
    for (rule, resource) in findings.keys() {
        cases.push((rule.to_string(), resource.to_string()));
    }
    cases.sort();
    cases.dedup();
    for (rule, resource) in cases {
        let status = match findings.get(&(rule.as_str(), resource.as_str())) {
            None => TestCaseStatus::success(),
            Some(list) if list.iter().all(|f| f.status == Status::Unknown) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!(
                    "undecided until apply: {}",
                    list.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("; ")
                ));
                s
            }
            Some(list) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let first = list[0];
                s.set_message(format!("[{}] {}", first.severity.as_str(), first.title));
                s.set_type(first.severity.as_str());
                s.set_description(
                    list.iter()
                        .map(|f| format!("{} {}: {}", f.path, f.status.as_str(), f.message))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                s
            }
        };
        let mut case = TestCase::new(format!("{rule} {resource}"), status);
        case.set_classname(format!("planguard.rule.{rule}"));
        suite.add_test_case(case);
    }
    suite
}
