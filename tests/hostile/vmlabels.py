#!/usr/bin/env python3
"""Hostile input, surface "vmlabels": SELinux labels and MCS categories
written in domain definitions, read by the one grammar of src/domain/
(issue 13) in the checks and in "kvmaudit profile selinux".  One row a case:

  scan rows    a --root tree with the domains in /etc/libvirt/qemu; the
               row names a check and, per domain, the status it must get
               (and a text its evidence must hold).
  profile rows "profile selinux|apparmor --xml" of a domain on a tree
               with the other domains: a refusal (exit 2, the reason on
               stderr, nothing written) or a policy (exit 0).

Every row is one bad (or tricky) input and the safe outcome: a label the
kernel would refuse is never taken for a valid MCS pair, two labels equal
by value are caught as equal.  (The --mcs option and another VM's TPM
state and swtpm log were refused before, by the same category rule and by
the deny table: the unit tests test-vmsec-label and test-vmsec-files cover
them.)

Usage: vmlabels.py KVMAUDIT SRC_ROOT WORK_DIR"""
import json
import os
import shutil
import subprocess
import sys

KVMAUDIT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
U = "aaaaaaaa-0000-4000-8000-0000000000%02d"


def dom(name, n, label=None, devices="", relabel="no"):
    sl = ""
    if label is not None:
        sl = (f"<seclabel type='static' model='selinux' relabel='{relabel}'>"
              f"<label>{label}</label></seclabel>")
    return (f"<domain type='kvm'><name>{name}</name><uuid>{U % n}</uuid><memory>65536</memory>"
            f"<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>{devices}</devices>{sl}"
            f"</domain>\n")


def ctx(level):
    return f"system_u:system_r:svirt_t:{level}"


# (name, check, {domain name: xml}, {domain name: (status, evidence text or "")})
SCAN = [
    # c01 is no category name of any policy: the kernel refuses the label,
    # so it is not the pair c1 (the old checks read it as c1 and passed)
    ("leading-zero-category", "svirt.static-mcs-unique",
     {"a": dom("a", 1, ctx("s0:c01,c2")), "b": dom("b", 2, ctx("s0:c3,c4"))},
     {"a": ("fail", "leading zeros"), "b": ("pass", "")}),
    ("trailing-comma", "svirt.static-mcs-unique",
     {"a": dom("a", 1, ctx("s0:c1,c2,")), "b": dom("b", 2, ctx("s0:c3,c4"))},
     {"a": ("fail", "trailing comma"), "b": ("pass", "")}),
    ("category-1024", "svirt.static-mcs-unique",
     {"a": dom("a", 1, ctx("s0:c1,c1024"))},
     {"a": ("fail", "outside c0..c1023")}),
    ("huge-category", "svirt.static-mcs-unique",
     {"a": dom("a", 1, ctx("s0:c1,c99999999999999999999999999"))},
     {"a": ("fail", "outside c0..c1023")}),
    ("empty-range-item", "svirt.static-mcs-unique",
     {"a": dom("a", 1, ctx("s0:c3.c3"))},
     {"a": ("fail", "N < M")}),
    ("range-low-not-dominated", "svirt.static-mcs-unique",
     {"a": dom("a", 1, ctx("s0:c1,c2-s0"))},
     {"a": ("fail", "does not dominate")}),
    # the same pair written in another order is the same label
    ("same-pair-reordered", "svirt.domain-label-unique",
     {"a": dom("a", 1, ctx("s0:c1,c2")), "b": dom("b", 2, ctx("s0:c2,c1"))},
     {"a": ("fail", "static-key-shared-with = b"), "b": ("fail", "static-key-shared-with = a")}),
    ("same-pair-as-range", "svirt.domain-label-unique",
     {"a": dom("a", 1, ctx("s0:c1,c2")), "b": dom("b", 2, ctx("s0:c1.c2"))},
     {"a": ("fail", "static-key-shared-with = b"), "b": ("fail", "static-key-shared-with = a")}),
    ("leading-zero-not-a-pair", "svirt.domain-label-unique",
     {"a": dom("a", 1, ctx("s0:c01,c2")), "b": dom("b", 2, ctx("s0:c1,c2"))},
     {"a": ("fail", "static-key (absent)"), "b": ("pass", "")}),
    ("pair-out-of-range", "svirt.domain-label-unique",
     {"a": dom("a", 1, ctx("s0:c5,c1024"))},
     {"a": ("fail", "static-key (absent)")}),
]

# (name, kind, xml of the VM, {other domain: xml}, extra args, ("refuse", text) | ("ok", text in output))
PROFILE = [
    # another VM's static label with a trailing comma is not a label the
    # kernel takes: it is not read as c1,c2 (the old generator did)
    ("other-label-trailing-comma", "selinux", dom("tenant", 10),
     {"victim": dom("victim", 11, ctx("s0:c1,c2,"))}, ["--mcs", "c1,c2"], ("ok", "")),
]


def tree(root, domains):
    q = os.path.join(root, "etc/libvirt/qemu")
    os.makedirs(q, exist_ok=True)
    for name, xml in domains.items():
        with open(os.path.join(q, name + ".xml"), "w") as f:
            f.write(xml)


def run_scan(name, check, domains, want):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    root = os.path.join(d, "root")
    tree(root, domains)
    p = subprocess.run([KVMAUDIT, "scan", "--root", root, "--only", check, "--format", "json"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode < 0 or p.returncode > 3:
        return [f"crashed: exit {p.returncode}: {p.stderr[-300:]}"]
    try:
        report = json.loads(p.stdout)
    except ValueError:
        return [f"no JSON report (exit {p.returncode}): {p.stderr[-300:]}"]
    got = {}
    for r in report.get("results", []):
        if r.get("id") == check:
            got[r.get("subject")] = (r.get("status"), r.get("observed") or "")
    errs = []
    for dn, (status, text) in want.items():
        g = got.get(f"domain:{dn}")
        if not g:
            errs.append(f"no result for domain:{dn} (got {sorted(got)})")
            continue
        if g[0] != status:
            errs.append(f"domain:{dn}: status {g[0]}, want {status}: {g[1][:200]}")
        if text and text not in g[1]:
            errs.append(f"domain:{dn}: evidence lacks {text!r}: {g[1][:200]}")
    return errs


def run_profile(name, kind, xml, others, args, expect):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    root = os.path.join(d, "root")
    tree(root, others)
    os.makedirs(os.path.join(root, "var/lib/libvirt/images"), exist_ok=True)
    xf = os.path.join(d, "domain.xml")
    with open(xf, "w") as f:
        f.write(xml)
    out = os.path.join(d, "out")
    cmd = [KVMAUDIT, "profile", kind, "--xml", xf, "--root", root] + args
    if kind == "selinux":
        cmd += ["--output-dir", out]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode < 0 or p.returncode > 3:
        return [f"crashed: exit {p.returncode}: {p.stderr[-300:]}"]
    errs = []
    if expect[0] == "refuse":
        if p.returncode != 2:
            errs.append(f"expected a refusal (exit 2), got exit {p.returncode}: {p.stderr.strip()[:200]}")
        if p.stdout.strip() or os.path.exists(out):
            errs.append("a refusal wrote a policy")
        if expect[1] not in p.stderr:
            errs.append(f"stderr lacks {expect[1]!r}: {p.stderr.strip()[:300]!r}")
    elif p.returncode != 0:
        errs.append(f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    return errs


def main():
    os.makedirs(WORK, exist_ok=True)
    n = failed = 0
    for name, check, domains, want in SCAN:
        n += 1
        errs = run_scan(name, check, domains, want)
        if errs:
            failed += 1
            print(f"FAIL scan {name}: " + "; ".join(errs))
        else:
            print(f"ok   scan {name}")
    for name, kind, xml, others, args, expect in PROFILE:
        n += 1
        errs = run_profile(name, kind, xml, others, args, expect)
        if errs:
            failed += 1
            print(f"FAIL profile {name}: " + "; ".join(errs))
        else:
            print(f"ok   profile {name}")
    print(f"hostile vmlabels: {n} cases, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
