#!/usr/bin/env python3
"""collect saves exactly the declared facts (issue 13, contract item 6).

For every fixture host (tests/fixtures/hosts/ and hosts-mac/, built with
mkfixture.py): "kvmaudit collect --root ROOT", then "scan --facts FILE" must
give the results of "scan --root ROOT" (every check id, subject, status and
evidence; locations are not compared), and every key of the file must be
explained by the catalogue:
  - it matches a declaration of a check ("fact =", or a fact written in
    "expect"/"applies"; "@" standing for any object, "*" as fnmatch), or a
    fact the engine reads to find the objects of a scope;
  - or it is what the engine and the report read themselves (report
    metadata, where a fact came from: meta:);
  - or it is a source a derived namespace reads (DERIVED_SOURCES below:
    the libvirt daemons' files and units for daemonconf, the /proc facts of
    a QEMU process for its derived fields).
A catalogue declaring a pattern no probe can list (a site check with
"sysctl:*") makes collect fail with exit 2, naming the file, line and
pattern.  Prints one line per fixture with the number of keys and bytes.

Usage: collect-declared.py KVMAUDIT SOURCE_ROOT WORK_DIR
Exit: 0 all good, 1 a failure."""
import fnmatch
import glob
import json
import os
import re
import shutil
import subprocess
import sys

# What the engine and the report read besides the checks (scan.c,
# src/scan/scan-collect.c).
ENGINE = ["sysctl:kernel.hostname", "sysctl:kernel.osrelease", "os:id", "os:id_like", "mount:fstypes", "meta:*",
          "seccomp:*/stop_us", "seccomp:*/held_us"]
# What the engine reads to find the objects of a scope (check-objects.c).
OBJECTS = ["libvirt:domains", "libvirt:source", "domain:*", "domainstate:*", "qemu:pids", "process:*/name",
           "process:*/uuid", "*.conf:audit_level", "stat:/usr/sbin/*"]
# The sources of derived namespaces (probe-daemonconf.c, probe-process.c,
# probe-vm.c), which collect saves instead of the derived facts.
DERIVED_SOURCES = ["libvirtd.conf:*", "virtqemud.conf:*", "virtproxyd.conf:*", "unit:*",
                   "stat:/usr/share/polkit-1/actions/*", "process:*", "domain:*", "libvirt:domains"]

KEY = re.compile(r"\b[a-z][a-z0-9._-]*:[^\s,]+")


def declarations(src):
    pats = set()
    for path in glob.glob(os.path.join(src, "checks", "*.check")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^(fact|expect|applies) *= *(.*)$", line)
                if not m:
                    continue
                words = m.group(2).split() if m.group(1) == "fact" else KEY.findall(m.group(2))
                for w in words:
                    if ":" in w:
                        pats.add(w.replace("@", "*"))
    return sorted(pats)


def results(report):
    with open(report) as f:
        rep = json.load(f)
    return sorted((r["id"], r["subject"], r["status"], r.get("observed") or "") for r in rep["results"])


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 1
    k, src, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    allowed = declarations(src) + ENGINE + OBJECTS + DERIVED_SOURCES
    failed = 0
    scenarios = sorted(glob.glob(os.path.join(src, "tests/fixtures/hosts/*/")) +
                       glob.glob(os.path.join(src, "tests/fixtures/hosts-mac/*/")))
    for scen in scenarios:
        name = os.path.basename(scen.rstrip("/"))
        root = os.path.join(work, name)
        problems = []
        r = subprocess.run([sys.executable, os.path.join(src, "tests/mkfixture.py"), scen, root],
                           capture_output=True, text=True)
        if r.returncode != 0:
            print("not ok - %s: mkfixture: %s" % (name, r.stderr.strip()))
            failed += 1
            continue
        facts = os.path.join(work, name + ".facts.json")
        live = os.path.join(work, name + ".live.json")
        offline = os.path.join(work, name + ".offline.json")
        r = subprocess.run([k, "collect", "--root", root, "-o", facts], capture_output=True, text=True)
        if r.returncode != 0:
            print("not ok - %s: collect exited %d: %s" % (name, r.returncode, r.stderr.strip()[:300]))
            failed += 1
            continue
        for args, out in ((["--root", root], live), (["--facts", facts], offline)):
            with open(out, "w") as f:
                subprocess.run([k, "scan"] + args + ["--reproducible", "--format", "json"], stdout=f,
                               stderr=subprocess.DEVNULL)
        a, b = results(live), results(offline)
        if a != b:
            only_a, only_b = [x for x in a if x not in b], [x for x in b if x not in a]
            problems.append("scan --facts differs from scan --root: %d results only in the scan of the root "
                            "(first: %s), %d only in scan --facts (first: %s)"
                            % (len(only_a), only_a[:1], len(only_b), only_b[:1]))
        with open(facts) as f:
            keys = json.load(f)["facts"]
        stray = [key for key in keys if not any(fnmatch.fnmatchcase(key, p) for p in allowed)]
        if stray:
            problems.append("%d keys nobody declared: %s" % (len(stray), ", ".join(sorted(stray)[:5])))
        if problems:
            failed += 1
            print("not ok - %s: %s" % (name, "; ".join(problems)))
        else:
            print("ok - %s: %d results as the scan of the root; %d keys, %d bytes"
                  % (name, len(a), len(keys), os.path.getsize(facts)))
        shutil.rmtree(root, ignore_errors=True)

    # A pattern no probe can list is refused, naming where it is declared.
    site = os.path.join(work, "site")
    os.makedirs(site)
    with open(os.path.join(site, "sysctl.check"), "w") as f:
        f.write("[kernel.site-every-sysctl]\ntitle = Every sysctl\ncategory = kernel\nseverity = low\n"
                "scope = host\nfact = sysctl:*\nexpect = sysctl:kernel.kptr_restrict eq 2\n"
                "rationale = A test.\nremediation = None.\n")
    root = os.path.join(src, "tests/fixtures/hosts/insecure-intel/tree")
    r = subprocess.run([k, "collect", "--root", root, "--checks", site], capture_output=True, text=True)
    want = 'sysctl.check:1: check kernel.site-every-sysctl declares "sysctl:*"'
    if r.returncode != 2 or want not in r.stderr or r.stdout:
        failed += 1
        print("not ok - an unlistable pattern: exit %d, stderr %r (want exit 2 naming %r, no output)"
              % (r.returncode, r.stderr.strip()[:300], want))
    else:
        print("ok - an unlistable pattern is refused: %s" % r.stderr.strip())
    print("collect-declared: %d fixtures, %d failed" % (len(scenarios) + 1, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
