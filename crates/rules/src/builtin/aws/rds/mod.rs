//! AWS RDS rules, one file per rule.

pub(crate) mod cluster_unencrypted;
pub(crate) mod no_backups;
pub(crate) mod outdated_ca;
