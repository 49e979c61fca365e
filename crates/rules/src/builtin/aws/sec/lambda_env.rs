use planguard_plan::{shown, Disclosure};
use serde_json::Value;

use crate::builtin::aws_secret_scan::{
    config_block_constant, describe_all, key_step, merge, redact, scan_named, Found,
};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Looks for AWS access key ids (`AKIA...`, `ASIA...`), AWS secret access keys and private
    /// keys in the environment variables of `aws_lambda_function` resources
    /// (`environment.variables`), in the planned values and in the configuration's literals.
    /// A 40-character base64 value of a variable whose name contains `SECRET` counts as a
    /// secret key. The finding names the variable and the kind of secret, never the secret.
    ///
    /// ## Why is this bad?
    /// Environment variables are configuration, not secrets: anyone allowed
    /// `lambda:GetFunctionConfiguration` (read-only roles, many third-party tools) reads
    /// them in clear, and they are stored in Terraform state and plan files. Static access
    /// keys in a function are also unnecessary, since the function's execution role already
    /// provides temporary credentials, and they override them silently.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_lambda_function" "api" {
    ///   function_name = "api"
    ///   role          = aws_iam_role.lambda.arn
    ///   runtime       = "python3.12"
    ///   handler       = "index.handler"
    ///   filename      = "lambda.zip"
    ///   environment {
    ///     variables = {
    ///       AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Revoke and rotate the exposed key. Grant the permissions to the execution role, and
    /// read other secrets at run time from Secrets Manager (the AWS Parameters and Secrets
    /// Lambda Extension caches them), passing only the secret's name in the environment.
    /// ```hcl
    /// resource "aws_lambda_function" "api" {
    ///   function_name = "api"
    ///   role          = aws_iam_role.lambda.arn
    ///   runtime       = "python3.12"
    ///   handler       = "index.handler"
    ///   filename      = "lambda.zip"
    ///   environment {
    ///     variables = {
    ///       DB_SECRET_ID = aws_secretsmanager_secret.db.name
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Securing Lambda environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
    /// - [Lambda execution role](https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html)
    /// - [Use Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html)
    pub struct SecretsLambdaEnv {
        id: "AWS-SEC-002",
        title: "Lambda environment variable contains AWS credentials or a private key",
        severity: Critical,
        category: Secrets,
        resource_types: &["aws_lambda_function"],
        checkov: &["CKV_AWS_45"],
        attributes: &["environment"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let variables = cx.subject().at_path("environment[0].variables");
    // Variable names are keys of the map: part of its value when it is sensitive.
    let names = variables.disclosure();
    let mut by_name: Vec<(String, Vec<Found>, Disclosure)> = Vec::new();
    let mut add = |name: &str, found: Vec<Found>, disclosure: Disclosure| {
        if found.is_empty() {
            return;
        }
        match by_name.iter_mut().find(|(n, _, _)| n == name) {
            Some((_, f, d)) => {
                merge(f, found);
                *d = d.and(disclosure);
            }
            None => by_name.push((name.to_string(), found, disclosure)),
        }
    };
    if let Some(Value::Object(map)) = variables.known() {
        for name in map.keys() {
            let cursor = variables.get(name);
            if let Some(text) = cursor.as_str() {
                let found = scan_named(name, text);
                add(
                    name,
                    if cursor.is_sensitive() { redact(found) } else { found },
                    cursor.disclosure(),
                );
            }
        }
    }
    // Literals in the configuration (the planned map is wholly unknown when any value is).
    if let Some(Value::Object(map)) = config_block_constant(cx, "environment", "variables") {
        for (name, value) in map {
            if let Some(text) = value.as_str() {
                add(name, scan_named(name, text), Disclosure::configuration_literal());
            }
        }
    }
    by_name.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    for (name, found, disclosure) in by_name {
        out.push(Hit {
            status: Status::Fail,
            path: shown!("environment[0].variables{}", key_step(&name, names)),
            message: shown!(
                "environment variable {} contains {}",
                names.show(&name),
                describe_all(&found, disclosure)
            ),
        });
    }
}
