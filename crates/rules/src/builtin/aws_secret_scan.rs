//! Finds AWS credentials and private keys in clear text, for the AWS-SEC rules.
//!
//! What it reports never contains the secret: the kind, and for access key ids a masked form
//! that keeps the first and last four characters (`AKIA************MPLE`), which is enough to
//! find the key in IAM without being usable.

use std::sync::OnceLock;

use planguard_plan::{shown, Disclosure, Shown};
use regex::Regex;

/// A kind of secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    AccessKeyId,
    SecretAccessKey,
    PrivateKey,
}

/// One secret found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Found {
    pub(crate) kind: Kind,
    /// A printable description (never the secret itself).
    pub(crate) shown: String,
}

impl Found {
    /// `an AWS access key id (AKIA************MPLE)`; the masked form only when
    /// `disclosure` (of the value it was found in) allows it.
    pub(crate) fn describe(&self, disclosure: Disclosure) -> Shown {
        let shown = disclosure.show(&self.shown);
        match self.kind {
            Kind::AccessKeyId => shown!("an AWS access key id ({})", shown),
            Kind::SecretAccessKey => shown!("an AWS secret access key ({})", shown),
            Kind::PrivateKey => shown!("a private key ({})", shown),
        }
    }
}

fn access_key_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\b((?:AKIA|ASIA)[A-Z0-9]{16})\b").unwrap())
}

/// `aws_secret_access_key = "..."`, `AWS_SECRET_ACCESS_KEY=...`, `"SecretAccessKey": "..."`,
/// `secret_key: ...`: a secret-looking name, then 40 base64 characters.
fn assigned_secret_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)\b((?:aws_?)?secret(?:_?access)?(?:_?key)?)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        )
        .unwrap()
    })
}

fn secret_value_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^[A-Za-z0-9/+]{40}$").unwrap())
}

fn secret_name_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)secret").unwrap())
}

fn private_key_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----").unwrap())
}

/// Secret access keys are base64 of random bytes: both cases appear. A 40-character hex
/// digest (a commit SHA, a SHA-1) has one case only and is not taken for a key.
fn looks_random(value: &str) -> bool {
    value.chars().any(|c| c.is_ascii_uppercase()) && value.chars().any(|c| c.is_ascii_lowercase())
}

/// `AKIA************MPLE`.
pub(crate) fn mask_key_id(id: &str) -> String {
    let n = id.chars().count();
    if n <= 8 {
        return "*".repeat(n);
    }
    let head: String = id.chars().take(4).collect();
    let tail: String = id.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 8))
}

/// The secrets in a piece of text, one per kind, in kind order.
pub(crate) fn scan(text: &str) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    if let Some(m) = access_key_re().captures(text).and_then(|c| c.get(1)) {
        out.push(Found {
            kind: Kind::AccessKeyId,
            shown: mask_key_id(m.as_str()),
        });
    }
    let assigned = assigned_secret_re()
        .captures_iter(text)
        .find(|c| c.get(2).is_some_and(|v| looks_random(v.as_str())));
    if let Some(name) = assigned.and_then(|c| c.get(1)) {
        out.push(Found {
            kind: Kind::SecretAccessKey,
            shown: format!("40 characters assigned to {}", name.as_str()),
        });
    }
    if let Some(c) = private_key_re().captures(text) {
        let label = c.get(1).map(|m| m.as_str().trim()).unwrap_or_default();
        out.push(Found {
            kind: Kind::PrivateKey,
            shown: if label.is_empty() {
                "PEM block".to_string()
            } else {
                format!("{label} PEM block")
            },
        });
    }
    out
}

/// The secrets in a named value (an environment variable, a tag): the value is scanned,
/// and a 40-character base64 value under a name containing `secret` is a secret key.
pub(crate) fn scan_named(name: &str, value: &str) -> Vec<Found> {
    let mut out = scan(value);
    if secret_name_re().is_match(name)
        && secret_value_re().is_match(value.trim())
        && looks_random(value.trim())
        && !out.iter().any(|f| f.kind == Kind::SecretAccessKey)
    {
        out.push(Found {
            kind: Kind::SecretAccessKey,
            shown: format!("40 characters in {name}"),
        });
        out.sort();
    }
    out
}

/// Decodes standard or URL-safe base64 (padding and whitespace optional). `None` when the
/// text isn't base64 or doesn't decode to UTF-8 (lossy decoding keeps binary noise out).
pub(crate) fn decode_base64(text: &str) -> Option<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            bytes.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// The findings of a sensitive value: the kinds only, nothing of the value.
pub(crate) fn redact(found: Vec<Found>) -> Vec<Found> {
    found
        .into_iter()
        .map(|f| Found {
            kind: f.kind,
            shown: "in a value marked sensitive".to_string(),
        })
        .collect()
}

/// `an AWS access key id (AKIA************MPLE) and a private key (PEM block)`.
pub(crate) fn describe_all(found: &[Found], disclosure: Disclosure) -> Shown {
    let parts: Vec<Shown> = found.iter().map(|f| f.describe(disclosure)).collect();
    match parts.len() {
        0 => Shown::default(),
        1 => parts[0].clone(),
        n => shown!("{} and {}", Shown::join(&parts[..n - 1], ", "), parts[n - 1]),
    }
}

/// The constant string an argument is written as in the resource's configuration, if any.
pub(crate) fn config_string<'a>(cx: &crate::rule::Context<'a>, attr: &str) -> Option<&'a str> {
    cx.plan
        .config_resource(&cx.change.addr)?
        .resource
        .expressions
        .get(attr)?
        .constant()?
        .as_str()
}

/// The constant value of an argument inside the first nested block of the configuration
/// (`environment { variables = {...} }`), if any.
pub(crate) fn config_block_constant<'a>(
    cx: &crate::rule::Context<'a>,
    block: &str,
    attr: &str,
) -> Option<&'a serde_json::Value> {
    match cx
        .plan
        .config_resource(&cx.change.addr)?
        .resource
        .expressions
        .get(block)?
    {
        planguard_plan::Expression::Blocks(blocks) => blocks.first()?.get(attr)?.constant(),
        planguard_plan::Expression::Value { .. } => None,
    }
}

/// A path step for a map key: `.NAME`, or `["a key"]` when it needs quoting.
pub(crate) fn key_step(name: &str, disclosure: Disclosure) -> Shown {
    let plain = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !disclosure.allows() {
        shown!("[{}]", disclosure.show(name))
    } else if plain {
        shown!(".{}", disclosure.show(name))
    } else {
        shown!(
            "[{}]",
            disclosure.show(&serde_json::Value::String(name.to_string()).to_string())
        )
    }
}

/// Merges findings, one per kind.
pub(crate) fn merge(into: &mut Vec<Found>, more: Vec<Found>) {
    for f in more {
        if !into.iter().any(|g| g.kind == f.kind) {
            into.push(f);
        }
    }
    into.sort();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_masks() {
        let found = scan("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[0].describe(Disclosure::configuration_literal()),
            "an AWS access key id (AKIA************MPLE)"
        );
        assert_eq!(
            found[1].describe(Disclosure::configuration_literal()),
            "an AWS secret access key (40 characters assigned to AWS_SECRET_ACCESS_KEY)"
        );
        for f in &found {
            assert!(!f.describe(Disclosure::configuration_literal()).contains("IOSFODNN7"));
            assert!(!f.describe(Disclosure::configuration_literal()).contains("wJalr"));
        }
        let pem = scan("key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  MIIE...\n");
        assert_eq!(
            pem[0].describe(Disclosure::configuration_literal()),
            "a private key (RSA PEM block)"
        );
        assert_eq!(scan("-----BEGIN PRIVATE KEY-----")[0].shown, "PEM block");
        assert!(scan("-----BEGIN PUBLIC KEY-----").is_empty());
        assert!(
            scan("AKIAIOSFODNN7EXAMPLEX").is_empty(),
            "21 characters is not a key id"
        );
        assert!(scan("secret = 0123456789").is_empty());
        assert_eq!(scan("ASIAY34FZKBOKMUTVV7A")[0].shown, "ASIA************VV7A");
    }

    #[test]
    fn named_values() {
        let found = scan_named("DB_SECRET", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        assert_eq!(found[0].kind, Kind::SecretAccessKey);
        assert!(scan_named("COMMIT", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_empty());
        assert!(scan_named("SECRET_NAME", "prod/db/password").is_empty());
        assert!(scan_named("SECRET_SHA", "da39a3ee5e6b4b0d3255bfef95601890afd80709").is_empty());
        assert!(scan("aws_secret_access_key = da39a3ee5e6b4b0d3255bfef95601890afd80709").is_empty());
    }

    #[test]
    fn key_steps() {
        assert_eq!(key_step("AWS_KEY", Disclosure::configuration_literal()), ".AWS_KEY");
        assert_eq!(
            key_step("Cost Center", Disclosure::configuration_literal()),
            "[\"Cost Center\"]"
        );
    }

    #[test]
    fn base64() {
        assert_eq!(decode_base64("aGVsbG8gQUtJQQ==").as_deref(), Some("hello AKIA"));
        assert_eq!(decode_base64("aGVsbG8").as_deref(), Some("hello"));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(mask_key_id("AKIAI44QH8DHBEXAMPLE"), "AKIA************MPLE");
        let both = scan("AKIAIOSFODNN7EXAMPLE -----BEGIN OPENSSH PRIVATE KEY-----");
        assert_eq!(
            describe_all(&both, Disclosure::configuration_literal()),
            "an AWS access key id (AKIA************MPLE) and a private key (OPENSSH PEM block)"
        );
        assert_eq!(
            describe_all(&redact(both), Disclosure::configuration_literal())[..22].to_string(),
            "an AWS access key id ("
        );
        assert!(!describe_all(
            &redact(scan("AKIAIOSFODNN7EXAMPLE")),
            Disclosure::configuration_literal()
        )
        .contains("MPLE"));
    }
}
