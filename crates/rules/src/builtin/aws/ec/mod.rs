//! AWS EC rules, one file per rule.

pub(crate) mod default_subnet_group;
pub(crate) mod no_at_rest_encryption;
pub(crate) mod no_transit_encryption;
