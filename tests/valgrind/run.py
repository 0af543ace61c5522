#!/usr/bin/env python3
"""valgrind memcheck over the verbs (issue 16): a live scan (with
--inspect-seccomp when a QEMU of this test runs), a --root scan of a
fixture tree, collect, report, diff and both profile generators, each under

  valgrind --leak-check=full --errors-for-leak-kinds=definite
           --error-exitcode=99 --suppressions=tests/valgrind/kvmaudit.supp

Zero errors and zero definitely lost blocks, or the test fails with
valgrind's report.  Every entry of kvmaudit.supp says why it is there.
Valgrind 3.19 (Debian 12) does not implement seccomp(2) or openat2(2): it
returns ENOSYS, so under valgrind kvmaudit runs without its own filter
(it warns) and host.c takes its openat() path; the code checked is the
same otherwise.  Exit 77 without valgrind or root.

Usage: run.py KVMAUDIT SOURCE_ROOT WORKDIR"""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "live"))
import transient_guest  # noqa: E402


def main():
    kvmaudit, src, work = sys.argv[1:4]
    valgrind = shutil.which("valgrind")
    if not valgrind or os.geteuid() != 0:
        print("SKIP: needs valgrind and root (fixture trees, the live host)")
        return 77
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    supp = os.path.join(src, "tests", "valgrind", "kvmaudit.supp")
    root = os.path.join(work, "root")
    r = subprocess.run([sys.executable, os.path.join(src, "tests", "mkfixture.py"),
                        os.path.join(src, "tests", "fixtures", "hosts", "libvirt-insecure"), root],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: mkfixture: %s" % r.stderr)
        return 1
    xml = os.path.join(src, "tests", "fixtures", "domains", "virt-install", "linux1.xml")
    w = lambda n: os.path.join(work, n)
    runs = [
        ("live scan", ["scan", "-f", "json", "-o", w("live.json")], (0, 1)),
        ("root scan", ["scan", "--root", root, "-f", "json", "-o", w("root.json")], (0, 1)),
        ("collect", ["collect", "-o", w("facts.json")], (0,)),
        ("scan --facts", ["scan", "--facts", w("facts.json"), "-f", "sarif", "-o", w("facts.sarif")], (0, 1)),
        ("report html", ["report", w("root.json"), "-f", "html", "-o", w("root.html")], (0,)),
        ("report markdown", ["report", w("live.json"), "-f", "markdown", "-o", w("live.md")], (0,)),
        ("diff", ["diff", w("root.json"), w("live.json"), "-f", "json", "-o", w("diff.json")], (0, 1)),
        ("profile apparmor", ["profile", "apparmor", "--xml", xml, "-o", w("aa.profile")], (0,)),
        ("profile selinux", ["profile", "selinux", "--xml", xml, "--output-dir", w("selinux")], (0,)),
    ]
    qemu = shutil.which("qemu-system-x86_64")
    q = None
    if qemu:
        q = subprocess.Popen([qemu, "-accel", "tcg", "-nodefaults", "-display", "none", "-S",
                              "-name", "guest=kvmaudit-test-vg-%d" % os.getpid(), "-sandbox", "on"],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1)
        runs.insert(1, ("live scan --inspect-seccomp",
                        ["scan", "--inspect-seccomp", "-f", "json", "-o", w("inspect.json")], (0, 1)))
    os.makedirs(w("selinux"))
    # a libvirt guest: the live scan then reads its domain over the API
    guest = transient_guest.start("vg")
    print("libvirt guest: %s" % (guest or "none (no virsh or qemu:///system)"))
    if guest:
        runs.append(("profile apparmor --domain", ["profile", "apparmor", "--domain", guest, "-o", w("aa2.profile")],
                     (0,)))
    failed = 0
    try:
        for label, args, codes in runs:
            r = subprocess.run([valgrind, "--leak-check=full", "--errors-for-leak-kinds=definite",
                                "--error-exitcode=99", "--vgdb=no", "--suppressions=" + supp,
                                "--log-file=" + w(label.replace(" ", "_") + ".vg"), kvmaudit] + args,
                               capture_output=True, text=True, timeout=900)
            with open(w(label.replace(" ", "_") + ".vg")) as f:
                vlog = f.read()
            summary = [x.split("==", 2)[-1].strip() for x in vlog.splitlines()
                       if "ERROR SUMMARY" in x or "definitely lost" in x]
            if r.returncode == 99 or r.returncode not in codes:
                print("FAIL %s: exit %d\n%s\n%s" % (label, r.returncode, r.stderr[-1500:], vlog[-6000:]))
                failed += 1
            else:
                print("ok %s: %s" % (label, "; ".join(summary) or "clean"))
    finally:
        if q:
            q.kill()
            q.wait()
        transient_guest.stop(guest)
    print("valgrind: %d runs, %d failed" % (len(runs), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
