//! The usage file: Infracost's format, errors with file:line:column, warnings for keys that
//! are not understood.

use planguard_cost::{CostError, Usage};

fn parse(yaml: &str) -> Result<Usage, CostError> {
    Usage::from_slice(yaml.as_bytes(), "usage.yml")
}

#[track_caller]
fn error_at(yaml: &str, line: u64, needle: &str) -> String {
    match parse(yaml) {
        Err(e @ CostError::Usage { .. }) => {
            let text = e.to_string();
            if let CostError::Usage { line: l, .. } = &e {
                assert_eq!(*l, line, "{text}");
            }
            assert!(text.contains("usage.yml:"), "{text}");
            assert!(text.contains(needle), "{text}");
            text
        }
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn infracost_example_shapes_are_read() {
    let u = parse(
        r#"
version: 0.1
resource_type_default_usage:
  aws_lambda_function:
    monthly_requests: 100000
    request_duration_ms: 500
resource_usage:
  aws_lambda_function.my_fn[*]:
    monthly_requests: 2000000
  aws_lambda_function.my_fn["a"]:
    request_duration_ms: 100
  module.app.aws_s3_bucket.b:
    standard:
      storage_gb: 10000
      monthly_tier_1_requests: 1000
    intelligent_tiering:
      frequent_access_storage_gb: 20000
  aws_dynamodb_table.t:
    monthly_read_request_units: 1e6
    monthly_write_request_units: 500000
"#,
    )
    .unwrap();
    assert!(u.warnings().is_empty(), "{:?}", u.warnings());
    // exact > wildcard > type default, key by key
    let e = u
        .for_resource(r#"aws_lambda_function.my_fn["a"]"#, "aws_lambda_function")
        .unwrap();
    assert_eq!(e.number("monthly_requests"), Some(2_000_000.0));
    assert_eq!(e.number("request_duration_ms"), Some(100.0));
    let other = u
        .for_resource("aws_lambda_function.other", "aws_lambda_function")
        .unwrap();
    assert_eq!(other.number("monthly_requests"), Some(100_000.0));
    let s3 = u.for_resource("module.app.aws_s3_bucket.b", "aws_s3_bucket").unwrap();
    assert_eq!(
        s3.object("standard").and_then(|s| s.number("storage_gb")),
        Some(10_000.0)
    );
    assert!(u.for_resource("aws_s3_bucket.none", "aws_s3_bucket").is_none());
    let d = u.for_resource("aws_dynamodb_table.t", "aws_dynamodb_table").unwrap();
    assert_eq!(d.number("monthly_read_request_units"), Some(1e6));
}

#[test]
fn unknown_keys_are_warned_about_with_their_line() {
    let u = parse(
        "version: 0.1\nresource_usage:\n  aws_lambda_function.f:\n    monthly_request: 5\n  aws_s3_bucket.b:\n    standard:\n      storage_gbs: 1\n  aws_widget.w:\n    x: 1\n",
    )
    .unwrap();
    let w = u.warnings().join("\n");
    assert!(w.contains("usage.yml:4:5") && w.contains("monthly_request"), "{w}");
    assert!(w.contains("usage.yml:7:7") && w.contains("storage_gbs"), "{w}");
    assert!(w.contains("aws_widget"), "{w}");
    // The misspelt key is not used.
    let f = u.for_resource("aws_lambda_function.f", "aws_lambda_function").unwrap();
    assert!(f.is_empty());
}

#[test]
fn bad_files_are_errors_with_a_location() {
    error_at(
        "version: 0.1\nresource_usage:\n  aws_lambda_function.f:\n    monthly_requests: -5\n",
        4,
        "non-negative",
    );
    error_at(
        "version: 0.1\nresource_usage:\n  aws_lambda_function.f:\n    monthly_requests: lots\n",
        4,
        "must be a non-negative number, found a string",
    );
    error_at(
        "version: 0.1\nresource_usage:\n  aws_s3_bucket.b:\n    standard: 5\n",
        4,
        "must be a mapping",
    );
    error_at("- a\n- b\n", 1, "must be a mapping");
    // A stray top-level key means another kind of file, not an unpriced usage quantity.
    error_at("version: 0.1\nextra: 1\n", 2, "unknown top-level key");
    error_at(
        "version: 0.1\nresource_usage: [1, 2]\n",
        2,
        "resource_usage must be a mapping",
    );
    let text = error_at("version: 0.1\nresource_usage:\n  a: [\n", 3, "");
    assert!(text.starts_with("usage.yml:3:"), "{text}");
}

#[test]
fn from_path_names_the_file() {
    let err = Usage::from_path("/nonexistent/usage.yml").unwrap_err();
    assert!(err.to_string().contains("/nonexistent/usage.yml"), "{err}");
}
