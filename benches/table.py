#!/usr/bin/env python3
"""Prints the README's figures table from criterion's results (target/criterion).

    python3 benches/table.py [TARGET_DIR]

For every stage of the `stages` benchmark and every size: the median time per iteration,
the throughput in MB/s (10^6 bytes) of plan JSON, and the time relative to the `value`
baseline (serde_json::from_slice::<Value>) on the same bytes. Then the 100k/10k time ratio
(linearity) where both sizes were measured.
"""
import json
import os
import sys

ORDER = ["value", "parse", "values", "summary", "graph", "rules", "cost", "analyze", "check",
         "render_json", "render_text", "render_markdown", "render_sarif", "render_junit"]
SIZES = ["1k", "10k", "100k"]

root = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "target", "criterion")
data = {}
for stage in ORDER:
    for size in SIZES:
        d = os.path.join(root, stage, size, "new")
        try:
            est = json.load(open(os.path.join(d, "estimates.json")))
            bench = json.load(open(os.path.join(d, "benchmark.json")))
        except OSError:
            continue
        data[(stage, size)] = (est["median"]["point_estimate"] / 1e9, bench["throughput"]["Bytes"])

sizes = [s for s in SIZES if any((st, s) in data for st in ORDER)]


def fmt_time(secs):
    return f"{secs * 1e3:.1f} ms" if secs < 10 else f"{secs:.2f} s"


head = "| stage | " + " | ".join(f"{s}: time | {s}: MB/s | {s}: × value" for s in sizes) + " |"
print(head)
print("|---|" + "---:|---:|---:|" * len(sizes))
for stage in ORDER:
    cells = []
    for s in sizes:
        if (stage, s) not in data:
            cells += ["-", "-", "-"]
            continue
        secs, nbytes = data[(stage, s)]
        base = data.get(("value", s))
        cells += [fmt_time(secs), f"{nbytes / 1e6 / secs:.0f}", f"{secs / base[0]:.2f}" if base else "-"]
    print(f"| `{stage}` | " + " | ".join(cells) + " |")

if "10k" in sizes and "100k" in sizes:
    print()
    print("| stage | 100k / 10k time |")
    print("|---|---:|")
    for stage in ORDER:
        if (stage, "10k") in data and (stage, "100k") in data:
            print(f"| `{stage}` | {data[(stage, '100k')][0] / data[(stage, '10k')][0]:.1f} |")
