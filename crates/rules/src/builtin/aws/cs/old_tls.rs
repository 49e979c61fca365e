use planguard_plan::{shown, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_cloudsearch_domain` resources whose `endpoint_options.tls_security_policy`
    /// is not a TLS 1.2 policy, including domains without an `endpoint_options` block
    /// (CloudSearch then uses `Policy-Min-TLS-1-0-2019-07`).
    ///
    /// ## Why is this bad?
    /// TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on weak constructions (CBC
    /// with SHA-1, no AEAD ciphers) and allow downgrades. Accepting them lets a client, or an
    /// attacker steering the handshake, protect search traffic with broken cryptography.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudsearch_domain" "catalog" {
    ///   name = "catalog"
    ///   endpoint_options {
    ///     enforce_https       = true
    ///     tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Use the TLS 1.2 policy (and require HTTPS: AWS-CS-001).
    /// ```hcl
    /// resource "aws_cloudsearch_domain" "catalog" {
    ///   name = "catalog"
    ///   endpoint_options {
    ///     enforce_https       = true
    ///     tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - [Configuring domain endpoint options in Amazon CloudSearch](https://docs.aws.amazon.com/cloudsearch/latest/developerguide/configuring-domain-endpoint-options.html)
    /// - [RFC 8996: Deprecating TLS 1.0 and TLS 1.1](https://www.rfc-editor.org/rfc/rfc8996)
    pub struct CloudsearchOldTls {
        id: "AWS-CS-002",
        title: "CloudSearch domain accepts TLS versions older than 1.2",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_cloudsearch_domain"],
        checkov: &["CKV_AWS_218"],
        attributes: &["endpoint_options"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "endpoint_options[0].tls_security_policy";
    let (status, message) = match setting(cx, path) {
        Setting::Known(Value::String(policy)) if policy.contains("TLS-1-2") => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "the domain's TLS policy admits versions older than 1.2 (endpoint_options.tls_security_policy = {})",
                shown_at(cx, path)
            ),
        ),
        Setting::Unset => (
            Status::Fail,
            Shown::constant(
                "endpoint_options is not set, and CloudSearch defaults to Policy-Min-TLS-1-0-2019-07 (TLS 1.0 and later)",
            ),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("endpoint_options is known only after apply; the domain may accept TLS 1.0"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}
