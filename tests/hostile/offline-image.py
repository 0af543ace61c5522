#!/usr/bin/env python3
"""Hostile input: offline images (scan --root) whose runtime trees are the
empty mount points every image has, or hold empty files, and kernel
configurations without a single CONFIG_ symbol.  Runtime state an image does
not have must read as "not available" (skip), never as evidence: an empty
/proc/cmdline is not "no mitigations=off", and a config with no symbols is
an error, not a kernel with every option unset.

Each case builds a tree in a temporary directory from the offline-image
fixture's /boot and /etc, scans it (--format json) and compares with the same
tree without /proc, /sys and /run: a tree whose runtime directories are
empty may add no PASS.  A tree whose /proc or /sys holds anything is a
copied host and read as one; there a blank runtime file must still not
count.  Named
checks must also end in the expected status with the expected reason.

Usage: offline-image.py KVMAUDIT SOURCE_ROOT
Prints "hostile offline-image: N cases, N failed"; exits 1 on any failure."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile

CONFIG = "boot/config-6.1.0-13-amd64"
NA = "runtime state not available"
EMPTY = "empty in an offline root"

# checks that passed on an image with empty /proc, /sys and /run (issue 11, item 6)
RUNTIME_CHECKS = [
    "cpu.smt-off-when-vulnerable", "kernel.cmdline-iommu-not-disabled", "kernel.cmdline-mitigations-not-off",
    "kernel.cmdline-no-mitigation-overrides", "kernel.hardened-usercopy", "kernel.init-on-alloc",
    "kernel.iommu-default-translated", "kernel.kaslr", "kernel.kexec-load-disabled", "kernel.ksm-off",
    "kernel.unprivileged-bpf-disabled", "kernel.unprivileged-userfaultfd-off", "kvm.force-emulation-prefix-off",
    "kvm.vfio-noiommu-off", "kvm.vfio-safe-interrupts",
]


def empty_mounts(t):
    for d in ("proc", "sys", "run"):
        os.makedirs(os.path.join(t, d), exist_ok=True)


def files(entries):
    """A tree change writing {path: bytes}."""
    def apply(t):
        empty_mounts(t)
        for path, data in entries.items():
            p = os.path.join(t, path)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(data)
    return apply


def symlinked_proc(t):
    os.makedirs(os.path.join(t, "mnt/empty"))
    os.symlink("/mnt/empty", os.path.join(t, "proc"))
    os.makedirs(os.path.join(t, "sys"))


def kconfig(data):
    def apply(t):
        with open(os.path.join(t, CONFIG), "wb") as f:
            f.write(data)
    return apply


def gz_config(t):
    empty_mounts(t)
    with open(os.path.join(t, "proc/config.gz"), "wb") as f:
        f.write(gzip.compress(b"# nothing\n"))
    with open(os.path.join(t, "proc/cpuinfo"), "wb") as f:
        f.write(b"processor\t: 0\nvendor_id\t: GenuineIntel\n")


# (name, tree change, {check: (status, reason substring)}, compare with the baseline)
CASES = [
    ("empty /proc /sys /run", empty_mounts, {c: ("skip", NA) for c in RUNTIME_CHECKS}, True),
    ("/proc a symlink to an empty directory", symlinked_proc,
     {"kernel.cmdline-mitigations-not-off": ("skip", NA), "kernel.kexec-load-disabled": ("skip", NA)}, True),
    # a /proc that holds anything is a copied host tree, read as one (a
    # file's existence and a directory's name are facts there), but a blank
    # runtime file in it is still no evidence
    ("0-byte /proc/cmdline", files({"proc/cmdline": b""}),
     {"kernel.cmdline-mitigations-not-off": ("skip", EMPTY), "kernel.cmdline-iommu-not-disabled": ("skip", EMPTY),
      "kernel.hardened-usercopy": ("skip", EMPTY)}, False),
    ("0-byte sysctl and sysfs values", files({"proc/sys/kernel/kexec_load_disabled": b"",
                                              "sys/kernel/mm/ksm/run": b"",
                                              "sys/module/kvm/parameters/force_emulation_prefix": b""}),
     {"kernel.kexec-load-disabled": ("skip", EMPTY), "kernel.ksm-off": ("skip", EMPTY),
      "kvm.force-emulation-prefix-off": ("skip", EMPTY)}, False),
    ("blank /proc/cmdline", files({"proc/cmdline": b" \n"}),
     {"kernel.cmdline-mitigations-not-off": ("skip", EMPTY), "kernel.init-on-alloc": ("skip", EMPTY)}, False),
    ("/proc without cmdline", files({"proc/cpuinfo": b"processor\t: 0\nvendor_id\t: GenuineIntel\n"}),
     {"kernel.cmdline-mitigations-not-off": ("skip", NA), "kernel.cmdline-iommu-not-disabled": ("skip", NA)},
     False),
    ("blank /proc/cpuinfo", files({"proc/cpuinfo": b"\n", "proc/cmdline": b"ro quiet\n"}),
     {"cpu.smt-off-when-vulnerable": ("skip", None)}, False),
    ("blank sysctl in a copied /proc", files({"proc/cmdline": b"ro quiet\n",
                                              "proc/sys/kernel/kexec_load_disabled": b"\n",
                                              "proc/sys/kernel/unprivileged_bpf_disabled": b" \n"}),
     {"kernel.kexec-load-disabled": ("skip", EMPTY), "kernel.unprivileged-bpf-disabled": ("skip", EMPTY)}, False),
    ("blank sysfs values in a copied /sys", files({"sys/kernel/mm/ksm/run": b"\n",
                                                   "sys/module/kvm/parameters/force_emulation_prefix": b"\n",
                                                   "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts":
                                                   b" \n"}),
     {"kernel.ksm-off": ("skip", EMPTY), "kvm.force-emulation-prefix-off": ("skip", EMPTY),
      "kvm.vfio-safe-interrupts": ("skip", EMPTY)}, False),
    ("blank cpu vulnerability retbleed",
     files({"proc/cpuinfo": b"processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n"
                            b"stepping\t: 7\nflags\t\t: fpu\n",
            "sys/devices/system/cpu/vulnerabilities/retbleed": b"\n"}),
     {"cpu.retbleed-mitigated": ("skip", EMPTY)}, False),
    # kernel configurations without a symbol
    ("0-byte kernel config", kconfig(b""),
     {"kernel.cpu-mitigations-built": ("error", "no CONFIG_ symbols in /" + CONFIG),
      "kernel.devmem-restricted": ("error", "no CONFIG_ symbols in /" + CONFIG)}, False),
    ("comments-only kernel config", kconfig(b"#\n# Automatically generated file; DO NOT EDIT.\n# Linux 6.1\n#\n"),
     {"kernel.cpu-mitigations-built": ("error", "no CONFIG_ symbols"),
      "kernel.devmem-restricted": ("error", "no CONFIG_ symbols")}, False),
    ("blank-lines kernel config", kconfig(b"\n\n\n"),
     {"kernel.devmem-restricted": ("error", "no CONFIG_ symbols"), "kernel.kaslr": ("error", "no CONFIG_ symbols")},
     False),
    ("/proc/config.gz without symbols", gz_config,
     {"kernel.cpu-mitigations-built": ("error", "no CONFIG_ symbols in /proc/config.gz")}, False),
]


def base_tree(src, dst):
    fixture = os.path.join(src, "tests/fixtures/hosts/offline-image/tree")
    os.makedirs(dst)
    for d in ("etc", "boot"):
        shutil.copytree(os.path.join(fixture, d), os.path.join(dst, d), symlinks=True)


def scan(kvmaudit, root):
    p = subprocess.run([kvmaudit, "scan", "--root", root, "--format", "json", "--reproducible"],
                       capture_output=True, text=True, timeout=300)
    if p.returncode not in (0, 1):
        raise RuntimeError("exit %d: %s" % (p.returncode, p.stderr.strip()))
    return {(r["id"], r["subject"]): r for r in json.loads(p.stdout)["results"]}


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    kvmaudit, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    work = tempfile.mkdtemp(prefix="hostile-offline.")
    failed = total = 0
    try:
        base = os.path.join(work, "base")
        base_tree(src, base)
        baseline = scan(kvmaudit, base)
        for name, change, expect, compare in CASES:
            total += 1
            t = os.path.join(work, "case%d" % total)
            base_tree(src, t)
            change(t)
            problems = []
            try:
                res = scan(kvmaudit, t)
            except RuntimeError as e:
                res, problems = {}, [str(e)]
            if res and compare:
                for k, r in sorted(res.items()):
                    b = baseline.get(k)
                    if r["status"] == "pass" and (b is None or b["status"] != "pass"):
                        problems.append("%s [%s] passes (%s), baseline %s" % (k[0], k[1], r["observed"],
                                                                                b["status"] if b else "none"))
            for check, (status, reason) in expect.items():
                mine = [r for (i, _), r in res.items() if i == check]
                if not mine:
                    problems.append("%s: no result" % check)
                for r in mine:
                    if r["status"] != status or (reason and reason not in r["observed"]):
                        problems.append("%s [%s]: %s (%s), expected %s with %r" % (
                            check, r["subject"], r["status"], r["observed"], status, reason))
            if problems:
                failed += 1
                print("FAIL %s:\n  %s" % (name, "\n  ".join(problems[:12])))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("hostile offline-image: %d cases, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
