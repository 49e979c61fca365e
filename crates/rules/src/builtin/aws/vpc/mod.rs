//! AWS VPC rules, one file per rule.

pub(crate) mod open_all_ports;
pub(crate) mod open_database;
pub(crate) mod open_rdp;
