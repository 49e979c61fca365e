//! Shared logic of AWS-IAM-002/003: attachments of broad AWS managed policies.

use planguard_plan::{shown, Cursor, Lookup, Shown};
use serde_json::Value;

use super::policy_doc::split_reference;
use crate::rule::{Context, Hit, Status};

/// The attributes that name managed policies: `policy_arn` (the `*_policy_attachment`
/// resources), `managed_policy_arns` (`aws_iam_role`), `policy_arns` (the
/// `*_policy_attachments_exclusive` resources).
pub(crate) const ATTRIBUTES: &[&str] = &["policy_arn", "managed_policy_arns", "policy_arns"];

/// The AWS managed policy name of an ARN (`arn:aws:iam::aws:policy/job-function/X` → `X`),
/// in any partition.
fn managed_name(arn: &str) -> Option<&str> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    if !partition.starts_with("aws") {
        return None;
    }
    let path = rest.strip_prefix("iam::aws:policy/")?;
    path.rsplit('/').next()
}

/// Checks the resource for attachments of any of `names`.
pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Hit>, names: &[&'static str]) {
    let subject = cx.subject();
    let config = cx.plan.config_resource(&cx.change.addr);
    let mut undecided: Option<Shown> = None;
    for attribute in ATTRIBUTES {
        let cursor = subject.get(attribute);
        let items: Vec<(Shown, Cursor<'_>)> = match cursor.lookup() {
            Lookup::Known(Value::Array(_)) => cursor
                .children()
                .into_iter()
                .enumerate()
                .map(|(i, (_, c))| (shown!("{}[{}]", Shown::constant(attribute), Shown::figure(i)), c))
                .collect(),
            Lookup::Known(_) => vec![(Shown::constant(attribute), cursor)],
            Lookup::Absent => continue,
            Lookup::Unknown => {
                // Unset computed attributes (`managed_policy_arns`) are unknown too; so are
                // references to customer managed policies in the plan, which are not these.
                let Some(expr) = config.and_then(|c| c.resource.expressions.get(*attribute)) else {
                    continue;
                };
                // A single `policy_arn` made only of customer managed policy references is not
                // an AWS managed policy; a list may still hold literal ARNs next to them.
                let only_customer = *attribute == "policy_arn"
                    && expr.references().iter().all(|r| {
                        r.starts_with("var.") || split_reference(r).is_some_and(|(t, _)| t == "aws_iam_policy")
                    });
                if !only_customer {
                    undecided.get_or_insert_with(|| Shown::constant(attribute));
                }
                continue;
            }
        };
        for (path, item) in items {
            match item.lookup() {
                Lookup::Known(Value::String(arn)) => {
                    if let Some(name) = managed_name(arn).filter(|n| names.contains(n)) {
                        out.push(Hit {
                            status: Status::Fail,
                            path,
                            message: shown!(
                                "attaches the AWS managed policy {} ({})",
                                item.disclosure().show(name),
                                item.shown()
                            ),
                        });
                        return;
                    }
                }
                Lookup::Unknown => {
                    undecided.get_or_insert(path);
                }
                _ => {}
            }
        }
    }
    if let Some(path) = undecided {
        out.push(Hit {
            status: Status::Unknown,
            message: shown!(
                "{} is known only after apply; it may attach {}",
                path,
                Shown::join(&names.iter().map(|n| Shown::constant(n)).collect::<Vec<_>>(), " or ")
            ),
            path,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(
            managed_name("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some("AdministratorAccess")
        );
        assert_eq!(
            managed_name("arn:aws-us-gov:iam::aws:policy/PowerUserAccess"),
            Some("PowerUserAccess")
        );
        assert_eq!(
            managed_name("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"),
            Some("ViewOnlyAccess")
        );
        assert_eq!(
            managed_name("arn:aws:iam::123456789012:policy/AdministratorAccess"),
            None
        );
    }
}
