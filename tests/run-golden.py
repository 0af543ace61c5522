#!/usr/bin/env python3
"""Golden tests: builds each fixture host tree (tests/fixtures/hosts/*), scans
it with --reproducible in every golden format and compares byte for byte
with tests/golden/<scenario>.<ext>.  KVMAUDIT_TEST_REGENERATE=1 rewrites the
golden files instead (KVMAUDIT_TEST_FORMATS="json text" limits both to those
formats).  Every JSON report is also validated against
report/schema/report.schema.json, and every JUnit report must be
well-formed XML (xmllint --noout).

Usage: run-golden.py KVMAUDIT SOURCE_ROOT WORK_DIR [SCENARIO...]"""
import difflib
import json
import os
import shutil
import subprocess
import sys

FORMATS = [("json", "json"), ("text", "txt"), ("junit", "junit.xml"), ("markdown", "md")]


def main():
    kvmaudit, src, work = sys.argv[1:4]
    only = sys.argv[4:]
    hosts = os.path.join(src, "tests", "fixtures", "hosts")
    golden = os.path.join(src, "tests", "golden")
    regen = os.environ.get("KVMAUDIT_TEST_REGENERATE") == "1"
    if os.geteuid() != 0:
        print("SKIP: fixture trees hold device nodes and owners: run as root")
        return 77
    xmllint = shutil.which("xmllint")
    if not xmllint:
        print("FAIL: xmllint not found (Debian package libxml2-utils): needed to check JUnit reports")
        return 1
    os.makedirs(work, exist_ok=True)
    failed = []
    scenarios = sorted(d for d in os.listdir(hosts) if os.path.isdir(os.path.join(hosts, d)))
    for name in scenarios:
        if only and name not in only:
            continue
        root = os.path.join(work, name)
        r = subprocess.run([sys.executable, os.path.join(src, "tests", "mkfixture.py"),
                            os.path.join(hosts, name), root], capture_output=True, text=True)
        if r.returncode != 0:
            print("FAIL %s: mkfixture: %s" % (name, r.stderr.strip()))
            failed.append(name)
            continue
        only_formats = os.environ.get("KVMAUDIT_TEST_FORMATS", "").split()
        for fmt, ext in FORMATS:
            if only_formats and fmt not in only_formats:
                continue
            cmd = [kvmaudit, "scan", "--root", root, "--reproducible", "--format", fmt]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if r.returncode not in (0, 1):
                print("FAIL %s/%s: exit %d: %s" % (name, fmt, r.returncode, r.stderr.strip()))
                failed.append(name)
                continue
            if fmt == "json":
                v = subprocess.run([sys.executable, os.path.join(src, "tests", "validate-json.py"),
                                    os.path.join(src, "report", "schema", "report.schema.json"), "-"],
                                   input=r.stdout, capture_output=True, text=True)
                if v.returncode != 0:
                    print("FAIL %s: report does not validate: %s%s" % (name, v.stdout, v.stderr))
                    failed.append(name)
            if fmt == "junit":
                v = subprocess.run([xmllint, "--noout", "-"], input=r.stdout, capture_output=True, text=True)
                if v.returncode != 0:
                    print("FAIL %s: JUnit report is not well-formed XML: %s%s" % (name, v.stdout, v.stderr))
                    failed.append(name)
            path = os.path.join(golden, "%s.%s" % (name, ext))
            if regen:
                os.makedirs(golden, exist_ok=True)
                with open(path, "w") as f:
                    f.write(r.stdout)
                print("wrote %s" % path)
                continue
            try:
                with open(path) as f:
                    want = f.read()
            except FileNotFoundError:
                print("FAIL %s: no golden file %s (KVMAUDIT_TEST_REGENERATE=1 writes it)" % (name, path))
                failed.append(name)
                continue
            if want != r.stdout:
                diff = difflib.unified_diff(want.splitlines(True), r.stdout.splitlines(True),
                                            path, "scan output", n=2)
                print("FAIL %s/%s differs from %s:" % (name, fmt, path))
                sys.stdout.writelines(list(diff)[:80])
                failed.append(name)
            else:
                print("ok %s/%s" % (name, fmt))
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
