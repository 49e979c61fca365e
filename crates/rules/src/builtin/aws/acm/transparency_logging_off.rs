use planguard_plan::{Lookup, Shown};
use serde_json::Value;

use crate::builtin::aws_setting::{setting, Setting};
use crate::builtin::rust_rule;
use crate::rule::{Context, Hit, Status};

rust_rule! {
    /// ## What it does
    /// Flags public `aws_acm_certificate` resources (issued by ACM: no
    /// `certificate_authority_arn`, not imported with `certificate_body`) with
    /// `options.certificate_transparency_logging_preference = "DISABLED"`.
    ///
    /// ## Why is this bad?
    /// Certificate Transparency logs are public, append-only records of every certificate a
    /// CA issues. They let a domain owner find certificates issued for their names by
    /// mistake or by a compromised CA, and browsers (Chrome, Safari) refuse publicly
    /// trusted certificates that are not logged. Opting out hides the certificate from
    /// monitoring, and a certificate that browsers reject breaks the site it was meant to
    /// protect. Private CA certificates are never logged, so the preference is moot there.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_acm_certificate" "web" {
    ///   domain_name       = "www.example.com"
    ///   validation_method = "DNS"
    ///   options {
    ///     certificate_transparency_logging_preference = "DISABLED"
    ///   }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// Keep the default (`ENABLED`). Names that must stay unlisted belong on a private CA.
    /// ```hcl
    /// resource "aws_acm_certificate" "web" {
    ///   domain_name       = "www.example.com"
    ///   validation_method = "DNS"
    /// }
    /// ```
    ///
    /// ## References
    /// - [Opting out of certificate transparency logging](https://docs.aws.amazon.com/acm/latest/userguide/acm-bestpractices.html#best-practices-transparency)
    /// - [Certificate Transparency](https://certificate.transparency.dev/howctworks/)
    pub struct AcmTransparencyLoggingOff {
        id: "AWS-ACM-001",
        title: "ACM certificate opts out of Certificate Transparency logging",
        severity: Low,
        category: Logging,
        resource_types: &["aws_acm_certificate"],
        checkov: &["CKV_AWS_234"],
        attributes: &["certificate_authority_arn", "certificate_body", "options"],
    }
}

fn check(cx: &Context<'_>, out: &mut Vec<Hit>) {
    let path = "options[0].certificate_transparency_logging_preference";
    let disabled = match setting(cx, path) {
        // Unset: ACM logs public certificates.
        Setting::Unset => return,
        Setting::Known(Value::String(p)) if p.eq_ignore_ascii_case("DISABLED") => true,
        Setting::Known(_) => return,
        Setting::Unknown => false,
    };
    // A private CA's or an imported certificate is never logged by ACM.
    let mut unknown_origin = false;
    for attribute in ["certificate_authority_arn", "certificate_body"] {
        match cx.subject().get(attribute).lookup() {
            Lookup::Known(Value::String(s)) if !s.is_empty() => return,
            Lookup::Unknown => unknown_origin = true,
            _ => {}
        }
    }
    let (status, message) = if disabled && !unknown_origin {
        (
            Status::Fail,
            "the certificate is not written to Certificate Transparency logs (certificate_transparency_logging_preference = DISABLED)",
        )
    } else if disabled {
        (
            Status::Unknown,
            "Certificate Transparency logging is disabled, and whether the certificate is public is known only after apply",
        )
    } else {
        (
            Status::Unknown,
            "certificate_transparency_logging_preference is known only after apply; the certificate may not be logged",
        )
    };
    out.push(Hit {
        status,
        path: Shown::constant(path),
        message: Shown::constant(message),
    });
}
