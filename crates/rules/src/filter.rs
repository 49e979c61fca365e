//! Selecting rules by their metadata: what `planguard rules list --provider ... --peer ...`
//! shows.

use crate::meta::{RuleMeta, Severity};

/// Which rules to keep. Each criterion given narrows the set (they combine with *and*);
/// within one criterion, the values given are alternatives (*or*). An empty filter keeps
/// every rule. Names match case-insensitively.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleFilter {
    /// Providers: the rule's provider (`aws`, `azurerm`, `google`) or its id prefix
    /// (`AWS`, `AZURE`, `GCP`).
    pub providers: Vec<String>,
    /// Services: the id's middle part (`s3` for `AWS-S3-001`), see [`crate::service_of`].
    pub services: Vec<String>,
    /// Severities, exactly (`high` keeps high rules, not critical ones).
    pub severities: Vec<Severity>,
    /// Peer check ids of any tool (`CKV_AWS_20`, `AVD-AWS-0086`): rules declaring one of them.
    pub peers: Vec<String>,
}

impl RuleFilter {
    /// True when the filter keeps nothing out.
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty() && self.services.is_empty() && self.severities.is_empty() && self.peers.is_empty()
    }

    /// True when `meta` passes every criterion.
    pub fn matches(&self, meta: &RuleMeta) -> bool {
        let prefix = meta.id.split('-').next().unwrap_or("");
        let provider = self.providers.is_empty()
            || self
                .providers
                .iter()
                .any(|p| p.eq_ignore_ascii_case(&meta.provider) || p.eq_ignore_ascii_case(prefix));
        let service = self.services.is_empty() || {
            let service = meta.service();
            self.services.iter().any(|s| s.eq_ignore_ascii_case(&service))
        };
        let severity = self.severities.is_empty() || self.severities.contains(&meta.severity);
        let peer = self.peers.is_empty()
            || meta
                .peers
                .iter()
                .flat_map(|(_, ids)| ids.iter())
                .any(|id| self.peers.iter().any(|p| p.eq_ignore_ascii_case(id)));
        provider && service && severity && peer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RuleSet;

    fn ids(filter: &RuleFilter) -> Vec<String> {
        let rules = RuleSet::builtin().unwrap();
        rules.filtered(filter).map(|m| m.id.to_string()).collect()
    }

    #[test]
    fn criteria_narrow_and_values_widen() {
        let all = ids(&RuleFilter::default());
        assert_eq!(all.len(), RuleSet::builtin().unwrap().len());

        let s3 = ids(&RuleFilter {
            services: vec!["S3".into()],
            ..RuleFilter::default()
        });
        assert!(!s3.is_empty());
        assert!(s3.iter().all(|id| id.starts_with("AWS-S3-")), "{s3:?}");

        let azure = ids(&RuleFilter {
            providers: vec!["azure".into()],
            ..RuleFilter::default()
        });
        let azurerm = ids(&RuleFilter {
            providers: vec!["azurerm".into()],
            ..RuleFilter::default()
        });
        assert_eq!(azure, azurerm);
        assert!(azure.iter().all(|id| id.starts_with("AZURE-")) && !azure.is_empty());

        let two = ids(&RuleFilter {
            providers: vec!["gcp".into(), "azurerm".into()],
            ..RuleFilter::default()
        });
        assert!(two.len() > azure.len());

        let high_iam = ids(&RuleFilter {
            services: vec!["iam".into()],
            severities: vec![Severity::High],
            ..RuleFilter::default()
        });
        let rules = RuleSet::builtin().unwrap();
        for id in &high_iam {
            let meta = rules.get(id).unwrap().meta();
            assert_eq!(meta.severity, Severity::High);
            assert_eq!(meta.service(), "iam");
        }
        assert!(!high_iam.is_empty());
    }

    #[test]
    fn peers_match_any_tool() {
        // AWS-IAM-001 declares CKV_AWS_62 (Checkov); AWS-EC2-101 declares AVD-AWS-0009 (Trivy).
        for (peer, rule) in [
            ("CKV_AWS_62", "AWS-IAM-001"),
            ("ckv_aws_62", "AWS-IAM-001"),
            ("AVD-AWS-0009", "AWS-EC2-101"),
        ] {
            let found = ids(&RuleFilter {
                peers: vec![peer.into()],
                ..RuleFilter::default()
            });
            assert!(found.contains(&rule.to_string()), "{peer}: {found:?}");
        }
        let none = ids(&RuleFilter {
            peers: vec!["CKV_NOPE_1".into()],
            ..RuleFilter::default()
        });
        assert!(none.is_empty());
    }
}
