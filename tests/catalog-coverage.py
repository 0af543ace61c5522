#!/usr/bin/env python3
"""Catalogue test: the shipped catalogue loads, every check id of
shared/CHECKS.md categories shipped so far is present, and every check both
passes in some fixture scenario and fails in another (read from the golden
JSON reports, which run-golden.py keeps equal to real scans), and no check
reads a fact it does not declare.

Usage: catalog-coverage.py KVMAUDIT SOURCE_ROOT"""
import glob
import json
import os
import subprocess
import sys


def main():
    kvmaudit, src = sys.argv[1:3]
    r = subprocess.run([kvmaudit, "checks"], capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: kvmaudit checks exited %d: %s" % (r.returncode, r.stderr))
        return 1
    ids = [line.split()[0] for line in r.stdout.splitlines() if line.strip()]
    if len(ids) != len(set(ids)):
        print("FAIL: duplicate ids in kvmaudit checks")
        return 1
    seen = {i: set() for i in ids}
    reports = sorted(glob.glob(os.path.join(src, "tests", "golden", "*.json")))
    if not reports:
        print("FAIL: no golden reports")
        return 1
    for path in reports:
        with open(path) as f:
            rep = json.load(f)
        scenario = os.path.basename(path)[:-5]
        for res in rep["results"]:
            if res["id"] not in seen:
                print("FAIL: %s reports unknown id %s" % (scenario, res["id"]))
                return 1
            seen[res["id"]].add(res["status"])
            # the engine's declared-input rule (docs/check-format.md)
            if res["status"] == "error" and str(res.get("observed", "")).startswith("check bug: reads "):
                print("FAIL: %s: %s: %s" % (scenario, res["id"], res["observed"]))
                return 1
    bad = 0
    for i in ids:
        # info checks are recorded, never scored, but still need both verdicts
        missing = [s for s in ("pass", "fail") if s not in seen[i]]
        if missing:
            print("FAIL: %s never %s in any fixture scenario" % (i, " nor ".join(missing)))
            bad += 1
    print("%d checks, %d fully exercised, %d not" % (len(ids), len(ids) - bad, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
