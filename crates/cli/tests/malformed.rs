//! Malformed input, through the binary: every one of the five inputs (plan, `.planguard.yaml`,
//! rule file, usage file, price catalog) that planguard cannot read is an input error (exit
//! 2) at a 1-based `file:line:column` of that file, saying what was expected, and quoting none
//! of the input: each case hides a canary in the bad value, which must not appear anywhere in
//! the output. Then the inputs that used to fail open (a plan that must fail passed): their
//! verdicts.
//!
//! The matrix is a table: one line per case (see `cases`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The text hidden in every malformed value.
const CANARY: &str = "Zq9CANARYx";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Input {
    Plan,
    Config,
    Rule,
    Usage,
    Catalog,
}

struct Case {
    input: Input,
    name: &'static str,
    content: Vec<u8>,
    /// A fragment the message must contain (what was expected, or what is wrong).
    says: &'static str,
}

fn case(input: Input, name: &'static str, content: impl Into<Vec<u8>>, says: &'static str) -> Case {
    Case {
        input,
        name,
        content: content.into(),
        says,
    }
}

/// A plan with one resource change whose `change` object is `change` (JSON members).
fn change(members: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", "resource_changes": [{{"address": "aws_instance.web", "mode": "managed",
  "type": "aws_instance", "name": "web",
  "change": {{{members}}}}}]}}"#
    )
}

/// A plan with one well-formed create change, plus top-level `members`.
fn plan(members: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", {members},
  "resource_changes": [{{"address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
  "change": {{"actions": ["create"], "before": null, "after": {{"ami": "ami-1"}}, "after_unknown": {{}}}}}}]}}"#
    )
}

/// A plan with one resource change whose members (but `change`) are `members`.
fn resource(members: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", "resource_changes": [{{{members},
  "change": {{"actions": ["create"], "before": null, "after": {{}}}}}}]}}"#
    )
}

const CREATE: &str = r#""actions": ["create"], "before": null"#;

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    for unit in text.encode_utf16() {
        out.extend(unit.to_le_bytes());
    }
    out
}

/// `text` with the bytes `bad` in place of the first `@`.
fn with_bytes(text: &str, bad: &[u8]) -> Vec<u8> {
    let (before, after) = text.split_once('@').expect("a marker");
    [before.as_bytes(), bad, after.as_bytes()].concat()
}

const CONFIG: &str = "version: 1\nguardrails:\n  - name: high\n    type: policy\n    severity: high\n";
const RULE: &str = "id: ORG-TEST-001\ntitle: A test rule\nseverity: high\ncategory: network-exposure\n\
provider: aws\nresource_types: [aws_instance]\nwhen:\n  attribute: associate_public_ip_address\n  op: is_true\n\
message: public\ndescription: d\nremediation: r\n";
const CHECKOV: &str = "metadata:\n  id: CKV2_ORG_1\n  name: n\n  category: c\ndefinition:\n  cond_type: attribute\n";
const USAGE: &str = "version: 0.1\nresource_usage:\n  aws_lambda_function.x:\n    monthly_requests: 5\n";

fn cases() -> Vec<Case> {
    use Input::*;
    let deep_config = format!("{}1{}", "[".repeat(12_000), "]".repeat(12_000));
    let long_address = format!(
        r#""address": "aws_instance.{}", "type": "aws_instance""#,
        CANARY.repeat(8000)
    );
    vec![
        // --- plan: wrong shapes Terraform never writes
        case(Plan, "after is a string", change(&format!(r#"{CREATE}, "after": "{CANARY}""#)), "expected an object"),
        case(Plan, "after is a list", change(&format!(r#"{CREATE}, "after": ["{CANARY}"]"#)), "expected an object"),
        case(Plan, "after is a number", change(r#""actions": ["create"], "after": 17"#), "expected an object"),
        case(Plan, "before is a string", change(&format!(r#""actions": ["delete"], "before": "{CANARY}""#)), "expected an object"),
        case(Plan, "before is a list", change(&format!(r#""actions": ["delete"], "before": ["{CANARY}"]"#)), "expected an object"),
        case(Plan, "actions is empty", change(r#""actions": [], "before": null, "after": {}"#), "expected one of"),
        case(Plan, "actions is a string", change(&format!(r#""actions": "{CANARY}""#)), "invalid type: a string"),
        case(Plan, "actions unknown", change(&format!(r#""actions": ["{CANARY}"]"#)), "expected one of"),
        case(Plan, "actions half unknown", change(&format!(r#""actions": ["create", "{CANARY}"]"#)), "expected one of"),
        case(Plan, "actions is null", change(r#""actions": null"#), "invalid type: null"),
        case(Plan, "actions missing", change(r#""before": null, "after": {}"#), "missing field `actions`"),
        case(Plan, "change is a list", resource(r#""address": "a.b", "type": "a""#).replace(r#""change": {"actions": ["create"], "before": null, "after": {}}"#, &format!(r#""change": ["{CANARY}"]"#)), "expected a change object"),
        case(Plan, "change is a string", resource(r#""address": "a.b", "type": "a""#).replace(r#""change": {"actions": ["create"], "before": null, "after": {}}"#, &format!(r#""change": "{CANARY}""#)), "expected a change object"),
        case(Plan, "configuration is a list", plan(r#""configuration": []"#), "expected a configuration object"),
        case(Plan, "configuration is a string", plan(&format!(r#""configuration": "{CANARY}""#)), "expected a configuration object"),
        case(Plan, "root_module is a list", plan(&format!(r#""configuration": {{"root_module": ["{CANARY}"]}}"#)), "expected a module configuration object"),
        case(Plan, "module_calls is a list", plan(&format!(r#""configuration": {{"root_module": {{"module_calls": ["{CANARY}"]}}}}"#)), "invalid type: a list"),
        case(Plan, "module call is a string", plan(&format!(r#""configuration": {{"root_module": {{"module_calls": {{"m": "{CANARY}"}}}}}}"#)), "expected a module call object"),
        case(Plan, "config resource is a list", plan(&format!(r#""configuration": {{"root_module": {{"resources": [["{CANARY}"]]}}}}"#)), "expected a resource configuration object"),
        case(Plan, "provider config is a string", plan(&format!(r#""configuration": {{"provider_config": {{"aws": "{CANARY}"}}}}"#)), "expected a provider configuration object"),
        case(Plan, "variable is a bare list", plan(&format!(r#""variables": {{"password": ["{CANARY}"]}}"#)), "expected a variable object"),
        case(Plan, "variable is a bare string", plan(&format!(r#""variables": {{"password": "{CANARY}"}}"#)), "expected a variable object"),
        case(Plan, "variables is a list", plan(&format!(r#""variables": ["{CANARY}"]"#)), "invalid type: a list"),
        case(Plan, "output is a bare string", plan(&format!(r#""planned_values": {{"outputs": {{"secret": "{CANARY}"}}}}"#)), "expected an output object"),
        case(Plan, "output is a bare list", plan(&format!(r#""planned_values": {{"outputs": {{"secret": ["{CANARY}"]}}}}"#)), "expected an output object"),
        case(Plan, "output sensitive is a string", plan(&format!(r#""planned_values": {{"outputs": {{"secret": {{"sensitive": "{CANARY}"}}}}}}"#)), "invalid type: a string"),
        case(Plan, "planned_values is a list", plan(&format!(r#""planned_values": ["{CANARY}"]"#)), "expected a state values object"),
        case(Plan, "child_modules is an object", plan(&format!(r#""planned_values": {{"root_module": {{"child_modules": {{"a": "{CANARY}"}}}}}}"#)), "invalid type: an object"),
        case(Plan, "planned resource is a string", plan(&format!(r#""planned_values": {{"root_module": {{"resources": ["{CANARY}"]}}}}"#)), "expected a resource object"),
        case(Plan, "prior_state is a string", plan(&format!(r#""prior_state": "{CANARY}""#)), "expected a state object"),
        case(Plan, "output change is a string", plan(&format!(r#""output_changes": {{"x": "{CANARY}"}}"#)), "expected a change object"),
        case(Plan, "resource_changes is a string", format!(r#"{{"format_version": "1.2", "resource_changes": "{CANARY}"}}"#), "invalid type: a string"),
        case(Plan, "resource change is a string", format!(r#"{{"format_version": "1.2", "resource_changes": ["{CANARY}"]}}"#), "expected a resource change object"),
        case(Plan, "resource change is a list", format!(r#"{{"format_version": "1.2", "resource_changes": [["{CANARY}"]]}}"#), "expected a resource change object"),
        case(Plan, "drift after is a string", format!(r#"{{"format_version": "1.2", "configuration": {{}}, "resource_drift": [{{"address": "a.b", "type": "a", "change": {{"actions": ["update"], "before": {{}}, "after": "{CANARY}"}}}}]}}"#), "expected an object"),
        case(Plan, "deferred change is a string", plan(&format!(r#""deferred_changes": [{{"reason": "x", "resource_change": "{CANARY}"}}]"#)), "expected a resource change object"),
        case(Plan, "relevant attribute is a string", plan(&format!(r#""relevant_attributes": ["{CANARY}"]"#)), "expected a relevant attribute object"),
        case(Plan, "importing is a string", change(&format!(r#"{CREATE}, "after": {{}}, "importing": "{CANARY}""#)), "expected an importing object"),
        case(Plan, "replace_paths is a string", change(&format!(r#"{CREATE}, "after": {{}}, "replace_paths": "{CANARY}""#)), "invalid type: a string"),
        case(Plan, "errored is a string", plan(&format!(r#""errored": "{CANARY}""#)), "invalid type: a string"),
        case(Plan, "mode unknown", resource(&format!(r#""address": "a.b", "type": "a", "mode": "{CANARY}""#)), "an unknown value, expected"),
        case(Plan, "type is a number", resource(r#""address": "a.b", "type": 5"#), "invalid type: a number"),
        case(Plan, "index is a boolean", resource(r#""address": "a.b[0]", "type": "a", "index": true"#), "invalid type: a boolean"),
        case(Plan, "index is a float", resource(r#""address": "a.b[0]", "type": "a", "index": 1.5"#), "invalid type: a number"),
        case(Plan, "address is a number", resource(r#""address": 7, "type": "a""#), "invalid type: a number"),
        case(Plan, "address missing", resource(r#""type": "a""#), "missing field `address`"),
        case(Plan, "duplicate field", resource(&format!(r#""address": "a.b", "address": "{CANARY}.b", "type": "a""#)), "duplicate field"),
        // --- plan: addresses
        case(Plan, "address without a name", resource(&format!(r#""address": "{CANARY}", "type": "a""#)), "of the address"),
        case(Plan, "address with a space", resource(&format!(r#""address": "aws_instance.{CANARY} x", "type": "a""#)), "of the address"),
        case(Plan, "address with an open key", resource(&format!(r#""address": "aws_instance.w[\"{CANARY}", "type": "a""#)), "of the address"),
        case(Plan, "address with a bad key", resource(&format!(r#""address": "aws_instance.w[{CANARY}]", "type": "a""#)), "of the address"),
        case(Plan, "module address cut short", resource(&format!(r#""address": "module.{CANARY}", "type": "a""#)), "of the address"),
        case(Plan, "planned address is bad", format!(r#"{{"format_version": "1.2", "planned_values": {{"root_module": {{"resources": [{{"address": "{CANARY}", "type": "a"}}]}}}}}}"#), "of the address"),
        case(Plan, "address too long", resource(&long_address), "expected at most"),
        case(Plan, "two changes, one address", format!(r#"{{"format_version": "1.2", "resource_changes": [
  {{"address": "a.{CANARY}", "type": "a", "change": {{"actions": ["create"], "after": {{}}}}}},
  {{"address": "a.{CANARY}", "type": "a", "change": {{"actions": ["delete"], "before": {{}}}}}}]}}"#), "same resource instance"),
        // --- plan: format_version
        case(Plan, "format_version empty", plan(r#""terraform_version": "1.11.0""#).replacen(r#""format_version": "1.2""#, r#""format_version": """#, 1), "format_version"),
        case(Plan, "format_version unknown major", plan(r#""terraform_version": "1.11.0""#).replacen(r#""format_version": "1.2""#, &format!(r#""format_version": "9.{CANARY}""#), 1), "format_version"),
        case(Plan, "format_version text", plan(r#""terraform_version": "1.11.0""#).replacen(r#""format_version": "1.2""#, &format!(r#""format_version": "{CANARY}""#), 1), "format_version"),
        case(Plan, "format_version number", plan(r#""terraform_version": "1.11.0""#).replacen(r#""format_version": "1.2""#, r#""format_version": 1.2"#, 1), "invalid type: a number"),
        // --- plan: JSON syntax and encodings
        case(Plan, "empty file", "", "expected a JSON object"),
        case(Plan, "blank file", "\n\n   \n", "expected a JSON object"),
        case(Plan, "not JSON", format!("{CANARY} is not a plan\n"), "expected a JSON object"),
        case(Plan, "top-level list", format!(r#"["{CANARY}"]"#), "expected a JSON object"),
        case(Plan, "truncated", format!(r#"{{"format_version": "1.2", "variables": {{"a": {{"value": "{CANARY}"#), "ends too early"),
        case(Plan, "trailing text", format!("{}\n{CANARY}\n", plan(r#""terraform_version": "1""#)), "trailing characters"),
        case(Plan, "missing comma", format!(r#"{{"format_version": "1.2" "x": "{CANARY}"}}"#), "expected `,`"),
        case(Plan, "control character in a string", format!("{{\"format_version\": \"1.2\", \"timestamp\": \"{CANARY}\u{1}\"}}"), "control character"),
        case(Plan, "bad escape", format!(r#"{{"format_version": "1.2", "timestamp": "{CANARY}\q"}}"#), "escape"),
        case(Plan, "lone surrogate", format!(r#"{{"format_version": "1.2", "timestamp": "{CANARY}\udc00"}}"#), "surrogate"),
        case(Plan, "number out of range", plan(r#""errored": 1e400"#), "out of range"),
        case(Plan, "invalid UTF-8", with_bytes(&plan(&format!(r#""timestamp": "{CANARY}@""#)), &[0xFF, 0xFE, 0x41]), "UTF-8"),
        case(Plan, "UTF-16 unpaired surrogate", [utf16le(&plan(&format!(r#""timestamp": "{CANARY}"#)), true), vec![0x00, 0xD8, b'"', 0, b'}', 0]].concat(), "UTF-16"),
        case(Plan, "UTF-16 odd length", [utf16le(&plan(&format!(r#""timestamp": "{CANARY}""#)), true), vec![b'\n']].concat(), "UTF-16"),
        case(Plan, "UTF-16 without BOM, bad", [utf16le(&format!(r#"{{"timestamp": "{CANARY}"#), false), vec![0x00, 0xDC, b'"', 0, b'}', 0]].concat(), "UTF-16"),
        case(Plan, "deeper than Terraform writes", plan(&format!(r#""variables": {{"x": {{"value": {}"{CANARY}"{}}}}}"#, "[".repeat(10_001), "]".repeat(10_001))), "levels deep"),
        case(Plan, "state, not a plan", format!(r#"{{"format_version": "1.0", "values": {{"root_module": {{}}}}, "terraform_version": "{CANARY}"}}"#), "not a Terraform plan"),
        // --- config (.planguard.yaml)
        case(Config, "version is text", format!("version: {CANARY}\n"), "expected a whole number"),
        case(Config, "guardrails is a string", format!("version: 1\nguardrails: {CANARY}\n"), "expected a list"),
        case(Config, "guardrail type unknown", format!("version: 1\nguardrails:\n  - name: x\n    type: {CANARY}\n"), "an unknown guardrail type"),
        case(Config, "unknown top-level key", format!("version: 1\n{CANARY}: 1\n"), "an unknown key"),
        case(Config, "unknown guardrail key", format!("{CONFIG}    {CANARY}: 1\n"), "an unknown key"),
        case(Config, "severity unknown", format!("version: 1\nguardrails:\n  - name: x\n    type: policy\n    severity: {CANARY}\n"), "an unknown value, expected"),
        case(Config, "budget is text", format!("version: 1\nguardrails:\n  - name: x\n    type: cost\n    max_monthly_increase: {CANARY}\n"), "expected a number"),
        case(Config, "unclosed quote", format!("version: 1\nguardrails: \"{CANARY}\n"), ""),
        case(Config, "tab indentation", format!("version: 1\nguardrails:\n\t- name: {CANARY}\n"), ""),
        case(Config, "invalid UTF-8", with_bytes(&format!("version: 1\n# {CANARY}@\n"), &[0xC3, 0x28]), "UTF-8"),
        case(Config, "UTF-16 unpaired surrogate", [utf16le(&format!("version: 1\n# {CANARY}"), true), vec![0x00, 0xD8, b'\n', 0]].concat(), "UTF-16"),
        case(Config, "waiver expiry not a date", format!("version: 1\nwaivers:\n  - rule: AWS-EC2-001\n    address: \"*\"\n    reason: r\n    expires: {CANARY}\n"), "date"),
        case(Config, "rules.dirs missing", format!("version: 1\nrules:\n  dirs: [\"missing-{CANARY}\"]\n"), "rules.dirs"),
        case(Config, "usage file missing", format!("version: 1\nusage: missing-{CANARY}.yml\n"), "usage"),
        case(Config, "nested too deep", format!("version: 1\nguardrails: {deep_config}\n# {CANARY}\n"), "nest"),
        case(Config, "duplicate key", format!("version: 1\nversion: 1\n# {CANARY}\n"), "duplicate"),
        case(Config, "guardrails is a map", format!("version: 1\nguardrails:\n  {CANARY}: 1\n"), "expected a list"),
        // --- rule files (--rules DIR)
        case(Rule, "severity unknown", RULE.replace("severity: high", &format!("severity: {CANARY}")), "an unknown value, expected"),
        case(Rule, "category unknown", RULE.replace("category: network-exposure", &format!("category: {CANARY}")), "an unknown value, expected"),
        case(Rule, "unknown key", format!("{RULE}{CANARY}: 1\n"), "an unknown key"),
        case(Rule, "resource_types is a string", RULE.replace("resource_types: [aws_instance]", &format!("resource_types: {{a: {CANARY}}}")), "expected a list"),
        case(Rule, "op unknown", RULE.replace("op: is_true", &format!("op: {CANARY}")), "an unknown value, expected"),
        case(Rule, "when is a string", RULE.replace("when:\n  attribute: associate_public_ip_address\n  op: is_true", &format!("when: {CANARY}")), "expected a mapping"),
        case(Rule, "bad id", RULE.replace("id: ORG-TEST-001", &format!("id: \"{CANARY} 1\"")), "id"),
        case(Rule, "unclosed quote", format!("{RULE}title: \"{CANARY}\n"), ""),
        case(Rule, "invalid UTF-8", with_bytes(&format!("{RULE}# {CANARY}@\n"), &[0xFF]), "UTF-8"),
        case(Rule, "UTF-16 unpaired surrogate", [utf16le(&format!("{RULE}# {CANARY}"), true), vec![0x00, 0xDC, b'\n', 0]].concat(), "UTF-16"),
        case(Rule, "nested too deep", RULE.replace("op: is_true", &format!("op: equals\n  value: {deep_config}\n# {CANARY}")), "nest"),
        // --- Checkov custom policies in the rules directory
        case(Rule, "checkov operator unknown", format!("{CHECKOV}  attribute: x\n  operator: {CANARY}\n"), "an operator Checkov doesn't have"),
        case(Rule, "checkov cond_type unknown", CHECKOV.replace("cond_type: attribute", &format!("cond_type: {CANARY}")) + "  attribute: x\n  operator: exists\n", "cond_type"),
        case(Rule, "checkov attribute malformed", format!("{CHECKOV}  attribute: \"a..{CANARY}\"\n  operator: exists\n"), "empty step"),
        case(Rule, "checkov regex invalid", format!("{CHECKOV}  attribute: x\n  operator: regex_match\n  value: \"({CANARY}\"\n"), "does not compile"),
        case(Rule, "checkov severity unknown", CHECKOV.replace("category: c\n", &format!("category: c\n  severity: {CANARY}\n")) + "  attribute: x\n  operator: exists\n", "severity"),
        case(Rule, "checkov unclosed flow", format!("{CHECKOV}  attribute: [{CANARY}\n  operator: exists\n"), ""),
        // --- usage files (--usage FILE)
        case(Usage, "version is a list", format!("version: [{CANARY}]\n"), "version"),
        case(Usage, "resource_usage is a string", format!("version: 0.1\nresource_usage: {CANARY}\n"), "mapping"),
        case(Usage, "quantity is text", USAGE.replace("monthly_requests: 5", &format!("monthly_requests: {CANARY}")), "number"),
        case(Usage, "quantity is negative", USAGE.replace("monthly_requests: 5", "monthly_requests: -5"), "negative"),
        case(Usage, "unknown top-level key", format!("{USAGE}{CANARY}: 1\n"), "unknown top-level key"),
        case(Usage, "not a mapping", format!("- {CANARY}\n"), "mapping"),
        case(Usage, "unclosed quote", format!("version: \"{CANARY}\n"), ""),
        case(Usage, "invalid UTF-8", with_bytes(&format!("{USAGE}# {CANARY}@\n"), &[0xFE]), "UTF-8"),
        case(Usage, "nested too deep", format!("{USAGE}resource_type_default_usage: {deep_config}\n# {CANARY}\n"), "nest"),
        // --- price catalogs (--prices FILE)
        case(Catalog, "aws is a list", catalog(r#""aws": []"#), "invalid type: a list"),
        case(Catalog, "aws is a string", catalog(&format!(r#""aws": "{CANARY}""#)), "invalid type: a string"),
        case(Catalog, "gcp is a list", catalog(&format!(r#""gcp": ["{CANARY}"]"#)), "invalid type: a list"),
        case(Catalog, "section is a list", catalog(&format!(r#""aws": {{"ec2": ["{CANARY}"]}}"#)), "invalid type: a list"),
        case(Catalog, "price is text", catalog(&table(&format!(r#""price": "{CANARY}""#))), "invalid type: a string"),
        case(Catalog, "region block is a list", catalog(&format!(r#""aws": {{"ec2": {{"instance_hour": {{"unit": "hour", "source": "s", "key": [], "regions": {{"us-east-1": ["{CANARY}"]}}}}}}}}"#)), "invalid type: a list"),
        case(Catalog, "unknown key", catalog(&format!(r#""{CANARY}": 1"#)), "an unknown key"),
        case(Catalog, "negative price", catalog(&table(r#""price": -1.0"#)), "price"),
        case(Catalog, "unknown source", catalog(&table(r#""price": 1.0"#).replace(r#""source": "s""#, &format!(r#""source": "{CANARY}""#))), "source"),
        case(Catalog, "currency unsupported", catalog("").replace(r#""currency": "USD""#, &format!(r#""currency": "{CANARY}""#)), "currency"),
        case(Catalog, "truncated", format!(r#"{{"schema_version": 1, "sources": {{"{CANARY}": {{"what": "x"#), "EOF while parsing"),
        case(Catalog, "invalid UTF-8", with_bytes(&catalog(&format!(r#""x{CANARY}@": 1"#)), &[0xFF]), "UTF-8"),
    ]
}

/// A price catalog with the members `extra` (JSON, may be empty) after the required ones.
fn catalog(extra: &str) -> String {
    let sep = if extra.is_empty() { "" } else { ",\n" };
    format!(
        r#"{{"schema_version": 1, "currency": "USD", "catalog_date": "2026-11-25", "hours_per_month": 730,
 "sources": {{"s": {{"what": "list prices"}}}}{sep}{extra}}}"#
    )
}

/// `"aws": {...}` with one EC2 table whose us-east-1 block has `members`.
fn table(members: &str) -> String {
    format!(
        r#""aws": {{"ec2": {{"instance_hour": {{"unit": "hour", "source": "s", "key": [],
 "regions": {{"us-east-1": {{{members}}}}}}}}}}}"#
    )
}

const PLAN: &str = r#"{"format_version": "1.2", "resource_changes": [{"address": "terraform_data.x", "mode": "managed",
 "type": "terraform_data", "name": "x", "change": {"actions": ["create"], "before": null, "after": {}}}]}"#;

struct Run {
    code: Option<i32>,
    output: String,
    /// Standard output alone (reports; the config line and warnings go to standard error).
    stdout: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_planguard"))
        .args(["--color", "never"])
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .output()
        .expect("runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

/// A fresh directory with a space in its name (paths users have).
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("planguard malformed {} {name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The 1-based `line:column` right after `file:` in `output`, if any.
fn position_after(output: &str, file: &str) -> Option<(usize, usize, String)> {
    let at = output.find(&format!("{file}:"))? + file.len() + 1;
    let rest = &output[at..];
    let mut parts = rest.splitn(3, ':');
    let line = parts.next()?.parse().ok()?;
    let column = parts.next()?.parse().ok()?;
    Some((line, column, parts.next()?.lines().next()?.to_string()))
}

#[test]
fn every_malformed_input_is_an_error_at_its_position_quoting_nothing() {
    let cases = cases();
    assert!(cases.len() >= 80, "the matrix has {} cases", cases.len());
    for input in [Input::Plan, Input::Config, Input::Rule, Input::Usage, Input::Catalog] {
        assert!(
            cases.iter().filter(|c| c.input == input).count() >= 8,
            "{input:?}: too few cases"
        );
    }
    let dir = scratch("matrix");
    std::fs::write(dir.join("plan.json"), PLAN).expect("plan");
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let case_dir = dir.join(format!("case {i}"));
        std::fs::create_dir_all(&case_dir).expect("case dir");
        let (file, args): (PathBuf, Vec<String>) = match c.input {
            Input::Plan => {
                let f = case_dir.join("plan.json");
                (f.clone(), vec!["check".into(), f.display().to_string()])
            }
            Input::Config => {
                let f = case_dir.join(".planguard.yaml");
                (
                    f.clone(),
                    vec![
                        "check".into(),
                        "plan.json".into(),
                        "--config".into(),
                        f.display().to_string(),
                    ],
                )
            }
            Input::Rule => {
                let f = case_dir.join("ORG-TEST-001.yaml");
                (
                    f.clone(),
                    vec![
                        "check".into(),
                        "plan.json".into(),
                        "--rules".into(),
                        case_dir.display().to_string(),
                    ],
                )
            }
            Input::Usage => {
                let f = case_dir.join("usage.yml");
                (
                    f.clone(),
                    vec![
                        "check".into(),
                        "plan.json".into(),
                        "--usage".into(),
                        f.display().to_string(),
                    ],
                )
            }
            Input::Catalog => {
                let f = case_dir.join("prices.json");
                (
                    f.clone(),
                    vec![
                        "check".into(),
                        "plan.json".into(),
                        "--prices".into(),
                        f.display().to_string(),
                    ],
                )
            }
        };
        std::fs::write(&file, &c.content).expect("write case");
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let got = run(&dir, &args);
        let name = format!("{:?} / {}", c.input, c.name);
        let shown = file.display().to_string();
        let mut problems = Vec::new();
        if got.code != Some(2) {
            problems.push(format!("exit {:?}, expected 2", got.code));
        }
        match position_after(&got.output, &shown) {
            Some((line, column, message)) => {
                if line == 0 || column == 0 {
                    problems.push(format!("0-based position {line}:{column}"));
                }
                if message.contains(" line ") && message.contains(" column ") {
                    problems.push("the position is repeated in the message".into());
                }
                if message.contains(" { ") {
                    problems.push("an internal name in the message".into());
                }
                if message.contains("at byte") {
                    problems.push("a byte offset in the message".into());
                }
                if !message.contains(c.says) {
                    problems.push(format!("the message does not say {:?}", c.says));
                }
            }
            None => problems.push(format!("no {shown}:LINE:COLUMN position")),
        }
        if got.output.contains(CANARY) {
            problems.push("the canary leaked".into());
        }
        if got.output.contains("panicked") {
            problems.push("a panic".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name}: {}\n    {}",
                problems.join("; "),
                got.output.trim().replace('\n', "\n    ")
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// An instance with a public IP whose `user_data` is `user_data` (JSON): the public IP must
/// fail the default policy whatever else the values hold.
fn public_instance(user_data: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.11.0", "resource_changes": [{{
 "address": "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",
 "provider_name": "registry.terraform.io/hashicorp/aws",
 "change": {{"actions": ["create"], "before": null,
  "after": {{"ami": "ami-1", "instance_type": "t3.micro", "associate_public_ip_address": true,
   "user_data": {user_data}}},
  "after_unknown": {{}}, "after_sensitive": {{}}}}}}]}}"#
    )
}

fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

#[test]
fn values_serde_json_alone_refuses_are_read_and_the_plan_fails() {
    let dir = scratch("fail-open");
    for (name, user_data) in [
        ("beyond f64", "1e400".to_string()),
        ("negative beyond f64", "-1e400".to_string()),
        ("401 digits", "9".repeat(401)),
        ("130 levels", nested(130)),
        ("9,999 levels", nested(9_999)),
    ] {
        let plan = dir.join("plan.json");
        std::fs::write(&plan, public_instance(&user_data)).expect("plan");
        let got = run(&dir, &["check", "plan.json"]);
        assert_eq!(got.code, Some(1), "{name}: must fail\n{}", got.output);
        assert!(
            got.output.contains("AWS-EC2-001"),
            "{name}: the public IP is found\n{}",
            got.output
        );
        assert!(!got.output.contains("cannot be read"), "{name}\n{}", got.output);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn values_too_deep_to_read_make_rules_unknown_and_never_a_plain_pass() {
    let dir = scratch("unreadable");
    // Deeper than Terraform writes (Go's encoder stops at 10,000 levels): not read.
    let plan = public_instance(&nested(10_001));
    let line = plan
        .lines()
        .position(|l| l.contains("user_data"))
        .expect("user_data line")
        + 1;
    std::fs::write(dir.join("plan.json"), &plan).expect("plan");
    let got = run(&dir, &["check", "plan.json"]);
    assert_eq!(got.code, Some(0), "{}", got.output);
    assert!(
        got.output.contains("WARN: plan.json may ship, with warnings"),
        "{}",
        got.output
    );
    assert!(!got.output.contains("PASS"), "{}", got.output);
    // The warning points at the file, not inside the value.
    // The `after` object is level 1: its 10,000th bracket opens level 10,001, the first too deep.
    let column = plan.lines().nth(line - 1).expect("line").find('[').expect("bracket") + 10_000;
    let position = format!("plan.json:{line}:{column}: the values of aws_instance.web cannot be read");
    assert!(got.output.contains(&position), "{position}\n{}", got.output);
    assert!(
        got.output.contains("AWS-EC2-001  aws_instance.web [undecided]"),
        "{}",
        got.output
    );

    // With include_unknown, the undecided findings fail the plan.
    std::fs::write(
        dir.join("strict.yaml"),
        "version: 1\nguardrails:\n  - name: strict\n    type: policy\n    severity: high\n    include_unknown: true\n",
    )
    .expect("config");
    let got = run(&dir, &["check", "plan.json", "--config", "strict.yaml"]);
    assert_eq!(got.code, Some(1), "{}", got.output);
    assert!(
        got.output.contains("cannot be read, so the rule cannot decide"),
        "{}",
        got.output
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn plans_with_deeply_nested_modules_are_read() {
    let dir = scratch("modules");
    for depth in [45, 250] {
        // `depth` nested calls of module "m", each with one resource, as Terraform writes them.
        let mut config = String::from(
            r#"{"resources": [{"address": "terraform_data.r", "mode": "managed", "type": "terraform_data", "name": "r"}]}"#,
        );
        let mut changes = Vec::new();
        let mut module = String::new();
        for level in 0..=depth {
            let address = if module.is_empty() {
                "terraform_data.r".to_string()
            } else {
                format!("{module}.terraform_data.r")
            };
            let module_address = if module.is_empty() {
                String::new()
            } else {
                format!(r#""module_address": "{module}", "#)
            };
            changes.push(format!(
                r#"{{"address": "{address}", {module_address}"mode": "managed", "type": "terraform_data", "name": "r",
 "change": {{"actions": ["create"], "before": null, "after": {{"input": {level}}}, "after_unknown": {{"id": true}}}}}}"#
            ));
            module = if module.is_empty() {
                "module.m".into()
            } else {
                format!("{module}.module.m")
            };
        }
        for _ in 0..depth {
            config = format!(
                r#"{{"resources": [{{"address": "terraform_data.r", "mode": "managed", "type": "terraform_data", "name": "r"}}],
 "module_calls": {{"m": {{"source": "./m", "module": {config}}}}}}}"#
            );
        }
        let plan = format!(
            r#"{{"format_version": "1.2", "resource_changes": [{}], "configuration": {{"root_module": {config}}}}}"#,
            changes.join(",\n")
        );
        std::fs::write(dir.join("plan.json"), plan).expect("plan");
        let got = run(&dir, &["check", "plan.json", "--format", "json"]);
        assert_eq!(
            got.code,
            Some(0),
            "{depth} levels\n{}",
            &got.output[..got.output.len().min(2000)]
        );
        assert!(!got.output.contains("recursion limit"), "{depth} levels");
        let report: serde_json::Value = serde_json::from_str(&got.stdout).expect("a JSON report");
        assert_eq!(report["summary"]["counts"]["create"], depth + 1, "{depth} levels");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
