use planguard_plan::{shown, Shown};

use crate::builtin::iam_policies::{self, find, identity_documents, unknown_document};
use crate::builtin::policy_doc::Document;
use crate::builtin::rust_rule;
use crate::cond::Tri;
use crate::rule::Status;
use crate::rule::{Context, Hit};

rust_rule! {
    /// ## What it does
    /// Flags identity policies with an `Allow` statement, without a `Condition`, whose `Resource`
    /// is `"*"` (or that uses `NotResource`) and whose `Action` includes a write pattern (`s3:Put*`,
    /// `*:Delete*`, `ec2:Terminate*`, `dynamodb:*Item`: a wildcard that can match an action starting
    /// with a write verb such as Put, Delete, Create, Update, Attach, Modify, Terminate) or a
    /// permissions-management action (`iam:AttachRolePolicy`, `iam:PutUserPolicy`,
    /// `iam:CreatePolicyVersion`, `iam:CreateAccessKey`, `iam:UpdateAssumeRolePolicy`,
    /// `s3:PutBucketPolicy`, `kms:PutKeyPolicy`, `kms:CreateGrant`, `lambda:AddPermission`,
    /// `sts:AssumeRole`, ...). `iam:PassRole` is AWS-IAM-006's; `"*"` and `"service:*"` in documents
    /// AWS-IAM-001 reads are its.
    ///
    /// ## Why is this bad?
    /// Write access to every resource of a service means every bucket, table, instance or key in
    /// the account, including those of other teams and the ones holding audit logs and backups:
    /// one leaked credential can delete or encrypt them all. Permissions-management actions on
    /// `"*"` are privilege escalation: `iam:AttachRolePolicy` or `iam:CreatePolicyVersion` on any
    /// policy lets the holder grant itself `AdministratorAccess`, `iam:CreateAccessKey` on any user
    /// lets it become any user, `s3:PutBucketPolicy` or `kms:PutKeyPolicy` lets it open data to
    /// other accounts.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy" "app" {
    ///   role = aws_iam_role.app.id
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = ["s3:Put*", "s3:Delete*"], Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Scope write actions to the ARNs the workload owns (a bucket and its prefix, a table, a tag
    /// condition), and grant permissions-management actions only on specific policies and roles,
    /// under a permissions boundary.
    /// ```hcl
    /// resource "aws_iam_role_policy" "app" {
    ///   role = aws_iam_role.app.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["s3:PutObject", "s3:DeleteObject"]
    ///       Resource = "arn:aws:s3:::app-uploads/*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - [IAM best practices: apply least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    /// - [Actions, resources and condition keys for AWS services](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    /// - [Permissions boundaries for IAM entities](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html)
    pub struct IamWriteAllResources {
        id: "AWS-IAM-005",
        title: "IAM policy allows write or permissions-management actions on all resources",
        severity: High,
        category: Iam,
        resource_types: &["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_iam_role"],
        checkov: &["CKV_AWS_290", "CKV_AWS_289"],
        attributes: crate::builtin::iam_policies::IDENTITY_ATTRIBUTES,
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    for identity in identity_documents(cx) {
        if unknown_document(
            out,
            &identity.doc,
            &Shown::constant("allows write actions on every resource"),
        ) {
            continue;
        }
        let Document::Known { statements, .. } = &identity.doc else {
            continue;
        };
        let mut undecided = None;
        for st in statements {
            // A condition (resource tags, request region, ...) constrains the grant.
            if !st.conditions.is_empty() || st.conditions_unknown || st.not_actions.is_some() {
                continue;
            }
            let (write, found) = find(&st.actions, |a| {
                iam_policies::is_write(a)
                    && !a.eq_ignore_ascii_case("iam:PassRole")
                    && !(identity.iam_001 && iam_policies::is_service_wildcard(a))
            });
            let result = st.allows().and(st.on_every_resource()).and(write);
            match (result, found) {
                (Tri::True, Some((i, action))) => {
                    let path = if st.actions.len() == 1 && !st.path.contains(".statement[") {
                        shown!("{}.Action", st.path)
                    } else {
                        shown!("{}.Action[{}]", st.path, Shown::figure(i))
                    };
                    out.push(Hit {
                        status: Status::Fail,
                        path,
                        message: st.decided(shown!(
                            "allows write or permissions-management action \"{}\" on every resource (\"*\") without a condition",
                            st.show(action)
                        )),
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
                    "part of {} is known only after apply; it may allow write actions on every resource",
                    path
                ),
                path,
            });
            return;
        }
    }
}
