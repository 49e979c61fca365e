//! azurerm VM rules, one file per rule.

pub(crate) mod custom_data;
