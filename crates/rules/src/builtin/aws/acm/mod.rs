//! AWS Certificate Manager rules, one file per rule.

pub(crate) mod transparency_logging_off;
