use planguard_plan::{shown, Shown};

use crate::builtin::iam_policies::{identity_documents, unknown_document};
use crate::builtin::policy_doc::Document;
use crate::builtin::rust_rule;
use crate::cond::Tri;
use crate::rule::Status;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags identity policies (`aws_iam_policy`, `aws_iam_role_policy`, `aws_iam_user_policy`,
    /// `aws_iam_group_policy`, `aws_iam_role.inline_policy`) with an `Allow` statement that uses
    /// `NotAction`. The case AWS-IAM-001 already reports (`NotAction` on `"*"` in a policy document
    /// known in the plan) is not repeated; this rule adds `NotAction` scoped to specific
    /// resources, inline role policies, and documents read from an `aws_iam_policy_document` data
    /// source's configuration when their JSON is known only after apply.
    ///
    /// ## Why is this bad?
    /// `Allow` + `NotAction` allows every action that is not listed, today and in the future: each
    /// new service and API AWS launches is granted automatically. Reviewers read the list as what
    /// is allowed when it is what is *not*, and a statement meant to exclude IAM (`NotAction =
    /// ["iam:*"]`) still allows `sts:AssumeRole`, `organizations:*` or `kms:PutKeyPolicy`, which are
    /// often enough to escalate.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "ops" {
    ///   name = "ops"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       NotAction = ["iam:*"]
    ///       Resource  = ["arn:aws:s3:::ops-*", "arn:aws:ec2:*:123456789012:instance/*"]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// List the actions that are allowed. Use `NotAction` only with `Deny` (for example to deny
    /// everything outside a set of services or regions).
    /// ```hcl
    /// resource "aws_iam_policy" "ops" {
    ///   name = "ops"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["s3:GetObject", "s3:PutObject", "ec2:StartInstances", "ec2:StopInstances"]
    ///       Resource = ["arn:aws:s3:::ops-*/*", "arn:aws:ec2:*:123456789012:instance/*"]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    /// - [IAM best practices: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    pub struct IamNotAction {
        id: "AWS-IAM-004",
        title: "IAM policy allows actions with NotAction",
        severity: Medium,
        category: Iam,
        resource_types: &["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
        attributes: crate::builtin::iam_policies::IDENTITY_ATTRIBUTES,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    for identity in identity_documents(cx) {
        if unknown_document(out, &identity.doc, &Shown::constant("allows actions through NotAction")) {
            continue;
        }
        let Document::Known { statements, .. } = &identity.doc else {
            continue;
        };
        let mut undecided = None;
        for st in statements {
            let Some(not_actions) = &st.not_actions else { continue };
            // NotAction on every resource in a document AWS-IAM-001 reads is its finding.
            if identity.iam_001 && st.on_every_resource() == Tri::True {
                continue;
            }
            match st.allows() {
                Tri::True => {
                    let listed: Vec<Shown> = not_actions
                        .iter()
                        .map(|a| match a.as_deref() {
                            Some(a) => st.show(a),
                            None => Shown::constant("(known after apply)"),
                        })
                        .collect();
                    let on = if st.not_resource {
                        Shown::constant("every resource except those in NotResource")
                    } else {
                        let r: Vec<Shown> = st
                            .resources
                            .iter()
                            .map(|r| match r.as_deref() {
                                Some(r) => st.show(r),
                                None => Shown::constant("(known after apply)"),
                            })
                            .collect();
                        shown!("[{}]", Shown::join(&r, ", "))
                    };
                    out.push(Hit {
                        status: Status::Fail,
                        path: shown!("{}.NotAction", st.path),
                        message: st.decided(shown!(
                            "Allow with NotAction grants every action except [{}] on {}",
                            Shown::join(&listed, ", "),
                            on
                        )),
                    });
                    return;
                }
                Tri::Unknown => {
                    undecided.get_or_insert_with(|| st.path.clone());
                }
                Tri::False => {}
            }
        }
        if let Some(path) = undecided {
            out.push(Hit {
                status: Status::Unknown,
                message: shown!(
                    "the effect of {} is known only after apply; it may allow everything but its NotAction list",
                    path
                ),
                path,
            });
            return;
        }
    }
}
