//! The shared corpus of real plans (`../shared/corpus` beside the repository, or
//! `$PLANGUARD_CORPUS`) that this workspace's tests and benchmarks read in place.

use std::path::{Path, PathBuf};

/// The corpus directory, for a test: `None` (after printing `SKIPPED`) when it is absent on
/// a developer's machine, a panic when it is absent under `CI=true`, where a silently skipped
/// corpus would hide every regression it guards against.
pub fn dir_for_tests() -> Option<PathBuf> {
    let dir = std::env::var_os("PLANGUARD_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!(
            "the plan corpus is missing at {} under CI: set PLANGUARD_CORPUS",
            dir.display()
        );
    } else {
        eprintln!("SKIPPED: no plan corpus at {} (set PLANGUARD_CORPUS)", dir.display());
        None
    }
}

/// Every `.json` file below `dir`, in sorted order (unreadable directories are skipped).
pub fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}
