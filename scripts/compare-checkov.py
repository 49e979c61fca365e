#!/usr/bin/env python3
"""Compare planguard's findings with Checkov's on a set of plans (not part of CI).

For every planguard rule whose `peers.checkov` lists Checkov check ids, and for every
such (rule, Checkov id) pair, the script computes over all plans:

- both:           resources planguard flags (`fail`) and Checkov FAILS;
- checkov_only:   resources Checkov FAILS and planguard doesn't flag `fail`
                  (split by what planguard said: `unknown`, or nothing);
- planguard_only: resources planguard flags `fail` and Checkov doesn't FAIL
                  (split by what Checkov said: PASSED, or nothing: not evaluated);
- unknown:        resources planguard reports `unknown` (with Checkov's verdict on them).

Usage (see rules/PEERS.md for the run this produced):

    python3 -m venv target/peers/checkov-venv
    target/peers/checkov-venv/bin/pip install checkov
    cargo build --release -p planguard-cli
    python3 scripts/compare-checkov.py [--corpus ../shared/corpus] [--out target/peers/compare]
                                       [--reuse-checkov] [--batch 25] [--timeout 900]

Plans: every `*.json` under the corpus (`odd/` folders skipped: they are broken on
purpose), plus `fixtures/terraform/*/plan.json` and `fixtures/rules/*/plan.json`.

Checkov is run as `checkov -f PLAN [-f PLAN ...] --framework terraform_plan -o json --compact
--skip-download --check IDS` with `BC_SKIP_MAPPING=TRUE` (no network), several plans per
process (its start-up costs seconds), each process under a timeout; a batch that fails or
times out is re-run plan by plan. `--quiet` is *not* passed: in JSON output it drops the
passed checks, which the comparison needs. Results are cached per plan under
`OUT/checkov/` (`--reuse-checkov` reads the cache instead of running Checkov again).

Resource addresses: Checkov's plan runner reports `resource_address` (the full Terraform
address, module path and `[index]` included, e.g. `module.a.aws_s3_bucket.b["x"]`) and
`resource` (the same address, or for older versions `type.name` with a module prefix);
planguard's `resource` is the full Terraform address. Both are normalised by
`normalise_address` (strip whitespace, a leading `module.X.` chain kept as is, `[index]`
kept, double quotes in keys kept) and matched exactly; a Checkov result whose address has
no `[index]` while planguard's has exactly one instance is matched to that instance.

Output: `OUT/summary.json` (machine-readable) and `OUT/comparison.md` (Markdown table).
Standard library only.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    sys.stderr.write("compare-checkov: %s\n" % msg)
    sys.stderr.flush()


def discover_plans(corpus):
    plans = []
    if corpus and os.path.isdir(corpus):
        for dirpath, dirnames, filenames in os.walk(corpus):
            dirnames[:] = sorted(d for d in dirnames if d != "odd")
            for f in sorted(filenames):
                if f.endswith(".json") and f != "MANIFEST.json":
                    plans.append(os.path.join(dirpath, f))
    for sub in ("fixtures/terraform", "fixtures/rules"):
        base = os.path.join(ROOT, sub)
        if os.path.isdir(base):
            for d in sorted(os.listdir(base)):
                p = os.path.join(base, d, "plan.json")
                if os.path.isfile(p):
                    plans.append(p)
    # Checkov reports `file_abs_path` with symlinks resolved (`../shared` is often a link), so
    # plans are keyed by their real path or no Checkov result would match.
    return [os.path.realpath(p) for p in plans]


def label(plan, corpus):
    corpus = os.path.realpath(corpus) if corpus else None
    if corpus and plan.startswith(corpus + os.sep):
        return "corpus/" + os.path.relpath(plan, corpus)
    return os.path.relpath(plan, ROOT)


def normalise_address(addr):
    """A resource address as both tools are compared on."""
    if addr is None:
        return None
    a = re.sub(r"\s+", "", str(addr))
    # Checkov (some versions) writes for_each keys with single quotes.
    a = re.sub(r"\['([^']*)'\]", r'["\1"]', a)
    return a


def strip_index(addr):
    return re.sub(r"\[[^\]]*\]$", "", addr)


def resource_type(addr):
    """`module.a.aws_s3_bucket.b["k"]` -> `aws_s3_bucket`; data sources -> `data.TYPE`."""
    parts = re.sub(r"\[[^\]]*\]", "", addr).split(".")
    while len(parts) > 2 and parts[0] == "module":
        parts = parts[2:]
    if parts and parts[0] == "data" and len(parts) >= 3:
        return "data." + parts[1]
    return parts[0] if parts else addr


def load_rules(planguard):
    out = subprocess.run(
        [planguard, "rules", "list", "--format", "json"],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout
    rules = json.loads(out)
    res = {}
    for r in rules:
        ids = (r.get("peers") or {}).get("checkov") or []
        if ids:
            res[r["id"]] = {"checkov": list(ids), "resource_types": r.get("resource_types", []),
                            "actions": r.get("actions", [])}
    return res


def run_planguard(planguard, plan, timeout):
    try:
        p = subprocess.run(
            [planguard, "check", plan, "--format", "json", "--soft-fail"],
            capture_output=True, text=True, timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None, "timeout after %ss" % timeout
    if p.returncode not in (0, 1):
        return None, "exit %d: %s" % (p.returncode, p.stderr.strip()[:300])
    try:
        doc = json.loads(p.stdout)
    except ValueError as e:
        return None, "bad JSON: %s" % e
    findings = {}
    for f in doc.get("findings", []):
        key = (f["rule_id"], normalise_address(f["resource"]))
        # fail outranks unknown when a rule reports a resource twice
        if findings.get(key) != "fail":
            findings[key] = f["status"]
    return findings, None


def cache_path(out, plan):
    st = os.stat(plan)
    h = hashlib.sha1(("%s|%d|%d" % (plan, st.st_size, int(st.st_mtime))).encode()).hexdigest()
    return os.path.join(out, "checkov", h[:16] + ".json")


def parse_checkov(stdout):
    """Checkov's JSON report: a dict (one framework) or a list of dicts."""
    doc = json.loads(stdout)
    reports = doc if isinstance(doc, list) else [doc]
    per_file = {}
    version = None
    for rep in reports:
        if not isinstance(rep, dict):
            continue
        version = (rep.get("summary") or {}).get("checkov_version") or version
        results = rep.get("results") or {}
        for kind, verdict in (("failed_checks", "FAILED"), ("passed_checks", "PASSED")):
            for c in results.get(kind, []):
                f = os.path.realpath(c.get("file_abs_path") or c.get("file_path") or "")
                addr = normalise_address(c.get("resource_address") or c.get("resource"))
                per_file.setdefault(f, []).append([c["check_id"], addr, verdict])
        for e in results.get("parsing_errors", []) or []:
            per_file.setdefault(os.path.realpath(e), [])
    return per_file, version


def checkov_cmd(checkov, plans, check_ids):
    cmd = [checkov]
    for p in plans:
        cmd += ["-f", p]
    cmd += ["--framework", "terraform_plan", "-o", "json", "--compact", "--skip-download"]
    if check_ids:
        cmd += ["--check", ",".join(check_ids)]
    return cmd


def run_checkov_batch(checkov, plans, check_ids, timeout):
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE", LOG_LEVEL="ERROR")
    try:
        p = subprocess.run(checkov_cmd(checkov, plans, check_ids), capture_output=True,
                           text=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return None, None, "timeout after %ss" % timeout
    if not p.stdout.strip():
        return None, None, "no output (exit %d): %s" % (p.returncode, p.stderr.strip()[-300:])
    try:
        per_file, version = parse_checkov(p.stdout)
    except ValueError as e:
        return None, None, "bad JSON (exit %d): %s" % (p.returncode, e)
    return per_file, version, None


def checkov_results(args, plans, check_ids):
    """{plan: {"results": [[id, addr, verdict]], "error": str|None}} and the version."""
    results = {}
    version = None
    todo = []
    for plan in plans:
        cp = cache_path(args.out, plan)
        if args.reuse_checkov and os.path.isfile(cp):
            with open(cp) as f:
                cached = json.load(f)
            results[plan] = cached
            version = cached.get("version") or version
        else:
            todo.append(plan)

    def store(plan, res, err, ver):
        entry = {"plan": plan, "results": sorted(res or []), "error": err, "version": ver}
        results[plan] = entry
        cp = cache_path(args.out, plan)
        os.makedirs(os.path.dirname(cp), exist_ok=True)
        with open(cp, "w") as f:
            json.dump(entry, f)

    for i in range(0, len(todo), args.batch):
        batch = todo[i:i + args.batch]
        t0 = time.time()
        per_file, ver, err = run_checkov_batch(args.checkov, batch, check_ids, args.timeout)
        log("checkov batch %d-%d/%d: %.0fs%s" % (i + 1, i + len(batch), len(todo),
                                                time.time() - t0, " (" + err + ")" if err else ""))
        if err is None:
            version = ver or version
            for plan in batch:
                store(plan, per_file.get(plan, []), None, ver)
            continue
        for plan in batch:  # one by one
            per_file, ver, err = run_checkov_batch(args.checkov, [plan], check_ids,
                                                   args.single_timeout)
            if err:
                log("checkov %s: %s" % (plan, err))
            version = ver or version
            store(plan, (per_file or {}).get(plan, []), err, ver)
    return results, version


def compare(rules, pg, ck, plans, corpus):
    pairs = []
    for rule_id in sorted(rules):
        for cid in rules[rule_id]["checkov"]:
            pairs.append((rule_id, cid))
        if len(rules[rule_id]["checkov"]) > 1:
            # The rule against the union of its peers: Checkov FAILS with any of them.
            pairs.append((rule_id, "+".join(rules[rule_id]["checkov"])))
    stats = {}
    for rule_id, cid in pairs:
        stats[(rule_id, cid)] = {"rule": rule_id, "checkov": cid, "both": [],
                                 "checkov_only_unknown": [], "checkov_only_missed": [],
                                 "checkov_only_other_type": [],
                                 "planguard_only_passed": [], "planguard_only_not_evaluated": [],
                                 "unknown_checkov_passed": [], "unknown_checkov_not_evaluated": [],
                                 "checkov_evaluated": 0}
    for plan in plans:
        name = label(plan, corpus)
        findings = pg.get(plan) or {}
        ckres = (ck.get(plan) or {}).get("results") or []
        by_id = {}
        for cid, addr, verdict in ckres:
            d = by_id.setdefault(cid, {})
            if d.get(addr) != "FAILED":
                d[addr] = verdict
        for rule_id, cid in pairs:
            s = stats[(rule_id, cid)]
            types = set(rules[rule_id]["resource_types"])
            pg_r = {a: st for (r, a), st in findings.items() if r == rule_id}
            ck_r = {}
            for one in cid.split("+"):
                for a, v in by_id.get(one, {}).items():
                    if ck_r.get(a) != "FAILED":
                        ck_r[a] = v
            # A Checkov address without [index] matched to planguard's single instance.
            pg_addrs = set(pg_r)
            for a in list(ck_r):
                if a in pg_addrs:
                    continue
                inst = [x for x in pg_addrs if strip_index(x) == a and x != a]
                if len(inst) == 1:
                    ck_r[inst[0]] = ck_r.pop(a)
            s["checkov_evaluated"] += len(ck_r)
            for a in sorted(set(pg_r) | set(ck_r)):
                ref = "%s :: %s" % (name, a)
                p, c = pg_r.get(a), ck_r.get(a)
                if p == "fail" and c == "FAILED":
                    s["both"].append(ref)
                elif c == "FAILED" and resource_type(a) not in types:
                    s["checkov_only_other_type"].append(ref)
                elif c == "FAILED":
                    (s["checkov_only_unknown"] if p == "unknown" else s["checkov_only_missed"]).append(ref)
                elif p == "fail":
                    (s["planguard_only_passed"] if c == "PASSED" else s["planguard_only_not_evaluated"]).append(ref)
                elif p == "unknown":
                    (s["unknown_checkov_passed"] if c == "PASSED" else s["unknown_checkov_not_evaluated"]).append(ref)
    return [stats[k] for k in pairs]


def markdown(rows, meta):
    out = []
    out.append("Checkov %s, %d plans (%d with a Checkov error, %d with a planguard error), "
               "%d (rule, Checkov id) pairs." % (meta["checkov_version"], meta["plans"],
                                                 len(meta["checkov_errors"]),
                                                 len(meta["planguard_errors"]), len(rows)))
    out.append("")
    out.append("| planguard | Checkov | both | Checkov only (planguard `unknown`) | Checkov only (no finding) "
               "| Checkov only (type outside the rule) | planguard only (Checkov PASSED) | planguard only (Checkov silent) "
               "| planguard `unknown`, Checkov PASSED |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        out.append("| %s | %s | %d | %d | %d | %d | %d | %d | %d |" % (
            r["rule"], r["checkov"].replace("+", " + "), len(r["both"]), len(r["checkov_only_unknown"]),
            len(r["checkov_only_missed"]), len(r["checkov_only_other_type"]), len(r["planguard_only_passed"]),
            len(r["planguard_only_not_evaluated"]), len(r["unknown_checkov_passed"])))
    out.append("")
    out.append("## Differences")
    out.append("")
    for r in rows:
        for key in ("checkov_only_missed", "checkov_only_unknown", "checkov_only_other_type", "planguard_only_passed",
                    "planguard_only_not_evaluated", "unknown_checkov_passed"):
            for ref in r[key]:
                out.append("- %s / %s — %s: `%s`" % (r["rule"], r["checkov"], key, ref))
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(ROOT), "shared", "corpus"))
    ap.add_argument("--planguard", default=os.path.join(ROOT, "target", "release", "planguard"))
    ap.add_argument("--checkov", default=os.path.join(ROOT, "target", "peers", "checkov-venv", "bin", "checkov"))
    ap.add_argument("--out", default=os.path.join(ROOT, "target", "peers", "compare"))
    ap.add_argument("--reuse-checkov", action="store_true", help="read Checkov's cached results")
    ap.add_argument("--batch", type=int, default=25, help="plans per Checkov process")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per Checkov batch")
    ap.add_argument("--single-timeout", type=int, default=180, help="seconds per single-plan Checkov run")
    ap.add_argument("--pg-timeout", type=int, default=120, help="seconds per planguard run")
    ap.add_argument("plans", nargs="*", help="plans (default: the corpus and fixtures)")
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)

    plans = [os.path.realpath(p) for p in args.plans] or discover_plans(args.corpus)
    rules = load_rules(args.planguard)
    check_ids = sorted({c for r in rules.values() for c in r["checkov"]})
    log("%d plans, %d rules with Checkov peers, %d Checkov ids" % (len(plans), len(rules), len(check_ids)))

    pg, pg_errors = {}, {}
    for plan in plans:
        findings, err = run_planguard(args.planguard, plan, args.pg_timeout)
        if err:
            pg_errors[label(plan, args.corpus)] = err
        pg[plan] = findings or {}

    ck, version = checkov_results(args, plans, check_ids)
    ck_errors = {label(p, args.corpus): v["error"] for p, v in ck.items() if v.get("error")}
    rows = compare(rules, pg, ck, plans, args.corpus)
    meta = {
        "checkov_version": version,
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "plans": len(plans),
        "plan_names": [label(p, args.corpus) for p in plans],
        "planguard_errors": pg_errors,
        "checkov_errors": ck_errors,
        "checkov_ids": check_ids,
        "rules": len(rules),
    }
    totals = {k: sum(len(r[k]) for r in rows) for k in (
        "both", "checkov_only_unknown", "checkov_only_missed", "checkov_only_other_type", "planguard_only_passed",
        "planguard_only_not_evaluated", "unknown_checkov_passed", "unknown_checkov_not_evaluated")}
    meta["totals"] = totals
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump({"meta": meta, "pairs": rows}, f, indent=1, sort_keys=True)
    with open(os.path.join(args.out, "comparison.md"), "w") as f:
        f.write(markdown(rows, meta))
    log("totals: %s" % json.dumps(totals))
    log("wrote %s and %s" % (os.path.join(args.out, "summary.json"), os.path.join(args.out, "comparison.md")))


if __name__ == "__main__":
    main()
