"""Evaluates Rego packages with rego-cpp (regopy) for planguard's policy parity test.

Usage: regopy_eval.py INPUT.json PACKAGES(comma-separated) FILE...
FILE is a .rego module or a .json data document. Prints one JSON object: each package's
document (``data.<package>``), or null when it is undefined.
"""

import json
import sys

import regopy


def main() -> int:
    input_path, packages, files = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
    rego = regopy.Interpreter()
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if path.endswith(".rego"):
            rego.add_module(path, text)
        else:
            rego.add_data_json(text)
    with open(input_path, encoding="utf-8") as f:
        rego.set_input_term(f.read())
    out = {}
    for package in packages:
        result = rego.query(f"x = data.{package}")
        if not result.ok():
            print(f"rego-cpp error on data.{package}: {result}", file=sys.stderr)
            return 2
        parsed = json.loads(str(result))
        out[package] = parsed.get("bindings", {}).get("x")
    print(json.dumps(out, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
