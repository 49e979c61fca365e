//! AWS SEC rules, one file per rule.

pub(crate) mod ecs_task_env;
pub(crate) mod lambda_env;
pub(crate) mod tags;
pub(crate) mod user_data;
