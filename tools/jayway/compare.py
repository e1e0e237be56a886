#!/usr/bin/env python3
"""Measures how often `provsim jsonpath` agrees with Jayway JsonPath on recorded queries.

Usage: compare.py QUERIES.json [PROVSIM] [--show]

QUERIES.json is a list of {"id", "selector", "document", "jayway": {"status": "ok", "result": ...}
| {"status": "not_found" | "error" | "not_supported"}, "unordered": bool}. The public
json-path-comparison project (github.com/cburgmer/json-path-comparison) records Jayway's answers
to 258 queries; convert its queries/ and Java_com.jayway.jsonpath results into this shape (the
data is GPL-3.0 and is therefore not shipped with provsim). PROVSIM defaults to
.build/release/provsim, else .build/debug/provsim.
"""
import json, os, subprocess, sys, tempfile

def numbers_as_floats(value):
    # The recorded answers are normalised (10.0 is written 10, -0.0 is 0): compare values, not spellings.
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value) + 0.0
    if isinstance(value, list):
        return [numbers_as_floats(v) for v in value]
    return {k: numbers_as_floats(v) for k, v in value.items()}

def canonical(value):
    return json.dumps(numbers_as_floats(value), sort_keys=True, separators=(",", ":"))

def same(expected, actual, unordered):
    if unordered and isinstance(expected, list) and isinstance(actual, list):
        return sorted(map(canonical, expected)) == sorted(map(canonical, actual))
    return canonical(expected) == canonical(actual)

def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show = "--show" in sys.argv
    if not args:
        sys.exit(__doc__)
    binary = args[1] if len(args) > 1 else next(
        (p for p in (".build/release/provsim", ".build/debug/provsim") if os.path.exists(p)), "provsim")
    queries = json.load(open(args[0]))
    agree, differ = 0, []
    with tempfile.TemporaryDirectory() as scratch:
        for q in queries:
            path = os.path.join(scratch, "doc.json")
            with open(path, "w") as f:
                json.dump(q["document"], f)
            run = subprocess.run([binary, "jsonpath", "--compact", "--", q["selector"], path],
                                 capture_output=True, text=True, timeout=60)
            status = q["jayway"]["status"]
            if status == "ok":
                ok = run.returncode == 0 and same(q["jayway"]["result"], json.loads(run.stdout), q.get("unordered", False))
            elif status == "not_found":
                ok = run.returncode == 1
            else:
                ok = run.returncode == 2
            if ok:
                agree += 1
            else:
                mine = run.stdout.strip() if run.returncode == 0 else f"exit {run.returncode}: {run.stderr.strip()[:120]}"
                differ.append((q["id"], q["selector"], q["jayway"], mine))
    total = len(queries)
    print(f"{agree}/{total} queries agree with Jayway ({100.0 * agree / max(total, 1):.1f} %)")
    if show:
        for id, selector, jayway, mine in differ:
            print(f"- {id}: {selector!r}\n    jayway:  {json.dumps(jayway)[:200]}\n    provsim: {mine[:200]}")
    return 0

if __name__ == "__main__":
    sys.exit(main())
