//! Rules written in Rust, for logic the YAML format can't express.
//!
//! One file per rule. Each declares its struct with [`rust_rule!`], whose doc comment is the
//! rule's documentation with ruff's headings (`## What it does`, `## Why is this bad?`,
//! `## Example`, `## Use instead`, `## References`); [`RuleMeta`] is built from it, so
//! `planguard rules explain` prints exactly what the source says. Register a new rule with
//! one line in [`rust_rules`].

use std::sync::Arc;

use planguard_plan::ActionKind;

use crate::meta::{Category, Peers, RuleMeta, RuleSource, Severity};
use crate::rule::Rule;

mod aws_secret_scan;
mod aws_setting;
mod dynamodb_aws_owned_key;
mod dynamodb_no_pitr;
mod ec2_block_device_unencrypted;
mod efs_unencrypted;
mod eks_public_endpoint;
mod elasticache_no_at_rest_encryption;
mod elasticache_no_transit_encryption;
mod iam_admin_managed_policy;
mod iam_broad_managed_policy;
mod iam_not_action;
mod iam_pass_role_all;
mod iam_policies;
mod iam_resource_policy_public;
mod iam_trust_everyone;
mod iam_wildcard_policy;
mod iam_write_all_resources;
mod managed_policy;
mod oidc_no_audience;
mod oidc_no_subject;
mod oidc_provider_audience;
mod oidc_trust;
mod oidc_wildcard_subject;
mod policy_doc;
mod rds_cluster_unencrypted;
mod rds_no_backups;
mod secrets_ecs_task_env;
mod secrets_lambda_env;
mod secrets_tags;
mod secrets_user_data;
mod sg_ingress;
mod sqs_unencrypted;
mod vpc_open_all_ports;
mod vpc_open_database;
mod vpc_open_rdp;

pub use dynamodb_aws_owned_key::DynamodbAwsOwnedKey;
pub use dynamodb_no_pitr::DynamodbNoPitr;
pub use ec2_block_device_unencrypted::Ec2BlockDeviceUnencrypted;
pub use efs_unencrypted::EfsUnencrypted;
pub use eks_public_endpoint::EksPublicEndpoint;
pub use elasticache_no_at_rest_encryption::ElasticacheNoAtRestEncryption;
pub use elasticache_no_transit_encryption::ElasticacheNoTransitEncryption;
pub use iam_admin_managed_policy::IamAdminManagedPolicy;
pub use iam_broad_managed_policy::IamBroadManagedPolicy;
pub use iam_not_action::IamNotAction;
pub use iam_pass_role_all::IamPassRoleAll;
pub use iam_resource_policy_public::IamResourcePolicyPublic;
pub use iam_trust_everyone::IamTrustEveryone;
pub use iam_wildcard_policy::IamWildcardPolicy;
pub use iam_write_all_resources::IamWriteAllResources;
pub use oidc_no_audience::OidcNoAudience;
pub use oidc_no_subject::OidcNoSubject;
pub use oidc_provider_audience::OidcProviderAudience;
pub use oidc_wildcard_subject::OidcWildcardSubject;
pub use rds_cluster_unencrypted::RdsClusterUnencrypted;
pub use rds_no_backups::RdsNoBackups;
pub use secrets_ecs_task_env::SecretsEcsTaskEnv;
pub use secrets_lambda_env::SecretsLambdaEnv;
pub use secrets_tags::SecretsTags;
pub use secrets_user_data::SecretsUserData;
pub use sqs_unencrypted::SqsUnencrypted;
pub use vpc_open_all_ports::VpcOpenAllPorts;
pub use vpc_open_database::VpcOpenDatabase;
pub use vpc_open_rdp::VpcOpenRdp;

/// Every Rust rule.
pub(crate) fn rust_rules() -> Vec<Arc<dyn Rule>> {
    vec![
        Arc::new(IamWildcardPolicy::new()),
        Arc::new(DynamodbAwsOwnedKey::new()),
        Arc::new(DynamodbNoPitr::new()),
        Arc::new(Ec2BlockDeviceUnencrypted::new()),
        Arc::new(EfsUnencrypted::new()),
        Arc::new(ElasticacheNoAtRestEncryption::new()),
        Arc::new(ElasticacheNoTransitEncryption::new()),
        Arc::new(RdsClusterUnencrypted::new()),
        Arc::new(RdsNoBackups::new()),
        Arc::new(SecretsEcsTaskEnv::new()),
        Arc::new(SecretsLambdaEnv::new()),
        Arc::new(SecretsTags::new()),
        Arc::new(SecretsUserData::new()),
        Arc::new(SqsUnencrypted::new()),
        Arc::new(VpcOpenAllPorts::new()),
        Arc::new(VpcOpenRdp::new()),
        Arc::new(VpcOpenDatabase::new()),
        Arc::new(OidcNoSubject::new()),
        Arc::new(OidcWildcardSubject::new()),
        Arc::new(OidcNoAudience::new()),
        Arc::new(OidcProviderAudience::new()),
        Arc::new(IamAdminManagedPolicy::new()),
        Arc::new(IamBroadManagedPolicy::new()),
        Arc::new(IamNotAction::new()),
        Arc::new(IamWriteAllResources::new()),
        Arc::new(IamPassRoleAll::new()),
        Arc::new(IamTrustEveryone::new()),
        Arc::new(IamResourcePolicyPublic::new()),
        Arc::new(EksPublicEndpoint::new()),
    ]
}

/// Declares a Rust rule's struct and keeps its doc comment as `Self::DOC`.
/// A Rust rule's [`Rule::attributes`] from a list of names.
pub(crate) fn attributes(names: &[&str]) -> Option<Vec<String>> {
    Some(names.iter().map(|n| n.to_string()).collect())
}

macro_rules! rust_rule {
    ($(#[doc = $doc:literal])* pub struct $name:ident;) => {
        $(#[doc = $doc])*
        #[derive(Debug)]
        pub struct $name {
            meta: $crate::meta::RuleMeta,
        }

        impl $name {
            /// This rule's documentation: the doc comment above.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }
    };
}
pub(crate) use rust_rule;

/// The parts of a Rust rule's metadata that aren't prose.
pub(crate) struct Head {
    pub(crate) id: &'static str,
    pub(crate) title: &'static str,
    pub(crate) severity: Severity,
    pub(crate) category: Category,
    pub(crate) provider: &'static str,
    pub(crate) resource_types: &'static [&'static str],
    pub(crate) actions: &'static [ActionKind],
    pub(crate) benchmarks: &'static [&'static str],
    pub(crate) checkov: &'static [&'static str],
    pub(crate) trivy: &'static [&'static str],
    pub(crate) type_name: &'static str,
}

/// The `## Heading` sections of a doc comment, in order.
pub(crate) fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in doc.lines() {
        // Doc comments keep the space after `///`.
        let line = line.strip_prefix(' ').unwrap_or(line);
        if let Some(heading) = line.strip_prefix("## ") {
            out.push((heading.trim().to_string(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    for (_, body) in &mut out {
        *body = body.trim().to_string();
    }
    out
}

/// Splits a section into its prose and its first fenced code block.
fn prose_and_code(body: &str) -> (String, Option<String>) {
    let mut prose = String::new();
    let mut code: Option<String> = None;
    let mut in_code = false;
    let mut done = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") {
            if in_code {
                done = true;
            } else if !done {
                code = Some(String::new());
            }
            in_code = !in_code;
            continue;
        }
        match (&mut code, in_code && !done) {
            (Some(c), true) => {
                c.push_str(line);
                c.push('\n');
            }
            _ => {
                prose.push_str(line);
                prose.push('\n');
            }
        }
    }
    (prose.trim().to_string(), code.map(|c| c.trim_end().to_string()))
}

/// A URL from a `- [text](url)` or `- url` list item.
fn reference(line: &str) -> Option<String> {
    let item = line.trim().strip_prefix("- ")?.trim();
    if let (Some(open), true) = (item.find("]("), item.ends_with(')')) {
        return Some(item[open + 2..item.len() - 1].to_string());
    }
    Some(item.to_string())
}

impl Head {
    /// Builds the metadata from the head and the doc comment's sections.
    pub(crate) fn into_meta(self, doc: &str) -> RuleMeta {
        let sections = sections(doc);
        let get = |name: &str| {
            sections
                .iter()
                .find(|(h, _)| h == name)
                .map(|(_, b)| b.clone())
                .unwrap_or_default()
        };
        let (_, example) = prose_and_code(&get("Example"));
        let (remediation, snippet) = prose_and_code(&get("Use instead"));
        RuleMeta {
            id: Arc::from(self.id),
            title: self.title.to_string(),
            summary: Some(get("What it does")).filter(|s| !s.is_empty()),
            severity: self.severity,
            category: self.category,
            provider: self.provider.to_string(),
            resource_types: self.resource_types.iter().map(|s| s.to_string()).collect(),
            actions: self.actions.to_vec(),
            description: get("Why is this bad?"),
            remediation,
            remediation_snippet: snippet,
            example,
            references: get("References").lines().filter_map(reference).collect(),
            benchmarks: self.benchmarks.iter().map(|s| s.to_string()).collect(),
            peers: Peers {
                checkov: self.checkov.iter().map(|s| s.to_string()).collect(),
                trivy: self.trivy.iter().map(|s| s.to_string()).collect(),
                ..Peers::default()
            },
            uses_graph: false,
            source: RuleSource::Rust {
                name: self.type_name.to_string(),
            },
        }
    }
}
