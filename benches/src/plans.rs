//! Synthetic plans cached on disk for the benchmarks and the peer script.
//!
//! [`cached`] writes `target/bench-plans/plan-{resources}-s{seed}.json` once with
//! [`generate_to`](crate::synth::generate_to) and reads it back on later runs, so a
//! benchmark run does not spend seconds regenerating a 417 MB plan. The file name carries
//! the generator's inputs; delete the folder after changing the generator.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::synth::{generate_to, SynthOptions};

/// The folder plans are cached in: `$PLANGUARD_BENCH_PLANS`, else
/// `$CARGO_TARGET_DIR/bench-plans`, else `<workspace>/target/bench-plans`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("PLANGUARD_BENCH_PLANS") {
        return PathBuf::from(dir);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("target"));
    target.join("bench-plans")
}

/// The path of the cached plan with `resources` resources and `seed`, generated first if
/// missing.
pub fn cached_path(resources: usize, seed: u64) -> io::Result<PathBuf> {
    let dir = cache_dir();
    let path = dir.join(format!("plan-{resources}-s{seed}.json"));
    if path.is_file() {
        return Ok(path);
    }
    fs::create_dir_all(&dir)?;
    // Write to a temporary name, then rename: an interrupted run leaves no truncated plan.
    let tmp = dir.join(format!(".plan-{resources}-s{seed}.{}.tmp", std::process::id()));
    {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&tmp)?);
        generate_to(&SynthOptions { resources, seed }, &mut w)?;
        w.flush()?;
    }
    fs::rename(&tmp, &path)?;
    Ok(path)
}

/// The bytes of the cached plan with `resources` resources and `seed`.
pub fn cached(resources: usize, seed: u64) -> io::Result<Vec<u8>> {
    fs::read(cached_path(resources, seed)?)
}

/// A human label for a resource count: `1k`, `10k`, `100k`, `1500`.
pub fn label(resources: usize) -> String {
    if resources >= 1000 && resources % 1000 == 0 {
        format!("{}k", resources / 1000)
    } else {
        resources.to_string()
    }
}
