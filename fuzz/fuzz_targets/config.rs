//! The `.planguard.yaml` loader on arbitrary text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = planguard::config::Config::from_str_at(text, Path::new(".planguard.yaml"));
    }
});
