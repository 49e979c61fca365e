//! AWS ECS rules, one file per rule.

pub(crate) mod shared_task_role;
