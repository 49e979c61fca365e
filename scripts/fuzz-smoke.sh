#!/usr/bin/env bash
# fuzz-smoke.sh [SECONDS]
#
# A short libFuzzer run of each fuzz target (fuzz/README.md), with the corpus seeded from
# the repository's fixtures. Not run by CI. Needs `cargo install cargo-fuzz`; on a stable
# toolchain it sets RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly flags).
#
# Environment: FUZZ_JOBS (default 1), FUZZ_TARGETS (default: plan config rule usage).
set -euo pipefail

seconds=${1:-60}
jobs=${FUZZ_JOBS:-1}
targets=${FUZZ_TARGETS:-plan config rule usage}
root=$(cd "$(dirname "$0")/.." && pwd -P)
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP:-1}

seed() {
    local target=$1 dir=corpus/$1
    mkdir -p "$dir"
    case $target in
        plan) find "$root/fixtures" -name '*.json' -size -512k ;;
        config) find "$root/fixtures/config" "$root/fixtures/malformed" -name '*.yaml' 2>/dev/null || true; echo "$root/.planguard.yaml" ;;
        rule) find "$root/rules" -name '*.yaml' | head -200 ;;
        usage) find "$root/fixtures" -name '*.yml' ;;
    esac | while read -r f; do
        # `if`, not `&&`: a missing seed must not end the loop with a failure under pipefail.
        if [ -f "$f" ]; then cp "$f" "$dir/$(printf '%s' "$f" | sha1sum | cut -c1-16)"; fi
    done
}

status=0
for target in $targets; do
    seed "$target"
    echo "== $target: ${seconds}s"
    cargo fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -jobs="$jobs" -workers="$jobs" \
        -max_len=1048576 -print_final_stats=1 || status=1
done
exit $status
