//! AWS DDB rules, one file per rule.

pub(crate) mod aws_owned_key;
pub(crate) mod no_pitr;
