use planguard_plan::{shown, Lookup, Shown};
use serde_json::Value;

use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_ecs_task_definition` resources whose `task_role_arn` is the same role as
    /// their `execution_role_arn`. When the ARNs are known only after apply (roles created in
    /// the same plan), the decision comes from the configuration: both arguments being the
    /// same reference (`aws_iam_role.ecs.arn`) is the same role.
    ///
    /// ## Why is this bad?
    /// The execution role is what the ECS agent uses to start the task: pull images from ECR,
    /// read the secrets injected into the containers and write their logs. The task role is
    /// what the application's code gets. Using one role for both hands the application, and
    /// anyone who gets code execution in the container, the right to read every secret and
    /// image the task may start with, and usually much more, since the role must satisfy
    /// both needs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   family                = "app"
    ///   container_definitions = local.containers
    ///   execution_role_arn    = aws_iam_role.ecs.arn
    ///   task_role_arn         = aws_iam_role.ecs.arn
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Give the application its own role with only what its code calls.
    /// ```hcl
    /// resource "aws_ecs_task_definition" "app" {
    ///   family                = "app"
    ///   container_definitions = local.containers
    ///   execution_role_arn    = aws_iam_role.ecs_execution.arn
    ///   task_role_arn         = aws_iam_role.app.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [Amazon ECS task execution IAM role](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html)
    /// - [Amazon ECS task IAM role](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html)
    pub struct EcsSharedTaskRole {
        id: "AWS-ECS-020",
        title: "ECS task definition gives its containers the execution role",
        severity: Medium,
        category: Iam,
        resource_types: &["aws_ecs_task_definition"],
        checkov: &["CKV_AWS_249"],
        attributes: &["execution_role_arn", "task_role_arn"],
    }
}

enum Arn<'a> {
    Known(&'a str),
    Unset,
    Unknown,
}

fn arn<'a>(cx: &Context<'a>, attribute: &str) -> Arn<'a> {
    match cx.subject().get(attribute).lookup() {
        Lookup::Known(Value::String(s)) if !s.is_empty() => Arn::Known(s),
        Lookup::Unknown => Arn::Unknown,
        _ => Arn::Unset,
    }
}

/// The references of the argument's expression, when it is written as references only.
fn references(cx: &Context<'_>, attribute: &str) -> Option<Vec<String>> {
    let config = cx.plan.config_resource(&cx.change.addr)?;
    let expression = config.resource.expressions.get(attribute)?;
    let mut refs: Vec<String> = expression.references().into_iter().map(str::to_string).collect();
    if refs.is_empty() || expression.constant().is_some() {
        return None;
    }
    refs.sort();
    refs.dedup();
    Some(refs)
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let hit = match (arn(cx, "execution_role_arn"), arn(cx, "task_role_arn")) {
        (Arn::Unset, _) | (_, Arn::Unset) => return,
        (Arn::Known(execution), Arn::Known(task)) => {
            if execution != task {
                return;
            }
            Hit {
                status: Status::Fail,
                path: Shown::constant("task_role_arn"),
                message: shown!(
                    "the containers run with the task execution role (task_role_arn = {})",
                    cx.subject().get("task_role_arn").shown()
                ),
            }
        }
        _ => match (references(cx, "execution_role_arn"), references(cx, "task_role_arn")) {
            (Some(execution), Some(task)) if execution == task => Hit {
                status: Status::Fail,
                path: Shown::constant("task_role_arn"),
                message: Shown::constant(
                    "the containers run with the task execution role (decided from configuration: execution_role_arn and task_role_arn are the same reference)",
                ),
            },
            (Some(_), Some(_)) => return,
            _ => Hit {
                status: Status::Unknown,
                path: Shown::constant("task_role_arn"),
                message: Shown::constant(
                    "execution_role_arn or task_role_arn is known only after apply; the task may run with its execution role",
                ),
            },
        },
    };
    out.push(hit);
}
