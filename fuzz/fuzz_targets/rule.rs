//! The YAML rule loader on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = planguard_rules::RuleSet::parse_rule("rules/ORG-FUZZ-001.yaml", text);
    }
});
