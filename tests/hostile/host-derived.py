#!/usr/bin/env python3
"""Hostile input: the sources of the derived host facts (host:FIELD and
devnum:PATH, src/probes/probe-derived-host.c) in a facts file ("kvmaudit
scan --facts FILE"), and forged derived keys.  A derived key in a file is
refused with exit 2 naming it (a file could otherwise hand a check its
verdict); a source of the wrong shape (an address or revision that is not a
number, a definition that does not parse, an unreadable /proc/cpuinfo) makes
the check that reads it an error naming the value, never a pass, a crash or
a verdict drawn from a guess.

The base file is "kvmaudit collect" of the insecure-intel fixture tree (read
in place); each case edits its JSON.

Usage: host-derived.py KVMAUDIT SOURCE_ROOT
Prints "hostile host-derived: N cases, N failed"; exits 1 on any failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def err(message, errno):
    return {"error": message, "errno": errno}


def setk(pairs):
    """Sets facts from (key, value) pairs (value None removes the key; ABSENT
    records it as absent, JSON null, as collect writes a declared fact the
    host lacks)."""
    def run(d):
        for k, v in pairs:
            if v is None:
                d["facts"].pop(k, None)
            elif v is ABSENT:
                d["facts"][k] = None
            else:
                d["facts"][k] = v
        return d
    return run


ABSENT = object()
KASLR_ON = [("kconfig:CONFIG_RANDOMIZE_BASE", "y"), ("cmdline:nokaslr", ABSENT)]
MANY = ["vm%04d" % i for i in range(2000)]

# (name, edit, expected exit, stderr must contain (all), {check: (status, evidence substring)})
CASES = [
    ("unchanged file", setk([]), 0, [],
     {"kernel.kvm-built": ("pass", "host:kvm-vendor-modules = CONFIG_KVM_INTEL"),
      "kernel.ksm-off": ("fail", "host:ksm-mergeable-domains = lab1")}),
    # a derived key is never taken from a file
    ("forged empty KSM domain list", setk([("host:ksm-mergeable-domains", [])]), 2,
     ['fact "host:ksm-mergeable-domains" is derived from other facts'], {}),
    ("forged kernel offset", setk([("host:kernel-offset", "0x19200000")]), 2,
     ['fact "host:kernel-offset" is derived from other facts'], {}),
    ("forged vendor modules", setk([("host:kvm-vendor-modules", ["CONFIG_KVM_INTEL"])]), 2,
     ['fact "host:kvm-vendor-modules" is derived'], {}),
    ("forged device number", setk([("devnum:/dev/kvm", "10:232")]), 2,
     ['fact "devnum:/dev/kvm" is derived'], {}),
    # unreadable or malformed sources
    ("cpuinfo unreadable: which KVM option is needed is unknown",
     setk([("cpu:vendor", err("/proc/cpuinfo: Permission denied", 13))]), 0, [],
     {"kernel.kvm-built": ("error", "/proc/cpuinfo: Permission denied")}),
    ("kernel at its link address", setk(KASLR_ON + [("kernel:text", "ffffffff81000000")]), 0, [],
     {"kernel.kaslr": ("fail", "host:kernel-offset = 0x0 (offending: fails ne 0x0);")}),
    ("_text not hex", setk(KASLR_ON + [("kernel:text", "ffffffffzz200000")]), 0, [],
     {"kernel.kaslr": ("error", "kernel:text = ffffffffzz200000 is not an address")}),
    ("physical start overflows 64 bits",
     setk(KASLR_ON + [("kconfig:CONFIG_PHYSICAL_START", "0x1000000000000000000000")]), 0, [],
     {"kernel.kaslr": ("error", "CONFIG_PHYSICAL_START = 0x1000000000000000000000 is not a number")}),
    ("microcode revision not a number",
     setk([("cpu:microcode", "latest"), ("ucode:available", "0x2006906")]), 0, [],
     {"cpu.microcode-current": ("error", "unparsable microcode revision: cpu:microcode = latest")}),
    ("microcode on disk not a number",
     setk([("cpu:microcode", "0x2006906"), ("ucode:available", "0x")]), 0, [],
     {"cpu.microcode-current": ("error", "unparsable microcode revision: ucode:available = 0x")}),
    ("KSM running, definition does not parse", setk([("domain:lab1", "<domain")]), 0, [],
     {"kernel.ksm-off": ("error", "not judged: lab1")}),
    ("KSM running, 2000 domains without definitions", setk([("libvirt:domains", MANY)]), 0, [],
     {"kernel.ksm-off": ("error", "not judged: vm0000")}),
    ("/dev/kvm with another device number",
     setk([("stat:/dev/kvm", {"stat": {"type": "chr", "mode": "0660", "uid": 0, "gid": 36, "rdev": "10:200"}})]),
     0, [], {"hw.kvm-device-usable": ("fail", "devnum:/dev/kvm = 10:200")}),
    ("/dev/kvm a block device 10:232",
     setk([("stat:/dev/kvm", {"stat": {"type": "blk", "mode": "0660", "uid": 0, "gid": 36, "rdev": "10:232"}})]),
     0, [], {"hw.kvm-device-usable": ("fail", "stat:/dev/kvm = blk 10:232")}),
]


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    kvmaudit, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tree = os.path.join(src, "tests/fixtures/hosts/insecure-intel/tree")
    work = tempfile.mkdtemp(prefix="hostile-host-derived.")
    failed = total = 0
    try:
        p = subprocess.run([kvmaudit, "collect", "--root", tree], capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            print("FAIL collect: exit %d: %s" % (p.returncode, p.stderr.strip()))
            return 1
        for name, change, want_rc, needles, verdicts in CASES:
            total += 1
            problems = []
            path = os.path.join(work, "facts.json")
            with open(path, "w") as f:
                json.dump(change(json.loads(p.stdout)), f)
            r = subprocess.run([kvmaudit, "scan", "--facts", path, "--format", "json", "--reproducible"],
                               capture_output=True, text=True, timeout=600)
            if r.returncode != want_rc:
                problems.append("exit %d, expected %d (%s)" % (r.returncode, want_rc, r.stderr.strip()[:300]))
            for n in needles:
                if n not in r.stderr:
                    problems.append("stderr lacks %r: %s" % (n, r.stderr.strip()[:300]))
            if want_rc == 2 and r.stdout:
                problems.append("a rejected file still printed a report")
            if verdicts and r.returncode in (0, 1):
                res = {x["id"]: x for x in json.loads(r.stdout)["results"]}
                for check, (status, needle) in verdicts.items():
                    x = res.get(check)
                    if not x or x["status"] != status or needle not in x["observed"]:
                        problems.append("%s is %s (%s), expected %s with %r" % (
                            check, x and x["status"], x and x["observed"][:200], status, needle))
            if problems:
                failed += 1
                print("FAIL %s: %s" % (name, "; ".join(problems)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("hostile host-derived: %d cases, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
