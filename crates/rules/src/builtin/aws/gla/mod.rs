//! AWS S3 Glacier rules, one file per rule.

pub(crate) mod vault_policy_public;
