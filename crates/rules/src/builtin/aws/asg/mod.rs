//! AWS Auto Scaling rules, one file per rule.

pub(crate) mod ec2_health_check;
