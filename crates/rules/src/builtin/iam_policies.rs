//! Shared logic of the IAM policy rules AWS-IAM-004..008: which documents a resource holds,
//! what AWS-IAM-001 already reports, write actions, and "everyone" principals.

use super::policy_doc::{self, admits_prefix, any, positive_op, Document, Statement};
use crate::cond::Tri;
use crate::rule::{Context, Hit, Status};
use planguard_plan::{shown, Shown};

/// The types AWS-IAM-001 reads (`policy`, JSON known in the plan).
const IAM_001_TYPES: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
];

/// One identity policy document with whether AWS-IAM-001 reads it.
pub(crate) struct Identity {
    pub(crate) doc: Document,
    /// AWS-IAM-001 reports `"*"`/`"svc:*"`/`NotAction` on every resource in this document.
    pub(crate) iam_001: bool,
}

/// The top-level attributes [`identity_documents`] reads (the rules' `attributes()`).
pub(crate) const IDENTITY_ATTRIBUTES: &[&str] = &["inline_policy", "policy"];

/// The identity policy documents of the resource under check.
pub(crate) fn identity_documents(cx: &Context<'_>) -> Vec<Identity> {
    let is_role = cx.change.resource_type == "aws_iam_role";
    let attributes: &[&str] = if is_role { &[] } else { &["policy"] };
    let iam_001_type = IAM_001_TYPES.contains(&cx.change.resource_type.as_str());
    policy_doc::documents(cx, attributes, is_role)
        .into_iter()
        .map(|doc| {
            let iam_001 = iam_001_type && matches!(doc, Document::Known { from_json: true, .. });
            Identity { doc, iam_001 }
        })
        .collect()
}

/// `*`, `*:*`, `s3:*`: what AWS-IAM-001 calls a wildcard action.
pub(crate) fn is_service_wildcard(action: &str) -> bool {
    action == "*" || action.split_once(':').is_some_and(|(_, a)| a == "*")
}

/// An unknown document: the finding every IAM rule gives it.
pub(crate) fn unknown_document(out: &mut Vec<Hit>, doc: &Document, what: &Shown) -> bool {
    if let Document::Unknown { attribute, .. } = doc {
        out.push(Hit {
            status: Status::Unknown,
            path: attribute.clone(),
            message: shown!(
                "the policy document is known only after apply; cannot tell whether it {}",
                what
            ),
        });
        return true;
    }
    false
}

/// Verbs of write and permissions-management actions: an action pattern that can match an
/// action starting with one of them (`s3:Put*`, `*:Delete*`, `ec2:*Instances`) writes.
const WRITE_VERBS: &[&str] = &[
    "Add",
    "Associate",
    "Attach",
    "Authorize",
    "Change",
    "Create",
    "Delete",
    "Deregister",
    "Detach",
    "Disable",
    "Disassociate",
    "Modify",
    "Put",
    "Reboot",
    "Register",
    "Remove",
    "Replace",
    "Reset",
    "Restore",
    "Revoke",
    "Run",
    "Set",
    "Stop",
    "Terminate",
    "Update",
    "Upload",
];

/// Single actions that manage permissions or expose resources: on `"*"` each is a privilege
/// escalation or a data exposure path by itself.
const SENSITIVE: &[&str] = &[
    "iam:AddUserToGroup",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreatePolicyVersion",
    "iam:DeleteRolePermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:PutGroupPolicy",
    "iam:PutRolePermissionsBoundary",
    "iam:PutRolePolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:PutUserPolicy",
    "iam:SetDefaultPolicyVersion",
    "iam:UpdateAssumeRolePolicy",
    "iam:UpdateLoginProfile",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "lambda:AddPermission",
    "lambda:UpdateFunctionCode",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutObjectAcl",
    "secretsmanager:PutResourcePolicy",
    "sns:SetTopicAttributes",
    "sqs:SetQueueAttributes",
    "ecr:SetRepositoryPolicy",
    "organizations:LeaveOrganization",
    "sts:AssumeRole",
];

/// Whether an `Action` entry grants write or permissions-management access.
pub(crate) fn is_write(action: &str) -> bool {
    if action.contains('*') || action.contains('?') {
        let verb_part = match action.split_once(':') {
            Some((_, v)) => v,
            None => action,
        };
        return WRITE_VERBS.iter().any(|v| admits_prefix(verb_part, v));
    }
    SENSITIVE.iter().any(|s| s.eq_ignore_ascii_case(action))
}

/// Condition keys that narrow "everyone" to an account, organization, network or calling
/// resource (lower case).
const NARROWING_KEYS: &[&str] = &[
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalservicename",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceip",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:userid",
    "aws:username",
    "aws:vpcsourceip",
    "kms:calleraccount",
];

/// The statement names everyone as principal: `"*"` or `{"AWS": "*"}`. Returns the path
/// suffix and the value.
pub(crate) fn everyone(st: &Statement) -> Tri {
    if st.not_principal {
        return Tri::False;
    }
    any(st
        .principals
        .iter()
        .map(|p| match (p.kind.as_deref(), p.id.as_deref()) {
            (Some(k), Some(id)) => Some((k == "*" || k.eq_ignore_ascii_case("aws")) && id == "*"),
            _ => None,
        }))
}

/// Some condition of the statement narrows who can use it.
pub(crate) fn narrowed(st: &Statement) -> Tri {
    let mut out = if st.conditions_unknown {
        Tri::Unknown
    } else {
        Tri::False
    };
    for c in &st.conditions {
        let (Some(op), Some(key)) = (c.op.as_deref(), c.key.as_deref()) else {
            out = out.or(Tri::Unknown);
            continue;
        };
        if !positive_op(op) || !NARROWING_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
            continue;
        }
        let all_wild = !c.values.is_empty() && c.values.iter().all(|v| v.as_deref() == Some("*"));
        let unknown = c.values.iter().any(Option::is_none);
        out = out.or(if all_wild {
            Tri::False
        } else if unknown {
            Tri::Unknown
        } else {
            Tri::True
        });
    }
    out
}

/// Checks documents for an `Allow` to everyone without a narrowing condition.
pub(crate) fn check_everyone(cx: &Context<'_>, out: &mut Vec<Hit>, attributes: &[&str], what: &'static str) {
    let what = Shown::constant(what);
    for doc in policy_doc::documents(cx, attributes, false) {
        if unknown_document(out, &doc, &shown!("allows {} to everyone", what)) {
            continue;
        }
        let Document::Known { statements, .. } = doc else {
            continue;
        };
        let mut undecided = None;
        for st in &statements {
            let result = st.allows().and(everyone(st)).and(narrowed(st).negate());
            match result {
                Tri::True => {
                    out.push(Hit {
                        status: Status::Fail,
                        path: shown!("{}.Principal", st.path),
                        message: st.decided(shown!(
                            "allows {} to everyone (Principal \"*\") without a condition narrowing the caller's account, organization, network or source",
                            what
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
                    "part of {} is known only after apply; it may allow {} to everyone",
                    path,
                    what
                ),
                path,
            });
            return;
        }
    }
}

/// The first entry of `items` for which `f` holds, or unknown when an entry is unknown.
pub(crate) fn find(items: &[Option<String>], f: impl Fn(&str) -> bool) -> (Tri, Option<(usize, &str)>) {
    let mut unknown = false;
    for (i, item) in items.iter().enumerate() {
        match item.as_deref() {
            Some(s) if f(s) => return (Tri::True, Some((i, s))),
            None => unknown = true,
            _ => {}
        }
    }
    (if unknown { Tri::Unknown } else { Tri::False }, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes() {
        assert!(is_write("s3:Put*"));
        assert!(is_write("*:Delete*"));
        assert!(is_write("ec2:*"));
        assert!(is_write("s3:*Object"));
        assert!(is_write("iam:AttachRolePolicy"));
        assert!(!is_write("ec2:Describe*"));
        assert!(!is_write("s3:Get*"));
        assert!(!is_write("ec2:RunInstances"));
        assert!(!is_write("iam:PassRole"));
    }
}
