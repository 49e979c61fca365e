//! The rule pack as `planguard rules list` and `planguard rules explain` show it: the
//! built-in rules plus user rule directories, selected by a [`RuleFilter`].
//!
//! The JSON of [`list_json`] is an array with one object per rule: every field of
//! [`RuleMeta`] (`id`, `title`, `severity`, `category`, `provider`, `resource_types`,
//! `actions`, `description`, `remediation`, `references`, `benchmarks`, `peers` (an object
//! of tool → ids, absent when none), `uses_graph`, `source`, ...) and `service`, the id's
//! middle part lower-cased (`s3`).

pub use planguard_rules::*;
use serde::Serialize;

/// The built-in rules plus every rule of the directories (read recursively).
pub use crate::analyze::load_rules as load;

/// One rule of the JSON listing.
#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    meta: &'a RuleMeta,
    service: String,
}

/// The rules `filter` keeps, as the JSON `planguard rules list --format json` prints (a
/// pretty-printed array, newline-terminated).
pub fn list_json(rules: &RuleSet, filter: &RuleFilter) -> Result<String, serde_json::Error> {
    let listed: Vec<Listed<'_>> = rules
        .filtered(filter)
        .map(|meta| Listed {
            meta,
            service: meta.service(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&listed)?;
    text.push('\n');
    Ok(text)
}

/// The rules `filter` keeps, one line each (id, severity, category, title), then a count.
pub fn list_text(rules: &RuleSet, filter: &RuleFilter) -> String {
    let mut out = String::new();
    let mut count = 0;
    for m in rules.filtered(filter) {
        count += 1;
        out.push_str(&format!(
            "{:<16} {:<9} {:<17} {}\n",
            m.id,
            m.severity.as_str(),
            m.category.as_str(),
            m.title
        ));
    }
    match filter.is_empty() {
        true => out.push_str(&format!("{count} rules\n")),
        false => out.push_str(&format!("{count} of {} rules\n", rules.len())),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lists_every_rule_with_its_service_and_peers() {
        let rules = load(std::iter::empty::<&str>()).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&list_json(&rules, &RuleFilter::default()).unwrap()).unwrap();
        let items = json.as_array().unwrap();
        assert_eq!(items.len(), rules.len());
        let iam = items.iter().find(|r| r["id"] == "AWS-IAM-001").unwrap();
        assert_eq!(iam["service"], "iam");
        assert_eq!(iam["provider"], "aws");
        assert!(iam["peers"]["checkov"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p == "CKV_AWS_62"));
    }

    #[test]
    fn text_says_how_many_were_kept() {
        let rules = load(std::iter::empty::<&str>()).unwrap();
        let filter = RuleFilter {
            services: vec!["s3".into()],
            ..RuleFilter::default()
        };
        let text = list_text(&rules, &filter);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[..lines.len() - 1].iter().all(|l| l.starts_with("AWS-S3-")),
            "{text}"
        );
        assert_eq!(
            lines.last().unwrap(),
            &format!("{} of {} rules", lines.len() - 1, rules.len())
        );
    }
}
