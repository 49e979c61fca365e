use planguard_plan::{shown, Shown};
use serde_json::Value;

use crate::builtin::aws_secret_scan::{describe_all, merge, redact, scan, scan_named, Found};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Looks for AWS access key ids (`AKIA...`, `ASIA...`), AWS secret access keys and private
    /// keys in the container definitions of `aws_ecs_task_definition` resources: the
    /// `environment` variables of each container (a 40-character base64 value of a variable
    /// whose name contains `SECRET` counts as a secret key), and anywhere else in the
    /// container's definition (`command`, `entryPoint`, labels). The finding names the
    /// container, the variable and the kind of secret, never the secret.
    ///
    /// ## Why is this bad?
    /// Task definitions are readable in clear by anyone allowed
    /// `ecs:DescribeTaskDefinition`, every revision is kept (deregistered revisions too), and
    /// the values end up in Terraform state and plan files. Containers don't need static
    /// keys: the task role provides temporary credentials.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family = "api"
    ///   container_definitions = jsonencode([{
    ///     name  = "api"
    ///     image = "example/api:1.0"
    ///     environment = [
    ///       { name = "AWS_ACCESS_KEY_ID", value = "AKIAIOSFODNN7EXAMPLE" },
    ///     ]
    ///   }])
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Revoke and rotate the exposed key. Give the task a `task_role_arn`, and inject other
    /// secrets with the container definition's `secrets` (Secrets Manager or SSM Parameter
    /// Store ARNs, resolved by ECS at start).
    /// ```hcl
    /// resource "aws_ecs_task_definition" "api" {
    ///   family        = "api"
    ///   task_role_arn = aws_iam_role.api_task.arn
    ///   container_definitions = jsonencode([{
    ///     name    = "api"
    ///     image   = "example/api:1.0"
    ///     secrets = [{ name = "DB_PASSWORD", valueFrom = aws_secretsmanager_secret.db.arn }]
    ///   }])
    /// }
    /// ```
    ///
    /// ## References
    /// - [Pass sensitive data to an Amazon ECS container](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html)
    /// - [Amazon ECS task IAM role](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html)
    pub struct SecretsEcsTaskEnv {
        id: "AWS-SEC-003",
        title: "ECS task definition contains AWS credentials or a private key",
        severity: Critical,
        category: Secrets,
        resource_types: &["aws_ecs_task_definition"],
        attributes: &["container_definitions"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let cursor = cx.subject().get("container_definitions");
    let Some(text) = cursor.as_str() else {
        return;
    };
    let sensitive = cursor.is_sensitive();
    let disclosure = cursor.disclosure();
    let Ok(Value::Array(containers)) = serde_json::from_str::<Value>(text) else {
        return;
    };
    for (i, container) in containers.iter().enumerate() {
        // Of a sensitive value, print nothing at all: not even names.
        let name = match container.get("name").and_then(Value::as_str) {
            Some(n) if disclosure.allows() => disclosure.show(n),
            _ => shown!("#{}", Shown::figure(i)),
        };
        // (where, what): environment variables by name, then the rest of the definition.
        let mut places: Vec<(Shown, Vec<Found>)> = Vec::new();
        let mut in_env: Vec<Found> = Vec::new();
        if let Some(Value::Array(env)) = container.get("environment") {
            for var in env {
                let (Some(var_name), Some(value)) = (
                    var.get("name").and_then(Value::as_str),
                    var.get("value").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let found = scan_named(var_name, value);
                if !found.is_empty() {
                    merge(&mut in_env, found.clone());
                    let place = if sensitive {
                        Shown::constant("an environment variable")
                    } else {
                        shown!("environment variable {}", disclosure.show(var_name))
                    };
                    places.push((place, found));
                }
            }
        }
        // Anything not already found in an environment variable.
        let elsewhere: Vec<Found> = scan(&container.to_string())
            .into_iter()
            .filter(|f| !in_env.iter().any(|g| g.kind == f.kind))
            .collect();
        if !elsewhere.is_empty() {
            places.push((Shown::constant("its definition"), elsewhere));
        }
        if places.is_empty() {
            continue;
        }
        let what: Vec<Shown> = places
            .into_iter()
            .map(|(place, found)| {
                let found = if sensitive { redact(found) } else { found };
                shown!("{} contains {}", place, describe_all(&found, disclosure))
            })
            .collect();
        out.push(Hit {
            status: Status::Fail,
            path: shown!("container_definitions[{}]", Shown::figure(i)),
            message: shown!("container {}: {}", name, Shown::join(&what, "; ")),
        });
    }
}
