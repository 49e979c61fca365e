//! AWS OpenSearch Service rules, one file per rule.

pub(crate) mod too_few_masters;
