//! AWS OIDC rules, one file per rule.

pub(crate) mod no_audience;
pub(crate) mod no_subject;
pub(crate) mod provider_audience;
pub(crate) mod wildcard_subject;
