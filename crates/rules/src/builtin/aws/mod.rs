//! AWS rules, one directory per service.

pub(crate) mod acm;
pub(crate) mod asg;
pub(crate) mod cfg;
pub(crate) mod cs;
pub(crate) mod ddb;
pub(crate) mod dms;
pub(crate) mod ec;
pub(crate) mod ec2;
pub(crate) mod ecs;
pub(crate) mod efs;
pub(crate) mod eks;
pub(crate) mod gla;
pub(crate) mod iam;
pub(crate) mod oidc;
pub(crate) mod os;
pub(crate) mod rds;
pub(crate) mod sec;
pub(crate) mod sqs;
pub(crate) mod vpc;
