#!/usr/bin/env python3
"""Rule coverage against libvirt's virt-aa-helper on the virt-install XMLs:
every rule virt-aa-helper grants (dry run, -d -r -u libvirt-UUID, which
prints the rules on stderr and writes nothing) must be granted by ours with
at least the same permissions, unless listed in LESS with the reason.  Also
prints one benchmark line: generation time per VM for both.

Usage: compare-virt-aa-helper.py KVMAUDIT SRC_ROOT WORK_DIR"""
import glob
import os
import re
import shutil
import subprocess
import sys
import time

KVMAUDIT, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
VAH = "/usr/lib/libvirt/virt-aa-helper"
RUNS = 20

# Where ours grants less or otherwise on purpose: (xml, virt-aa-helper rule path) -> reason.
LESS = {
    ("hostdev.xml", "/dev/vfio/[0-9]*"):
        "every VFIO group of the host; ours grants the device's own IOMMU group (/dev/vfio/N from sysfs)",
    ("tpm.xml", "/run/libvirt/qemu/swtpm/-1-tpm-swtpm.sock"):
        "-1 is the id of an inactive domain, never a real socket name; ours matches the running id (digits)",
    ("tpm.xml", "/run/libvirt/qemu/swtpm/-1-tpm-swtpm.pid"):
        "-1 is the id of an inactive domain, never a real pid file name; ours matches the running id (digits)",
    ("tpm.xml", "/var/lib/libvirt/swtpm/1d3e5bf8-4dd0-44a1-acde-1b53b510b10a/(null)/"):
        "virt-aa-helper prints \"(null)\" when <backend version> is absent; ours writes libvirt's default, tpm2",
    ("tpm.xml", "/var/lib/libvirt/swtpm/1d3e5bf8-4dd0-44a1-acde-1b53b510b10a/(null)/**"):
        "virt-aa-helper prints \"(null)\" when <backend version> is absent; ours writes libvirt's default, tpm2",
}

RULE = re.compile(r'^\s*(deny\s+)?("(?:[^"\\]|\\.)*"|\S+)\s+([a-z]+),\s*$')


def pattern_regex(p):
    """An AppArmor path expression as a Python regex (quoted strings,
    backslash escapes, *, **, ?, [..], {a,b})."""
    if p.startswith('"'):
        p = p[1:-1]
    out, i = "", 0
    while i < len(p):
        c = p[i]
        if c == "\\" and i + 1 < len(p):
            out += re.escape(p[i + 1])
            i += 2
            continue
        if p.startswith("**", i):
            out += ".*"
            i += 2
        elif c == "*":
            out += "[^/]*"
            i += 1
        elif c == "?":
            out += "[^/]"
            i += 1
        elif c == "[":
            j = p.index("]", i)
            out += p[i:j + 1]
            i = j + 1
        elif c == "{":
            j = p.index("}", i)
            out += "(?:" + "|".join(pattern_regex(x) for x in p[i + 1:j].split(",")) + ")"
            i = j + 1
        else:
            out += re.escape(c)
            i += 1
    return out


def rules(text):
    out = []
    for line in text.splitlines():
        m = RULE.match(line)
        if m and not line.strip().startswith("#"):
            path = m.group(2)
            out.append((bool(m.group(1)), path[1:-1] if path.startswith('"') else path, m.group(3)))
    return out


def fixture_root():
    """A host tree for hostdev.xml: PCI 0000:01:00.0 in IOMMU group 12 and
    the USB device 0781:5567 on bus 3, device 7."""
    root = os.path.join(WORK, "root")
    shutil.rmtree(root, ignore_errors=True)
    real = "/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0"
    os.makedirs(root + real)
    os.makedirs(root + "/sys/bus/pci/devices")
    os.makedirs(root + "/sys/kernel/iommu_groups/12")
    os.symlink("../../.." + real[4:], root + "/sys/bus/pci/devices/0000:01:00.0")
    os.symlink("../../../../kernel/iommu_groups/12", root + real + "/iommu_group")
    usb = root + "/sys/bus/usb/devices/3-1"
    os.makedirs(usb)
    for k, v in {"idVendor": "0781", "idProduct": "5567", "busnum": "3", "devnum": "7"}.items():
        with open(os.path.join(usb, k), "w") as fh:
            fh.write(v + "\n")
    return root


# Inputs virt-aa-helper turns into rules that ours refuses (XML only, no
# fixture tree, so both read the same live host).
UNSAFE = [
    ("newline in a disk path", "<disk type='file'><source file='/var/lib/libvirt/images/a&#10;b.qcow2'/>"
     "<target dev='vda'/></disk>"),
    ("'..' traversal in a disk path", "<disk type='file'><source file='/var/lib/libvirt/images/../../../etc/shadow'/>"
     "<target dev='vda'/></disk>"),
    ("host memory as a disk", "<disk type='block'><source dev='/dev/mem'/><target dev='vda'/></disk>"),
    ("kernel image of the host as a disk", "<disk type='file'><source file='/boot/vmlinuz'/><readonly/>"
     "<target dev='vda'/></disk>"),
    ("the whole host shared with 9p", "<filesystem type='mount'><source dir='/'/><target dir='r'/></filesystem>"),
    ("every VM's images shared", "<filesystem type='mount'><source dir='/var/lib/libvirt/images'/>"
     "<target dir='i'/><readonly/></filesystem>"),
    ("PCI device whose IOMMU group is unknown", "<hostdev mode='subsystem' type='pci'><source>"
     "<address domain='0x0000' bus='0x7f' slot='0x1f' function='0x7'/></source></hostdev>"),
]


def unsafe_domain(dev):
    return ("<domain type='test'><name>unsafe</name><uuid>0f0e0d0c-0b0a-4908-8706-050403020100</uuid>"
            "<memory>65536</memory><os><type arch='i686'>hvm</type></os><devices>"
            f"<emulator>/usr/bin/test-hv</emulator>{dev}</devices></domain>")


def main():
    if not os.access(VAH, os.X_OK):
        print(f"1..0 # SKIP {VAH} not installed (Debian package libvirt-daemon)")
        return 0
    os.makedirs(WORK, exist_ok=True)
    root = fixture_root()
    xmls = sorted(glob.glob(os.path.join(SRC, "tests/fixtures/domains/virt-install/*.xml")))
    n = failed = total = covered = 0
    t_ours = t_vah = gen_ms = 0.0
    for x in xmls:
        base = os.path.basename(x)
        text = open(x).read()
        uuid = re.search(r"<uuid>([^<]+)</uuid>", text).group(1)
        t0 = time.perf_counter()
        for _ in range(RUNS):
            v = subprocess.run([VAH, "-d", "-r", "-u", f"libvirt-{uuid}"], input=text, capture_output=True,
                               text=True)
        t1 = time.perf_counter()
        for _ in range(RUNS):
            # The live host, as virt-aa-helper sees it; hostdev.xml needs
            # a sysfs with its devices, which the fixture tree has.
            o = subprocess.run([KVMAUDIT, "profile", "apparmor", "--timing", "--xml", x] +
                               (["--root", root] if base == "hostdev.xml" else []),
                               capture_output=True, text=True)
        t2 = time.perf_counter()
        t_vah += (t1 - t0) / RUNS
        t_ours += (t2 - t1) / RUNS
        m = re.search(r"generated in ([0-9.]+) ms", o.stderr)
        gen_ms += float(m.group(1)) if m else 0.0
        n += 1
        errs = []
        if v.returncode != 0:
            errs.append(f"virt-aa-helper failed: {v.stderr.strip()}")
        o_err = "\n".join(l for l in o.stderr.splitlines() if "generated in" not in l)
        if o.returncode != 0 or o_err:
            errs.append(f"kvmaudit failed: {o.stderr.strip()}")
        ours = [(re.compile(pattern_regex(p if p.startswith('"') else p) + "$"), perms)
                for deny, p, perms in rules(o.stdout) if not deny]
        ours_raw = rules(o.stdout)
        notes = []
        for deny, path, perms in rules(v.stderr):
            if deny:
                continue
            total += 1
            if (base, path) in LESS:
                covered += 1
                notes.append(f"less on purpose: {path} ({LESS[base, path]})")
                continue
            granted = set()
            for rx, p in ours:
                if rx.match(path):
                    granted |= set(p)
            if set(perms) <= granted:
                covered += 1
            else:
                errs.append(f"virt-aa-helper grants {path!r} {perms}, ours {''.join(sorted(granted)) or 'nothing'}")
        # A read-only file virt-aa-helper denies writes to must not be writable in ours.
        for deny, path, perms in rules(v.stderr):
            if deny and any(not d and p.strip('"') == path and "w" in pp for d, p, pp in ours_raw):
                errs.append(f"virt-aa-helper denies writes to {path}, ours grants them")
        print(("ok" if not errs else "not ok") + f" {n} - {base}")
        for e in errs:
            print(f"#   {e}")
        for e in notes:
            print(f"#   {e}")
        failed += bool(errs)
    n_vms, gen_ms = n, gen_ms
    for what, dev in UNSAFE:
        n += 1
        xml = unsafe_domain(dev)
        xf = os.path.join(WORK, "unsafe.xml")
        with open(xf, "w") as fh:
            fh.write(xml)
        v = subprocess.run([VAH, "-d", "-r", "-u", "libvirt-0f0e0d0c-0b0a-4908-8706-050403020100"], input=xml,
                           capture_output=True, text=True)
        o = subprocess.run([KVMAUDIT, "profile", "apparmor", "--xml", xf], capture_output=True, text=True)
        granted = [line.strip() for line in v.stderr.split("\nvirt-aa-helper:\n")[-1].strip().splitlines()]
        ok = o.returncode != 0 and not o.stdout
        print(("ok" if ok else "not ok") + f" {n} - refused: {what}")
        print(f"#   virt-aa-helper: exit {v.returncode}, grants {granted}")
        print(f"#   kvmaudit: {o.stderr.strip()}")
        failed += not ok
    print(f"# coverage: {covered}/{total} virt-aa-helper rules granted by ours or listed with a reason")
    print(f"# benchmark: {n_vms} VMs, mean per VM over {RUNS} runs (process start included): "
          f"kvmaudit {t_ours * 1000:.2f} ms, virt-aa-helper {t_vah * 1000:.2f} ms; "
          f"kvmaudit's generation alone {gen_ms / max(n_vms, 1):.3f} ms")
    print(f"1..{n}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
