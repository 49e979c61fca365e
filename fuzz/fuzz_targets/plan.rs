//! The plan loader on arbitrary bytes, then what every later stage reads of a plan: its
//! values (with their overlays) and the summary. Nothing may panic; errors are fine.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = planguard_plan::parse_bytes(data, Path::new("fuzz.json")) else {
        return;
    };
    for change in &loaded.plan.resource_changes {
        if let Ok(values) = change.values() {
            let _ = values.after().redacted();
            let _ = values.changed_paths();
        }
    }
    let _ = planguard_plan::Summary::of(&loaded.plan);
});
