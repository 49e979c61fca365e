use planguard_plan::{shown, Shown};

use crate::builtin::aws_setting::{as_bool, setting, shown_at, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags `aws_cloudsearch_domain` resources whose `endpoint_options.enforce_https` is
    /// not `true`, including domains without an `endpoint_options` block (CloudSearch then
    /// accepts plain HTTP).
    ///
    /// ## Why is this bad?
    /// The search and document endpoints carry the indexed documents and every query in
    /// both directions. Over plain HTTP they, and the request signatures of the callers,
    /// cross the network in clear text, where anything on the path can read or alter them.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudsearch_domain" "catalog" {
    ///   name = "catalog"
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Require HTTPS, with a TLS 1.2 policy.
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
    pub struct CloudsearchPlainHttp {
        id: "AWS-CS-001",
        title: "CloudSearch domain accepts plain HTTP",
        severity: Medium,
        category: Encryption,
        resource_types: &["aws_cloudsearch_domain"],
        checkov: &["CKV_AWS_220"],
        attributes: &["endpoint_options"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "endpoint_options[0].enforce_https";
    let (status, message) = match setting(cx, path) {
        Setting::Known(v) if as_bool(v) == Some(true) => return,
        Setting::Known(_) => (
            Status::Fail,
            shown!(
                "the domain's endpoints accept plain HTTP (endpoint_options.enforce_https = {})",
                shown_at(cx, path)
            ),
        ),
        Setting::Unset => (
            Status::Fail,
            Shown::constant("endpoint_options is not set, and CloudSearch endpoints accept plain HTTP by default"),
        ),
        Setting::Unknown => (
            Status::Unknown,
            Shown::constant("endpoint_options is known only after apply; the domain may accept plain HTTP"),
        ),
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message,
    });
}
