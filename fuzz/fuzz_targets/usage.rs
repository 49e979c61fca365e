//! The usage file loader on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = planguard_cost::Usage::from_slice(data, "usage.yml");
});
