//! AWS EFS rules, one file per rule.

pub(crate) mod unencrypted;
