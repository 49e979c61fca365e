//! AWS CloudSearch rules, one file per rule.

pub(crate) mod old_tls;
pub(crate) mod plain_http;
