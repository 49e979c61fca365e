use planguard_plan::{shown, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

/// The RDS certificate authorities that are current (valid until 2061 and later).
const CURRENT_CAS: &[&str] = &["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"];

rust_rule! {
    /// ## What it does
    /// Flags `aws_db_instance` resources whose `ca_cert_identifier` is set to a certificate
    /// authority other than the current ones (`rds-ca-rsa2048-g1`, `rds-ca-rsa4096-g1`,
    /// `rds-ca-ecc384-g1`), such as `rds-ca-2019`, which expired in August 2024. An unset
    /// `ca_cert_identifier` passes: RDS gives new instances `rds-ca-rsa2048-g1`.
    ///
    /// ## Why is this bad?
    /// Clients that verify the server certificate (`sslmode=verify-full`, `ssl-mode=VERIFY_IDENTITY`)
    /// refuse a certificate signed by an expired CA, so they either fail or get reconfigured
    /// to skip verification, which lets anyone on the network path impersonate the database
    /// and read the credentials and the queries. Pinning an old CA in code also undoes the
    /// rotation AWS performs.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier         = "orders"
    ///   engine             = "postgres"
    ///   instance_class     = "db.m7g.large"
    ///   allocated_storage  = 100
    ///   ca_cert_identifier = "rds-ca-2019"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Use a current CA (and ship its bundle to the clients before switching).
    /// ```hcl
    /// resource "aws_db_instance" "orders" {
    ///   identifier         = "orders"
    ///   engine             = "postgres"
    ///   instance_class     = "db.m7g.large"
    ///   allocated_storage  = 100
    ///   ca_cert_identifier = "rds-ca-rsa2048-g1"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Using SSL/TLS to encrypt a connection to a DB instance](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html)
    /// - [Rotating your SSL/TLS certificate](https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html)
    pub struct RdsOutdatedCa {
        id: "AWS-RDS-031",
        title: "RDS instance uses an outdated certificate authority",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_db_instance"],
        checkov: &["CKV_AWS_211"],
        attributes: &["ca_cert_identifier"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "ca_cert_identifier";
    let (status, message) = match setting(cx, path) {
        // Unset: RDS assigns its current default CA.
        Setting::Unset => return,
        Setting::Known(Value::String(ca)) if CURRENT_CAS.contains(&ca.as_str()) => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "the instance's server certificate is signed by an outdated CA (ca_cert_identifier = {})",
                shown_at(cx, path)
            ),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("ca_cert_identifier is known only after apply; the instance may use an outdated CA"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}
