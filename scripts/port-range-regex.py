#!/usr/bin/env python3
"""Print a regex matching a port field that covers one of the given ports (standard library only).

The field is a single port (`1433`) or a range (`1400-1500`), as in an Azure NSG rule's
`destination_port_range(s)`. Used to write the port patterns of YAML rules such as
AZURE-NET-007; the self-test checks the pattern against every port and 200,000 random ranges.

Usage:
    python3 scripts/port-range-regex.py 20 21 23 ...     # prints the pattern
    python3 scripts/port-range-regex.py --self-test 20 21 23 ...
"""
import random
import re
import sys

def range_re(lo, hi):
    """Regex (no anchors) matching decimal integers without leading zeros in [lo, hi]."""
    def split(lo, hi):
        # classic: produce list of (prefix patterns) covering [lo,hi]
        if lo > hi: return []
        slo, shi = str(lo), str(hi)
        if len(slo) < len(shi):
            out = split(lo, 10**len(slo) - 1)
            for n in range(len(slo) + 1, len(shi)):
                out += split(10**(n-1), 10**n - 1)
            out += split(10**(len(shi)-1), hi)
            return out
        # same length
        if lo == hi: return [slo]
        # common prefix
        i = 0
        while slo[i] == shi[i]: i += 1
        pre = slo[:i]; a, b = slo[i:], shi[i:]
        n = len(a)
        if a == "0"*n and b == "9"*n:
            return [pre + "[0-9]"*n] if n else [pre]
        if n == 1:
            return [pre + (f"[{a}-{b}]" if a != b else a)]
        out = []
        # lower part: a .. a[0]999
        if a[1:] == "0"*(n-1):
            start = int(a[0])
        else:
            out += [pre + a[0] + x for x in sub(a[1:], "9" * (n - 1))]
            start = int(a[0]) + 1
        if b[1:] == "9"*(n-1):
            end = int(b[0])
        else:
            end = int(b[0]) - 1
        if start <= end:
            d = f"[{start}-{end}]" if start != end else str(start)
            out.append(pre + d + "[0-9]"*(n-1))
        if b[1:] != "9"*(n-1):
            out += [pre + b[0] + x for x in sub("0"*(n-1), b[1:])]
        return out
    def sub(a, b):
        # same-length digit strings, leading zeros allowed
        n = len(a)
        if n == 0: return [""]
        if a == b: return [a]
        if a == "0"*n and b == "9"*n: return ["[0-9]"*n]
        if n == 1: return [f"[{a}-{b}]"]
        if a[0] == b[0]: return [a[0] + x for x in sub(a[1:], b[1:])]
        out = []
        if a[1:] == "0"*(n-1): start = int(a[0])
        else:
            out += [a[0] + x for x in sub(a[1:], "9"*(n-1))]; start = int(a[0]) + 1
        end = int(b[0]) if b[1:] == "9"*(n-1) else int(b[0]) - 1
        if start <= end:
            out.append((f"[{start}-{end}]" if start != end else str(start)) + "[0-9]"*(n-1))
        if b[1:] != "9"*(n-1):
            out += [b[0] + x for x in sub("0"*(n-1), b[1:])]
        return out
    parts = split(lo, hi)
    return "(?:" + "|".join(parts) + ")"

def covering_re(ports):
    ports = sorted(ports)
    alts = [str(p) for p in ports]
    prev = -1
    for p in ports:
        alts.append(f"{range_re(prev + 1, p)}-{range_re(p, 65535)}")
        prev = p
    return "^(?:" + "|".join(alts) + ")$"

def self_test(ports):
    for lo, hi in [(0, 20), (21, 65535), (1434, 1521), (0, 0), (5, 5), (100, 65535)]:
        r = re.compile("^" + range_re(lo, hi) + "$")
        for n in range(0, 66000):
            assert bool(r.match(str(n))) == (lo <= n <= hi), (lo, hi, n)
    pattern = re.compile(covering_re(ports))
    rng = random.Random(1)
    for _ in range(200000):
        a = rng.randint(0, 65535)
        b = min(65535, rng.randint(a, 65535) if rng.random() < 0.7 else a + rng.randint(0, 50))
        assert bool(pattern.match(f"{a}-{b}")) == any(a <= p <= b for p in ports), (a, b)
    for p in range(0, 66000):
        assert bool(pattern.match(str(p))) == (p in ports), p


if __name__ == "__main__":
    args = sys.argv[1:]
    test = "--self-test" in args
    ports = sorted(int(a) for a in args if a != "--self-test")
    if not ports:
        sys.exit(__doc__)
    if test:
        self_test(ports)
        print("ok")
    else:
        print(covering_re(ports))
