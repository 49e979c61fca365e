use planguard_plan::{shown, Lookup, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

/// Engines DMS reaches through an AWS API or their own settings block, where `ssl_mode`
/// does not apply (S3, DynamoDB, Kinesis, OpenSearch, Kafka, Neptune, Redshift) or is not
/// supported (Azure SQL Database).
const NOT_APPLICABLE: &[&str] = &[
    "azuredb",
    "dynamodb",
    "elasticsearch",
    "kafka",
    "kinesis",
    "neptune",
    "opensearch",
    "redshift",
    "redshift-serverless",
    "s3",
];

rust_rule! {
    /// ## What it does
    /// Flags `aws_dms_endpoint` resources of database engines (PostgreSQL, MySQL, Oracle,
    /// SQL Server, MongoDB, DocumentDB, ...) whose `ssl_mode` is `none` or not set (DMS
    /// then connects without TLS). Endpoints of engines reached through an AWS API (S3,
    /// DynamoDB, Kinesis, OpenSearch, Kafka, Neptune, Redshift) are not judged.
    ///
    /// ## Why is this bad?
    /// A migration or replication task streams whole databases, and the endpoint's
    /// credentials, between the replication instance and the source or target. Without
    /// TLS, that traffic crosses the VPC, a VPN or the internet (on-premises and other-cloud
    /// sources) in clear text, and the replication instance can't verify it is talking to
    /// the real database.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_dms_endpoint" "source" {
    ///   endpoint_id   = "orders-source"
    ///   endpoint_type = "source"
    ///   engine_name   = "postgres"
    ///   server_name   = "orders.example.internal"
    ///   port          = 5432
    ///   database_name = "orders"
    ///   username      = "dms"
    ///   password      = var.dms_password
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Use `require`, or `verify-full` with the server's CA certificate imported into DMS.
    /// ```hcl
    /// resource "aws_dms_endpoint" "source" {
    ///   endpoint_id     = "orders-source"
    ///   endpoint_type   = "source"
    ///   engine_name     = "postgres"
    ///   server_name     = "orders.example.internal"
    ///   port            = 5432
    ///   database_name   = "orders"
    ///   username        = "dms"
    ///   password        = var.dms_password
    ///   ssl_mode        = "verify-full"
    ///   certificate_arn = aws_dms_certificate.rds_ca.certificate_arn
    /// }
    /// ```
    ///
    /// ## References
    /// - [Using SSL with AWS Database Migration Service](https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Security.SSL.html)
    /// - [Security Hub controls for AWS DMS (DMS.9)](https://docs.aws.amazon.com/securityhub/latest/userguide/dms-controls.html#dms-9)
    pub struct DmsEndpointWithoutSsl {
        id: "AWS-DMS-020",
        title: "DMS endpoint connects to its database without TLS",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_dms_endpoint"],
        benchmarks: &["AWS FSBP DMS.9"],
        checkov: &["CKV2_AWS_49"],
        attributes: &["engine_name", "ssl_mode"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let engine = cx.subject().get("engine_name");
    let engine_known = match engine.lookup() {
        Lookup::Known(Value::String(name)) => {
            if NOT_APPLICABLE.contains(&name.as_str()) {
                return;
            }
            true
        }
        Lookup::Unknown => false,
        _ => true,
    };
    let path = "ssl_mode";
    let finding = match setting(cx, path) {
        Setting::Known(Value::String(mode)) if mode != "none" => return,
        Setting::Known(_) => Some(shown!(
            "the endpoint connects without TLS (ssl_mode = {})",
            shown_at(cx, path)
        )),
        Setting::Unset => Some(Shown::constant(
            "ssl_mode is not set, and DMS connects to the database without TLS by default",
        )),
        Setting::Unknown => None,
    };
    let (status, message) = match finding {
        Some(message) if engine_known => (Status::Fail, message),
        Some(_) => (
            Status::Unknown,
            Shown::constant("the endpoint has no TLS, and its engine_name is known only after apply"),
        ),
        None => (
            Status::Unknown,
            Shown::constant("ssl_mode is known only after apply; the endpoint may connect without TLS"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}
