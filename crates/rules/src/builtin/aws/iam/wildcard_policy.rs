use planguard_plan::{shown, ActionKind, Lookup, Shown};
use serde_json::Value;

use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Checks IAM policy documents (`aws_iam_policy`, `aws_iam_role_policy`,
    /// `aws_iam_user_policy`, `aws_iam_group_policy`, and the `json` of an
    /// `aws_iam_policy_document` data source read during apply) for an `Allow` statement that
    /// grants every action (`"*"`), every action of a service (`"s3:*"`), or everything
    /// except a few actions (`NotAction`), on every resource (`"*"` or `NotResource`).
    ///
    /// ## Why is this bad?
    /// Such a statement is administrator access, to the whole account or to a whole service:
    /// whoever holds it can read every secret, delete every bucket, or grant themselves
    /// anything else. It breaks least privilege and turns one leaked credential into a full
    /// compromise. `NotAction` with `Allow` is easy to misread: it allows everything that is
    /// not listed, including services launched after the policy was written.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "admin" {
    ///   name = "admin"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Grant the specific actions the workload calls, on the specific resources it uses
    /// (ARNs, or ARN patterns scoped to a prefix). Use AWS managed job-function policies or
    /// IAM Access Analyzer policy generation to find the minimal set.
    /// ```hcl
    /// resource "aws_iam_policy" "reader" {
    ///   name = "reader"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["s3:GetObject", "s3:ListBucket"]
    ///       Resource = ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM best practices: grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    /// - [AWS Foundational Security Best Practices IAM.1](https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1)
    pub struct IamWildcardPolicy {
        id: "AWS-IAM-001",
        title: "IAM policy allows all actions (or all of a service) on all resources",
        severity: High,
        category: Iam,
        resource_types: TYPES,
        actions: &[ActionKind::Create, ActionKind::Update, ActionKind::Replace, ActionKind::Read],
        benchmarks: &["CIS AWS 1.16", "AWS FSBP IAM.1"],
        checkov: &["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_1", "CKV_AWS_49", "CKV2_AWS_40"],
        attributes: &["policy", "json"],
    }
}

const TYPES: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "data.aws_iam_policy_document",
];

/// A string or a list of strings, as IAM writes `Action` and `Resource`.
fn strings(v: Option<&Value>) -> Vec<(Option<usize>, &str)> {
    match v {
        Some(Value::String(s)) => vec![(None, s.as_str())],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.as_str().map(|s| (Some(i), s)))
            .collect(),
        _ => Vec::new(),
    }
}

/// `*`, `s3:*`, `*:*`: every action, or every action of one service.
fn is_wild_action(action: &str) -> bool {
    action == "*" || action.split_once(':').is_some_and(|(_, a)| a == "*")
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let attribute = if cx.change.mode == planguard_plan::Mode::Data {
        "json"
    } else {
        "policy"
    };
    let cursor = cx.subject().get(attribute);
    let text = match cursor.lookup() {
        Lookup::Unknown => {
            out.push(Hit {
                status: Status::Unknown,
                path: Shown::constant(attribute),
                message: Shown::constant(
                    "the policy document is known only after apply; cannot tell whether it allows \"*\" on \"*\"",
                ),
            });
            return;
        }
        Lookup::Known(Value::String(s)) => s,
        _ => return,
    };
    // What the document says may be quoted only when it is not sensitive.
    let disclosure = cursor.disclosure();
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return;
    };
    let (statements, listed): (Vec<&Value>, bool) = match doc.get("Statement") {
        Some(Value::Array(items)) => (items.iter().collect(), true),
        Some(single @ Value::Object(_)) => (vec![single], false),
        _ => return,
    };
    for (i, statement) in statements.into_iter().enumerate() {
        if statement.get("Effect").and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        let base = if listed {
            shown!("{}.Statement[{}]", Shown::constant(attribute), Shown::figure(i))
        } else {
            shown!("{}.Statement", Shown::constant(attribute))
        };
        let all_resources =
            statement.get("NotResource").is_some() || strings(statement.get("Resource")).iter().any(|(_, r)| *r == "*");
        if !all_resources {
            continue;
        }
        let on = Shown::constant(if statement.get("NotResource").is_some() {
            "every resource but those in NotResource"
        } else {
            "resource \"*\""
        });
        if let Some(not_action) = statement.get("NotAction") {
            let listed: Vec<Shown> = strings(Some(not_action))
                .into_iter()
                .map(|(_, s)| disclosure.show(s))
                .collect();
            out.push(Hit {
                status: Status::Fail,
                path: shown!("{}.NotAction", base),
                message: shown!(
                    "statement {} allows every action except [{}] (NotAction) on {}",
                    Shown::figure(i),
                    Shown::join(&listed, ", "),
                    on
                ),
            });
            return;
        }
        if let Some((j, action)) = strings(statement.get("Action"))
            .into_iter()
            .find(|(_, a)| is_wild_action(a))
        {
            let path = match j {
                Some(j) => shown!("{}.Action[{}]", base, Shown::figure(j)),
                None => shown!("{}.Action", base),
            };
            let what = if action == "*" || action == "*:*" {
                Shown::constant("every action")
            } else {
                shown!(
                    "every {} action",
                    disclosure.show(action.split(':').next().unwrap_or(action))
                )
            };
            out.push(Hit {
                status: Status::Fail,
                path,
                message: shown!(
                    "statement {} allows {} (\"{}\") on {}",
                    Shown::figure(i),
                    what,
                    disclosure.show(action),
                    on
                ),
            });
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wild_actions() {
        assert!(is_wild_action("*"));
        assert!(is_wild_action("s3:*"));
        assert!(!is_wild_action("s3:Get*"));
        assert!(!is_wild_action("iam:PassRole"));
    }

    #[test]
    fn doc_has_every_section() {
        let names: Vec<String> = crate::builtin::sections(IamWildcardPolicy::DOC)
            .into_iter()
            .map(|(h, _)| h)
            .collect();
        assert_eq!(
            names,
            [
                "What it does",
                "Why is this bad?",
                "Example",
                "Use instead",
                "References"
            ]
        );
        let meta = IamWildcardPolicy::new().meta;
        assert!(meta.example.as_deref().unwrap_or("").contains("Action = \"*\""));
        assert!(meta.remediation_snippet.is_some());
        assert_eq!(meta.references.len(), 3);
        assert!(meta.references[0].starts_with("https://"));
    }
}
