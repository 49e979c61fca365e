//! The library loads Checkov custom policies from a rules directory like the CLI does.

use std::path::Path;

use planguard::{Analyzer, Verdict};

#[test]
fn rules_dir_takes_checkov_policies() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/checkov-policies");
    let analyzer = Analyzer::builder()
        .rules_dir(fixtures.join("policies"))
        .build()
        .unwrap();
    let rule = analyzer.rules().get("CKV2_CUSTOM_7").expect("the policy is a rule");
    assert_eq!(rule.meta().title, "EBS volume is encrypted and at most 1024 GiB");
    let report = analyzer.analyze_file(&fixtures.join("plan/plan.json")).unwrap();
    let found: Vec<(&str, &str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.rule_id.starts_with("CKV2_CUSTOM_7"))
        .map(|f| (&*f.rule_id, f.resource.as_str(), f.status.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("CKV2_CUSTOM_7", "aws_ebs_volume.default_encryption", "unknown"),
            ("CKV2_CUSTOM_7", "aws_ebs_volume.plain", "fail")
        ]
    );
    // A critical policy failing fails the default guardrail.
    assert_eq!(report.verdict, Verdict::Fail);
}
