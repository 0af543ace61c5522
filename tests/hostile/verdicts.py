#!/usr/bin/env python3
"""Hostile input: hosts and command lines that made kvmaudit confidently
wrong or let a gate pass on evidence it never collected (issue 14).

Each row builds a host tree (a fixture from tests/fixtures/hosts, changed by
a function) or uses the live host, runs one kvmaudit command, and states the
safe behaviour: the exit code, what stderr must say, and the status and
reason of named results.  A row marked "live" needs root on a live host and
is skipped (counted, not failed) elsewhere and under KVMAUDIT_SANITIZED.

Usage: verdicts.py KVMAUDIT SOURCE_ROOT
Prints "hostile verdicts: N cases, N failed"; exits 1 on any failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

K, SRC = sys.argv[1], sys.argv[2]
HOSTS = os.path.join(SRC, "tests", "fixtures", "hosts")
WORK = tempfile.mkdtemp(prefix="kvmaudit-hostile-verdicts-")
NOT_INSTALLED = "libvirt is not installed in this root"


def fixture(name, change=None):
    """A host tree: fixture NAME built by mkfixture, then change(tree)."""
    def build(dest):
        r = subprocess.run([sys.executable, os.path.join(SRC, "tests", "mkfixture.py"),
                            os.path.join(HOSTS, name), dest], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("mkfixture %s: %s" % (name, r.stderr.strip()))
        if change:
            change(dest)
    return build


def empty(dest):
    os.makedirs(dest, exist_ok=True)


def write(path, text, mode=0o644):
    def change(t):
        p = os.path.join(t, path.lstrip("/"))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        os.chmod(p, mode)
    return change


def both(*changes):
    def change(t):
        for c in changes:
            c(t)
    return change


def remove(path):
    def change(t):
        p = os.path.join(t, path.lstrip("/"))
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        elif os.path.lexists(p):
            os.unlink(p)
    return change


def kconfig(**opts):
    """Sets CONFIG_ options in the tree's /proc/config.gz."""
    def change(t):
        import gzip
        p = os.path.join(t, "proc/config.gz")
        with gzip.open(p, "rt") as f:
            lines = [l for l in f.read().splitlines() if not any(
                l.startswith("CONFIG_%s=" % k) or l == "# CONFIG_%s is not set" % k for k in opts)]
        lines += ["CONFIG_%s=%s" % (k, v) for k, v in opts.items()]
        with gzip.open(p, "wt") as f:
            f.write("\n".join(lines) + "\n")
    return change


MOUNTINFO_NO_SECURITYFS = ("22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw\n"
                           "23 22 0:21 / /proc rw,nosuid - proc proc rw\n"
                           "24 22 0:22 / /sys rw,nosuid - sysfs sysfs rw\n")
SPECTRE_V2_NO_IBPB = ("Mitigation: Retpolines; STIBP: disabled; RSB filling; PBRSB-eIBRS: Not affected; "
                      "BHI: Retpoline\n")
SPECTRE_V2_IBPB = ("Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; RSB filling; "
                   "PBRSB-eIBRS: SW sequence; BHI: BHI_DIS_S\n")
NO_MAC_LSM = "lockdown,capability,landlock,yama\n"


def qemu_listeners(extra_args, tcp, tcp6=None, fds=None):
    """Gives QEMU process 3001 of a mac-apparmor tree the arguments
    EXTRA_ARGS, socket descriptors FDS ({fd: inode}) and the TCP tables
    TCP and TCP6 (rows: (address hex, state hex, inode))."""
    head = ("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
            "inode\n")

    def table(rows):
        return head + "".join("%4d: %s 00000000:0000 %s 00000000:00000000 00:00000000 00000000     0        0 "
                              "%d 1 0000000000000000 100 0 0 10 0\n" % (i, a, st, ino)
                              for i, (a, st, ino) in enumerate(rows))

    def change(t):
        d = os.path.join(t, "proc/3001")
        with open(os.path.join(d, "cmdline"), "rb") as f:
            args = f.read().rstrip(b"\0").split(b"\0")
        with open(os.path.join(d, "cmdline"), "wb") as f:
            f.write(b"\0".join(args + [a.encode() for a in extra_args]) + b"\0")
        # the fixture's own descriptors and tables make way for the row's
        for sub in ("fd", "net"):
            shutil.rmtree(os.path.join(d, sub), ignore_errors=True)
        os.makedirs(os.path.join(d, "fd"))
        os.symlink("/dev/null", os.path.join(d, "fd", "0"))
        for fd, ino in (fds or {}).items():
            os.symlink("socket:[%d]" % ino, os.path.join(d, "fd", str(fd)))
        os.makedirs(os.path.join(d, "net"))
        with open(os.path.join(d, "net", "tcp"), "w") as f:
            f.write(table(tcp))
        if tcp6 is not None:
            with open(os.path.join(d, "net", "tcp6"), "w") as f:
                f.write(table(tcp6))
    return change


def older_facts(*namespaces, keys=()):
    """Collects the tree into {work}/older.json, then removes every key of
    NAMESPACES, as a kvmaudit without those probes would have written it,
    and the KEYS named (a cut file)."""
    def change(t):
        out = os.path.join(WORK, "older.json")
        r = subprocess.run([K, "collect", "--root", t, "--output", out], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("collect: %s" % r.stderr.strip())
        with open(out) as f:
            d = json.load(f)
        d["facts"] = {k: v for k, v in d["facts"].items() if k.split(":", 1)[0] not in namespaces and k not in keys}
        d["complete"] = [n for n in d.get("complete", []) if n not in namespaces]
        # nor a record of their probes failing as a whole
        if "failed" in d:
            d["failed"] = {n: e for n, e in d["failed"].items() if n not in namespaces}
        with open(out, "w") as f:
            json.dump(d, f)
    return change


def canaries(t):
    """qemu.conf passwords, a graphics passwd and a secret object on the
    QEMU command line, each a canary no output may contain."""
    q = os.path.join(t, "etc/libvirt/qemu.conf")
    with open(q, "a") as f:
        f.write('vnc_password = "CANARY-VNC-1"\nspice_password = "CANARY-SPICE-2"\n')
    x = os.path.join(t, "etc/libvirt/qemu/lab1.xml")
    with open(x) as f:
        xml = f.read()
    xml = xml.replace("<graphics type='spice' autoport='yes'>",
                      "<graphics type='spice' autoport='yes' passwd='CANARY-GFX-3'>")
    xml = xml.replace("<qemu:commandline>", "<qemu:commandline>\n    <qemu:arg value='-object'/>\n"
                      "    <qemu:arg value='secret,id=s0,data=CANARY-SEC-4'/>")
    with open(x, "w") as f:
        f.write(xml)


FORMATS = ["text", "json", "junit", "markdown", "sarif", "prometheus", "html"]


# (name, tree builder or None for the live host, argv after "kvmaudit",
#  expected exit code, [stderr must contain ...], [stderr must not contain],
#  {check id: (status, reason substring or None)}, flags); a flag
#  ("stdout", N, S) says command N's standard output must contain S,
#  ("nostdout", N, S) that it must not
CASES = [
    # --- gates that passed on evidence never collected ---
    ("empty root fails the documented CI gate", empty,
     ["scan", "--root", "{root}", "--profile", "ci-image", "--fail-on", "high", "--fail-under", "80",
      "--format", "json"], 1,
     ["gate failed: no check was judged"], [],
     {"qemu.user-not-root": ("skip", NOT_INSTALLED), "svirt.default-confined": ("skip", NOT_INSTALLED),
      "seccomp.qemu-conf-sandbox-on": ("skip", NOT_INSTALLED),
      "domain.graphics-authenticated": ("skip", NOT_INSTALLED)}, set()),
    ("empty root: no qemu.conf default passes", empty,
     ["scan", "--root", "{root}", "--only", "qemu", "--only", "svirt", "--format", "json"], 0,
     [], [], {"qemu.vnc-listen-local": ("skip", NOT_INSTALLED)}, {"no-pass"}),
    ("coverage in every format", fixture("hardened-intel"),
     [["scan", "--root", "{root}", "--only", "kernel", "--only", "domain", "--format", f]
      for f in ["junit", "sarif", "prometheus", "html", "json"]], 0, [], [], {},
     {("stdout", 0, '<property name="coverage" value="52.7"/>'),
      ("stdout", 0, '<property name="category_checks_judged" value="0 of 26"/>'),
      ("stdout", 1, '"coverage": {\n          "checks": 55,\n          "judged": 29,\n          "percent": 52.7'),
      ("stdout", 2, "kvmaudit_coverage_percent 52.7\n"),
      ("stdout", 2, 'kvmaudit_category_coverage_percent{category="domain"} 0.0\n'),
      ("stdout", 3, "Coverage <b>52.7%</b>: 29 of 55 checks judged"),
      ("stdout", 3, "judged 0 of 26")}),
    ("zero selected checks is a usage error", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--skip", "kernel", "--only", "kernel.kaslr", "--fail-under", "90"], 2,
     ["the selection leaves no check to run: --only kernel.kaslr --skip kernel"], [], {}, set()),
    ("a failed --fail-on names the findings", fixture("insecure-intel"),
     ["scan", "--root", "{root}", "--fail-on", "critical", "--quiet"], 1,
     ["gate failed: --fail-on critical: findings of that severity or higher: cpu.l1tf-mitigated [host]"],
     [], {}, set()),
    ("a failed --fail-under says the score and threshold", fixture("insecure-intel"),
     ["scan", "--root", "{root}", "--fail-under", "99", "--quiet"], 1,
     ["gate failed: score ", "is under --fail-under 99.0; results that lost points: "], [], {}, set()),
    ("--min-coverage above what was judged fails", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--min-coverage", "90", "--quiet"], 1,
     ["gate failed: coverage ", "is under the minimum 90.0%", "by category: "], [], {}, set()),
    ("a passing gate prints nothing", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--fail-on", "critical", "--quiet"], 0, [], ["gate failed"], {}, set()),
    ("profile min-coverage applies", fixture("offline-image"),
     ["scan", "--root", "{root}", "--profile", "ci-image", "--fail-on", "critical", "--min-coverage", "95",
      "--quiet"], 1, ["is under the minimum 95.0%"], [], {}, set()),
    ("diff of different selections warns and compares common checks", fixture("insecure-intel"),
     [["scan", "--root", "{root}", "--format", "json", "-o", "{work}/full.json"],
      ["scan", "--root", "{root}", "--profile", "baseline", "--format", "json", "-o", "{work}/base.json"],
      ["diff", "{work}/full.json", "{work}/base.json", "--format", "json"]], 0,
     ["warning: the reports were made with different selections (OLD: every check; NEW: --profile baseline)"],
     [], {}, {"diff-clean"}),
    ("diff of one selection compares as before", fixture("insecure-intel"),
     [["scan", "--root", "{root}", "--format", "json", "-o", "{work}/a.json"],
      ["scan", "--root", "{root}", "--format", "json", "-o", "{work}/b.json"],
      ["diff", "{work}/a.json", "{work}/b.json"]], 0, [], ["warning"], {}, set()),
    # --- secrets: redacted at the probe, in every format and in facts ---
    ("no secret in any format or in collected facts", fixture("libvirt-insecure", canaries),
     [["scan", "--root", "{root}", "--format", f] for f in FORMATS] +
     [["collect", "--root", "{root}"], ["scan", "--root", "{root}", "--format", "json"]], 0, [], ["CANARY"],
     {}, {"no-canary"}),
    ("no secret from the libvirt API in facts or reports", None,
     [["collect"], ["scan", "--format", "json"], ["scan", "--format", "html"]], 0, [], ["CANARY"], {},
     {"live", "no-canary", "define-canary"}),
    # --- remediations that work on the host's distribution (item 9) ---
    ("Debian root: no grubby, update-grub", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--only", "kernel.kaslr", "--format", "json"], 0, [], [], {},
     {("stdout", 0, "/etc/default/grub, run `update-grub`"), ("nostdout", 0, "grubby")}),
    ("Ubuntu derivative by ID_LIKE: no grubby", fixture("hardened-intel", write(
        "/etc/os-release", 'ID=pop\nID_LIKE="ubuntu debian"\nVERSION_ID="22.04"\n')),
     ["scan", "--root", "{root}", "--only", "kernel", "--only", "cpu", "--only", "hw", "--only", "lsm",
      "--format", "json"], 0, [], [], {},
     {("stdout", 0, "run `update-grub`"), ("nostdout", 0, "grubby"), ("nostdout", 0, "grub2-mkconfig")}),
    ("Fedora root: grubby", fixture("hardened-intel", write("/etc/os-release", "ID=fedora\nVERSION_ID=41\n")),
     ["scan", "--root", "{root}", "--only", "kernel.kaslr", "--format", "json"], 0, [], [], {},
     {("stdout", 0, "grubby --update-kernel=ALL --remove-args=nokaslr"), ("nostdout", 0, "update-grub")}),
    ("os-release in /usr/lib only is read", fixture("hardened-intel", both(
        remove("/etc/os-release"), write("/usr/lib/os-release", "ID='rocky'\nID_LIKE=\"rhel centos fedora\"\n"))),
     ["scan", "--root", "{root}", "--only", "kernel.kaslr", "--format", "json"], 0, [], [], {},
     {("stdout", 0, "grubby --update-kernel=ALL --remove-args=nokaslr"), ("nostdout", 0, "update-grub")}),
    ("no os-release: the plain remediation names both", fixture("hardened-intel", remove("/etc/os-release")),
     ["scan", "--root", "{root}", "--only", "kernel.kaslr", "--format", "json"], 0, [], [], {},
     {("stdout", 0, "grubby --update-kernel=ALL"), ("stdout", 0, "`update-grub`")}),
    ("a facts file keeps the distribution", fixture("hardened-intel", write("/etc/os-release", "ID=fedora\n")),
     [["collect", "--root", "{root}", "--output", "{work}/f.json"],
      ["scan", "--facts", "{work}/f.json", "--only", "kernel.kaslr", "--format", "json"]], 0, [], [], {},
     {("stdout", 1, "grubby --update-kernel=ALL --remove-args=nokaslr"), ("nostdout", 1, "update-grub")}),
    ("Debian: microcode names non-free-firmware", fixture("debian-default-intel"),
     ["scan", "--root", "{root}", "--only", "cpu.gds-mitigated", "--format", "json"], 0, [], [],
     {"cpu.gds-mitigated": ("fail", None)},
     {("stdout", 0, "non-free-firmware component"), ("stdout", 0, "apt install intel-microcode")}),
    ("Debian: guest Secure Boot names the ovmf package", fixture("libvirt-secure"),
     ["scan", "--root", "{root}", "--only", "domain.uefi-secure-boot", "--format", "json"], 0, [], [], {},
     {("stdout", 0, "`apt install ovmf`")}),
    ("require_confined only after an LSM is active", fixture("libvirt-secure"),
     ["scan", "--root", "{root}", "--only", "domain.seclabel-confined", "--only", "svirt.require-confined",
      "--format", "json"], 0, [], [], {},
     {("stdout", 0, "only once an sVirt driver is active"), ("stdout", 0, "First make an sVirt driver active")}),
    # --- QEMU listeners reachable from the network ---
    ("VNC and a telnet serial on 0.0.0.0 are named", fixture("mac-apparmor", both(remove("/proc/3002"), qemu_listeners(
        ["-vnc", "0.0.0.0:0,password=on", "-chardev",
         "socket,id=charserial0,host=0.0.0.0,port=4555,telnet=on,server=on,wait=off"],
        [("00000000:170C", "0A", 1001), ("00000000:11CB", "0A", 1002), ("0100007F:170D", "0A", 1003),
         ("00000000:0016", "0A", 9999), ("0100007F:C350", "01", 1004)],
        [("00000000000000000000000000000000:170E", "0A", 1005)],
        {3: 1001, 4: 1002, 5: 1003, 6: 1004, 7: 1005}))),
     ["scan", "--root", "{root}", "--only", "qemu.listeners-loopback-only", "--format", "json"], 0, [], [],
     {"qemu.listeners-loopback-only": ("fail", "tcp 0.0.0.0:5900 (all IPv4 addresses): VNC display 0")},
     {("stdout", 0, "tcp 0.0.0.0:4555 (all IPv4 addresses): telnet serial console (chardev charserial0)"),
      ("stdout", 0, "tcp6 [::]:5902 (all addresses): VNC/SPICE port range"),
      ("stdout", 0, "tcp 127.0.0.1:5901: VNC/SPICE port range"), ("stdout", 0, '"subject": "process:vm1/'),
      ("nostdout", 0, ":22 "), ("nostdout", 0, "50000")}),
    ("loopback-only listeners pass", fixture("mac-apparmor", both(remove("/proc/3002"), qemu_listeners(
        ["-spice", "port=5930,addr=127.0.0.1"], [("0100007F:172A", "0A", 2001)],
        [("00000000000000000000000001000000:170C", "0A", 2002)], {3: 2001, 9: 2002}))),
     ["scan", "--root", "{root}", "--only", "qemu.listeners-loopback-only", "--format", "json"], 0, [], [],
     {"qemu.listeners-loopback-only": ("pass", "tcp 127.0.0.1:5930: SPICE (plain),tcp6 [::1]:5900: VNC display 0")}, set()),
    ("a listener of another process does not count", fixture("mac-apparmor", both(remove("/proc/3002"), qemu_listeners(
        [], [("00000000:170C", "0A", 3001)], None, {3: 3999}))),
     ["scan", "--root", "{root}", "--only", "qemu.listeners-loopback-only", "--format", "json"], 0, [], [],
     {"qemu.listeners-loopback-only": ("pass", "process:3001/listener-services = (empty)")}, set()),
    ("live: a QEMU with VNC and a telnet serial on 0.0.0.0", None,
     ["scan", "--only", "qemu.listeners-loopback-only", "--format", "json"], 0, [], [], {},
     {"live", "start-qemu",
      ("stdout", 0, "tcp 0.0.0.0:5977 (all IPv4 addresses): VNC display 77"),
      ("stdout", 0, "tcp 0.0.0.0:45555 (all IPv4 addresses): telnet serial console (chardev charserial0)"),
      ("stdout", 0, '"subject": "process:kvmaudit-hostile-listen/11111111-2222-4333-8444-555555555555"')}),
    ("a malformed TCP table is an error naming file and line", fixture("mac-apparmor", both(remove("/proc/3002"), qemu_listeners(
        [], [("ZZZZ:170C", "0A", 4001)], None, {3: 4001}))),
     ["scan", "--root", "{root}", "--only", "qemu.listeners-loopback-only", "--format", "json"], 0, [], [],
     {"qemu.listeners-loopback-only": ("error", "/proc/3001/net/tcp:2: malformed address")}, set()),
    # --- securityfs not mounted; facts files from an older kvmaudit (item 3) ---
    ("SELinux judged through selinuxfs when securityfs is not mounted", fixture("mac-selinux-good",
        remove("/sys/kernel/security")),
     ["scan", "--root", "{root}", "--only", "lsm.selinux-enforcing", "--only", "lsm.selinux-virt-types-enforced",
      "--format", "json"], 0, [], [],
     {"lsm.selinux-enforcing": ("pass", "sysfs:fs/selinux = present"),
      "lsm.selinux-virt-types-enforced": ("pass", None)}, set()),
    ("selinux skips name the unmounted securityfs", fixture("hardened-intel", both(
        remove("/sys/kernel/security"), write("/proc/self/mountinfo", MOUNTINFO_NO_SECURITYFS))),
     ["scan", "--root", "{root}", "--only", "lsm", "--format", "json"], 0, [], [],
     {"lsm.selinux-enforcing": ("skip", "lsm:active (absent: securityfs not mounted)"),
      "lsm.selinux-virt-execmem-off": ("skip", "lsm:active (absent: securityfs not mounted)"),
      "lsm.selinux-virt-sharing-bools-off": ("skip", "sysfs:fs/selinux (absent: selinuxfs not mounted)"),
      "lsm.selinux-virt-types-enforced": ("skip", "securityfs not mounted"),
      "lsm.selinux-config-enforcing": ("skip", "securityfs not mounted")}, set()),
    ("a facts file older than the seccomp probe skips, not errors", fixture("mac-apparmor", older_facts("seccomp")),
     ["scan", "--facts", "{work}/older.json", "--only", "seccomp", "--fail-on-error", "--format", "json"], 0,
     [], [],
     {"seccomp.filter-denies-spawn": ("skip", "not in this facts file: collected by an older kvmaudit"),
      "seccomp.filter-matches-sandbox-option": ("skip", "not in this facts file: collected by an older kvmaudit"),
      "seccomp.process-filter-active": ("pass", None)}, set()),
    ("a key cut from a namespace the facts file has is an error", fixture("mac-apparmor", older_facts(
        keys=("sysctl:kernel.kptr_restrict",))),
     ["scan", "--facts", "{work}/older.json", "--only", "kernel.kptr-restrict", "--format", "json"], 0, [], [],
     {"kernel.kptr-restrict": ("error", "sysctl:kernel.kptr_restrict: not in the facts file")}, set()),
    # --- wrong verdicts on a real host ---
    ("lockdown forced by the build, securityfs not mounted", fixture("hardened-intel", both(
        remove("/sys/kernel/security"), write("/proc/self/mountinfo", MOUNTINFO_NO_SECURITYFS),
        kconfig(LOCK_DOWN_KERNEL_FORCE_INTEGRITY="y"))),
     ["scan", "--root", "{root}", "--only", "kernel.lockdown-active", "--format", "json"], 0, [], [],
     {"kernel.lockdown-active": ("pass", "CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY = y")}, set()),
    ("lockdown unreadable without securityfs and no forcing build", fixture("hardened-intel", both(
        remove("/sys/kernel/security"), write("/proc/self/mountinfo", MOUNTINFO_NO_SECURITYFS),
        kconfig(LOCK_DOWN_KERNEL_FORCE_INTEGRITY="n"))),
     ["scan", "--root", "{root}", "--only", "kernel.lockdown-active", "--format", "json"], 0, [], [],
     {"kernel.lockdown-active": ("skip", "mount:fstypes = ext4,proc,sysfs")}, set()),
    ("lockdown file missing under a mounted securityfs fails", fixture("hardened-intel", both(
        remove("/sys/kernel/security/lockdown"),
        write("/proc/self/mountinfo", MOUNTINFO_NO_SECURITYFS +
              "25 24 0:6 / /sys/kernel/security rw - securityfs securityfs rw\n"),
        kconfig(LOCK_DOWN_KERNEL_FORCE_INTEGRITY="n"))),
     ["scan", "--root", "{root}", "--only", "kernel.lockdown-active", "--format", "json"], 0, [], [],
     {"kernel.lockdown-active": ("fail", "sysfs:kernel/security/lockdown (absent)")}, set()),
    ("lsm reason names securityfs, not a missing file as 'no LSM'", fixture("hardened-intel", both(
        remove("/sys/kernel/security"), write("/sys/module/apparmor/parameters/enabled", "Y\n"))),
     ["scan", "--root", "{root}", "--only", "lsm.mac-active", "--format", "json"], 0, [], [],
     {"lsm.mac-active": ("pass", "securityfs not mounted")}, set()),
    ("KASLR built but kernel at its link address", fixture("hardened-intel", write(
        "/proc/kallsyms", "ffffffff81000000 T _stext\nffffffff81000000 T _text\n")),
     ["scan", "--root", "{root}", "--only", "kernel.kaslr", "--format", "json"], 0, [], [],
     {"kernel.kaslr": ("fail", "host:kernel-offset = 0x0 (offending: fails ne 0x0);")}, set()),
    ("KASLR in effect", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--only", "kernel.kaslr", "--format", "json"], 0, [], [],
     {"kernel.kaslr": ("pass", "host:kernel-offset = 0x")}, set()),
    ("spectre_v2 without IBPB is not mitigated for guests", fixture("hardened-intel", write(
        "/sys/devices/system/cpu/vulnerabilities/spectre_v2", SPECTRE_V2_NO_IBPB)),
     ["scan", "--root", "{root}", "--only", "cpu.spectre-v2-mitigated", "--format", "json"], 0, [], [],
     {"cpu.spectre-v2-mitigated": ("fail", "Retpolines")}, set()),
    ("spectre_v2 with conditional IBPB passes", fixture("hardened-intel", write(
        "/sys/devices/system/cpu/vulnerabilities/spectre_v2", SPECTRE_V2_IBPB)),
     ["scan", "--root", "{root}", "--only", "cpu.spectre-v2-mitigated", "--format", "json"], 0, [], [],
     {"cpu.spectre-v2-mitigated": ("pass", None)}, set()),
    ("default-confined without any sVirt driver fails", fixture("hardened-intel", both(
        write("/sys/kernel/security/lsm", NO_MAC_LSM), remove("/sys/kernel/security/apparmor"))),
     ["scan", "--root", "{root}", "--only", "svirt.default-confined", "--format", "json"], 0, [], [],
     {"svirt.default-confined": ("fail", "qemu.conf:security_driver (absent) (offending: fails present); mac:active = (empty) (offending: fails nonempty)")}, set()),
    ("selinux config on an AppArmor host is not judged", fixture("hardened-intel", write(
        "/etc/selinux/config", "SELINUX=permissive\nSELINUXTYPE=default\n")),
     ["scan", "--root", "{root}", "--only", "lsm.selinux-config-enforcing", "--format", "json"], 0, [], [],
     {"lsm.selinux-config-enforcing": ("skip", "not applicable: lsm:active = ")}, set()),
    ("a skip reason states the observed vendor", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--only", "kvm.mitigate-smt-rsb", "--format", "json"], 0, [], [],
     {"kvm.mitigate-smt-rsb": ("skip", "cpu:vendor = GenuineIntel")}, set()),
    ("a skip reason states an absent setting as absent", fixture("hardened-intel"),
     ["scan", "--root", "{root}", "--only", "qemu.vnc-default-auth", "--format", "json"], 0, [], [],
     {"qemu.vnc-default-auth": ("skip", "qemu.conf:vnc_listen (absent)")}, set()),
    ("zero IOMMU groups and no DMAR/IVRS is judged, not skipped", fixture("hardened-intel", both(
        remove("/sys/kernel/iommu_groups"), write("/sys/kernel/iommu_groups/.keep", ""),
        remove("/sys/kernel/iommu_groups/.keep"), remove("/sys/firmware/acpi/tables/DMAR"))),
     ["scan", "--root", "{root}", "--only", "hw.iommu-enabled", "--format", "json"], 0, [], [],
     {"hw.iommu-enabled": ("fail", "iommu:groups = 0")}, set()),
    ("libvirt unreachable through --connect is an error", None,
     ["scan", "--connect", "test:///no/such/file.xml", "--only", "domain", "--fail-on-error", "--format", "json"],
     1, ["gate failed: --fail-on-error"], [],
     {"domain.graphics-authenticated": ("error", "--connect names it")}, {"live"}),
    ("non-root is warned and its errors say needs root", None,
     ["scan", "--only", "qemu", "--format", "json"], 0,
     ["warning: running as uid 65534, not root"], [],
     {"qemu.user-not-root": ("error", "needs root")}, {"live", "nobody"}),
]


# A throwaway domain, defined for one row and undefined after it (never
# started); libvirt accepts 8-character VNC passwords only.
CANARY_DOMAIN = """<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>kvmaudit-hostile-canary</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64'>hvm</type></os>
  <devices><graphics type='vnc' autoport='yes' listen='127.0.0.1' passwd='CANARY01'/></devices>
  <qemu:commandline>
    <qemu:arg value='-object'/><qemu:arg value='secret,id=s0,data=CANARY-API-2'/>
  </qemu:commandline>
</domain>
"""


# A QEMU that runs nothing (-machine none, stopped with -S) but opens a VNC
# display and a telnet serial on every address, for the live listener row.
QEMU_LISTEN = ["qemu-system-x86_64", "-name", "guest=kvmaudit-hostile-listen",
               "-uuid", "11111111-2222-4333-8444-555555555555", "-machine", "none", "-S", "-display", "none",
               "-vnc", "0.0.0.0:77", "-chardev",
               "socket,id=charserial0,host=0.0.0.0,port=45555,telnet=on,server=on,wait=off",
               "-serial", "chardev:charserial0", "-daemonize"]


def run(argv, nobody=False):
    pre = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if nobody else []
    return subprocess.run(pre + [K] + argv, capture_output=True, text=True, timeout=120)


def main():
    failed = 0
    # KVMAUDIT_SANITIZED (scripts/test-all's ASan run): any libvirt
    # connection crashes inside libtirpc under the sanitizer, so live rows skip.
    live = os.geteuid() == 0 and os.path.isdir("/proc/self") and not os.environ.get("KVMAUDIT_SANITIZED")
    for name, build, argv, code, must, mustnot, checks, flags in CASES:
        problems = []
        if "live" in flags and not live:
            print("skip - %s (needs root on a live host)" % name)
            continue
        root = os.path.join(WORK, "root")
        shutil.rmtree(root, ignore_errors=True)
        try:
            if build:
                build(root)
        except RuntimeError as e:
            if os.geteuid() != 0:
                print("skip - %s (fixture trees need root)" % name)
                continue
            problems.append(str(e))
        qemu_pid = None
        if "start-qemu" in flags:
            pidfile = os.path.join(WORK, "qemu.pid")
            try:
                q = subprocess.run(QEMU_LISTEN + ["-pidfile", pidfile], capture_output=True, text=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired) as e:
                q = subprocess.CompletedProcess([], 1, "", str(e))
            if q.returncode != 0:
                print("skip - %s (qemu: %s)" % (name, q.stderr.strip()))
                continue
            with open(pidfile) as f:
                qemu_pid = int(f.read().strip())
        if "define-canary" in flags:
            x = os.path.join(WORK, "canary.xml")
            with open(x, "w") as f:
                f.write(CANARY_DOMAIN)
            d = subprocess.run(["virsh", "define", x], capture_output=True, text=True)
            if d.returncode != 0:
                print("skip - %s (virsh define: %s)" % (name, d.stderr.strip()))
                continue
        if not problems:
            cmds = argv if isinstance(argv[0], list) else [argv]
            for n, cmd in enumerate(cmds):
                r = run([a.replace("{root}", root).replace("{work}", WORK) for a in cmd], "nobody" in flags)
                for f in flags:
                    if isinstance(f, tuple) and f[0] == "stdout" and f[1] == n and f[2] not in r.stdout:
                        problems.append("%s: stdout lacks %r" % (" ".join(cmd[:6]), f[2]))
                    if isinstance(f, tuple) and f[0] == "nostdout" and f[1] == n and f[2] in r.stdout:
                        problems.append("%s: stdout has %r" % (" ".join(cmd[:6]), f[2]))
                if "no-canary" in flags and "CANARY" in r.stdout:
                    problems.append("%s: a secret reached the output: %s" % (" ".join(cmd[:4]), ", ".join(
                        sorted({w for w in r.stdout.replace("'", " ").replace('"', " ").split() if "CANARY" in w}))))
                if cmd is not cmds[-1] and r.returncode not in (0, 1):
                    problems.append("%s: exit %d: %s" % (cmd[0], r.returncode, r.stderr.strip()))
            if "diff-clean" in flags:
                d = json.loads(r.stdout)
                if d["fixed"] or d["new_failures"] or not d["selection_differs"] or d["score_delta"] is not None:
                    problems.append("diff judged checks one selection left out: fixed %d, new %d, delta %s" %
                                    (len(d["fixed"]), len(d["new_failures"]), d["score_delta"]))
            if r.returncode != code:
                problems.append("exit %d, expected %d" % (r.returncode, code))
            for m in must:
                if m not in r.stderr:
                    problems.append("stderr lacks %r" % m)
            for m in mustnot:
                if m in r.stderr:
                    problems.append("stderr has %r" % m)
            results = []
            if checks or "no-pass" in flags:
                try:
                    results = json.loads(r.stdout)["results"]
                except (ValueError, KeyError) as e:
                    problems.append("no JSON report: %s" % e)
            for cid, (status, reason) in checks.items():
                got = [x for x in results if x["id"] == cid]
                if not got:
                    problems.append("%s: no result" % cid)
                for x in got:
                    if x["status"] != status:
                        problems.append("%s [%s]: %s, expected %s (%s)" % (cid, x["subject"], x["status"], status,
                                                                          x["observed"]))
                    elif reason and reason not in (x["observed"] or ""):
                        problems.append("%s: reason %r lacks %r" % (cid, x["observed"], reason))
            if "no-pass" in flags:
                for x in results:
                    if x["status"] == "pass":
                        problems.append("%s passes on nothing: %s" % (x["id"], x["observed"]))
            if problems:
                problems.append("stderr: " + r.stderr.strip()[:600])
        if "define-canary" in flags:
            subprocess.run(["virsh", "undefine", "kvmaudit-hostile-canary"], capture_output=True)
        if qemu_pid:
            os.kill(qemu_pid, 15)
        if problems:
            failed += 1
            print("not ok - %s" % name)
            for p in problems:
                print("#   " + p)
        else:
            print("ok - %s" % name)
    shutil.rmtree(WORK, ignore_errors=True)
    print("hostile verdicts: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
