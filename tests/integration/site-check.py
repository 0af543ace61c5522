#!/usr/bin/env python3
"""The per-VM site check of docs/check-format.md ("A site check per VM,
without C"), extracted from the document as written, run with --checks on a
copy of the libvirt-insecure fixture that also holds the definitions of
tests/fixtures/domains: one result per domain, verdicts from the vm: facts,
and one host skip when no domain is defined.

Usage: site-check.py KVMAUDIT SOURCE_ROOT"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

K, SRC = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="kvmaudit-site-check-")
failed = []


def check(cond, what):
    print("%s - %s" % ("ok" if cond else "not ok", what))
    if not cond:
        failed.append(what)


doc = open(os.path.join(SRC, "docs", "check-format.md")).read()
m = re.search(r"#### A site check per VM, without C\n.*?```\n(.*?)```", doc, re.S)
check(m is not None, "the example is in docs/check-format.md")
if m:
    checks = os.path.join(work, "checks")
    os.makedirs(checks)
    with open(os.path.join(checks, "site.check"), "w") as f:
        f.write(m.group(1))
    root = os.path.join(work, "root")
    subprocess.run([sys.executable, os.path.join(SRC, "tests", "mkfixture.py"),
                    os.path.join(SRC, "tests", "fixtures", "hosts", "libvirt-insecure"), root], check=True)
    qdir = os.path.join(root, "etc", "libvirt", "qemu")
    for f in ("floppy.xml", "full.xml", "disk-network.xml"):
        shutil.copy(os.path.join(SRC, "tests", "fixtures", "domains", f), qdir)

    def scan():
        r = subprocess.run([K, "scan", "--root", root, "--checks", checks, "--only", "domain.site-disks-not-ide",
                            "--reproducible", "--format", "json"], capture_output=True, text=True)
        check(r.returncode == 0, "scan --checks exits 0 (%d: %s)" % (r.returncode, r.stderr.strip()[:200]))
        try:
            return {x["subject"]: x for x in json.loads(r.stdout)["results"]}
        except ValueError:
            return {}

    res = scan()
    want = {"domain:legacy": "fail", "domain:full": "fail", "domain:netdisks": "pass",
            "domain:lab1": "fail", "domain:lab2": "pass", "domain:lab3": "pass"}
    for subject, status in want.items():
        got = res.get(subject, {}).get("status")
        check(got == status, "%s: %s (got %s: %s)" % (subject, status, got, res.get(subject, {}).get("observed")))
    check(len(res) == len(want), "one result per domain (%d)" % len(res))
    check("vm:legacy/disk.buses offending (none-in): fdc, ide" in res.get("domain:legacy", {}).get("observed", ""),
          "the evidence names the offending buses, as the document says")
    # no definition left, and no running domain's live XML either
    for d in (qdir, os.path.join(root, "run", "libvirt", "qemu")):
        for f in os.listdir(d) if os.path.isdir(d) else []:
            if f.endswith(".xml"):
                os.unlink(os.path.join(d, f))
    res = scan()
    check(list(res) == ["host"] and res["host"]["status"] == "skip", "no domain: one skip on host")
shutil.rmtree(work, ignore_errors=True)
print("site-check: %d failed" % len(failed))
sys.exit(1 if failed else 0)
