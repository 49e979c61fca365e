//! AWS EKS rules, one file per rule.

pub(crate) mod public_endpoint;
