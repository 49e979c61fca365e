//! AWS IAM rules, one file per rule.

pub(crate) mod admin_managed_policy;
pub(crate) mod broad_managed_policy;
pub(crate) mod not_action;
pub(crate) mod pass_role_all;
pub(crate) mod resource_policy_public;
pub(crate) mod trust_everyone;
pub(crate) mod wildcard_policy;
pub(crate) mod write_all_resources;
