//! AWS EC2 rules, one file per rule.

pub(crate) mod block_device_unencrypted;
