//! AWS DMS rules, one file per rule.

pub(crate) mod endpoint_without_ssl;
