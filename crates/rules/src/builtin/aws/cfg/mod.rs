//! AWS Config rules, one file per rule.

pub(crate) mod partial_recorder;
