use planguard_plan::{shown, Shown};

use crate::builtin::iam_policies::{self, find, identity_documents, unknown_document};
use crate::builtin::policy_doc::{glob, positive_op, Document};
use crate::builtin::rust_rule;
use crate::cond::Tri;
use crate::rule::Status;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags identity policies with an `Allow` statement granting `iam:PassRole` (exactly, or
    /// through a pattern such as `iam:Pass*`) on `"*"`, on every role (`arn:aws:iam::*:role/*`,
    /// `arn:aws:iam::ACCOUNT:role/*`) or with `NotResource`, without an `iam:PassedToService`
    /// condition. `"*"` and `"iam:*"` in documents AWS-IAM-001 reads are its finding.
    ///
    /// ## Why is this bad?
    /// `iam:PassRole` lets the holder hand a role to a service: launch an EC2 instance, a Lambda
    /// function, an ECS task, a Glue job or a CloudFormation stack that runs *as that role*. On
    /// every role, it is privilege escalation to the most powerful role in the account (often an
    /// administrator or deployment role) for anyone who can also create any compute, which most
    /// workload and CI policies can.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "deployer" {
    ///   name = "deployer"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       { Effect = "Allow", Action = "iam:PassRole", Resource = "*" },
    ///       { Effect = "Allow", Action = ["lambda:CreateFunction", "lambda:UpdateFunctionConfiguration"], Resource = "*" },
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Name the roles that may be passed and the service they may be passed to.
    /// ```hcl
    /// resource "aws_iam_policy" "deployer" {
    ///   name = "deployer"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Action    = "iam:PassRole"
    ///       Resource  = aws_iam_role.lambda_exec.arn
    ///       Condition = { StringEquals = { "iam:PassedToService" = "lambda.amazonaws.com" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    /// - [IAM condition keys: iam:PassedToService](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService)
    pub struct IamPassRoleAll {
        id: "AWS-IAM-006",
        title: "IAM policy allows iam:PassRole on every role",
        severity: High,
        category: Iam,
        resource_types: &["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
        attributes: crate::builtin::iam_policies::IDENTITY_ATTRIBUTES,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    for identity in identity_documents(cx) {
        if unknown_document(
            out,
            &identity.doc,
            &Shown::constant("allows iam:PassRole on every role"),
        ) {
            continue;
        }
        let Document::Known { statements, .. } = &identity.doc else {
            continue;
        };
        let mut undecided = None;
        for st in statements {
            if st.not_actions.is_some() {
                continue;
            }
            let (grants, found) = find(&st.actions, |a| {
                glob(a, "iam:PassRole") && !(identity.iam_001 && iam_policies::is_service_wildcard(a))
            });
            let any_role = if st.not_resource {
                Tri::True
            } else {
                find(&st.resources, |r| {
                    r == "*" || r.ends_with(":role/*") || r.ends_with(":*")
                })
                .0
            };
            // `iam:PassedToService` limits which services the roles can be handed to.
            let (service, _) = find(
                &st.conditions
                    .iter()
                    .filter(|c| c.op.as_deref().is_none_or(positive_op))
                    .map(|c| c.key.clone())
                    .collect::<Vec<_>>(),
                |k| k.eq_ignore_ascii_case("iam:PassedToService"),
            );
            let result = st.allows().and(grants).and(any_role).and(service.negate());
            match (result, found) {
                (Tri::True, Some((_, action))) => {
                    out.push(Hit {
                        status: Status::Fail,
                        path: shown!("{}.Resource", st.path),
                        message: st.decided(if action.eq_ignore_ascii_case("iam:PassRole") {
                            Shown::constant("allows iam:PassRole on every role without an iam:PassedToService condition")
                        } else {
                            shown!(
                                "allows \"{}\", which includes iam:PassRole, on every role without an iam:PassedToService condition",
                                st.show(action)
                            )
                        }),
                    });
                    return;
                }
                (Tri::False, _) => {}
                _ => {
                    undecided.get_or_insert_with(|| st.path.clone());
                }
            }
        }
        if let Some(path) = undecided {
            out.push(Hit {
                status: Status::Unknown,
                message: shown!(
                    "part of {} is known only after apply; it may allow iam:PassRole on every role",
                    path
                ),
                path,
            });
            return;
        }
    }
}
