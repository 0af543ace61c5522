#!/usr/bin/env python3
"""Compares kvmaudit's lsm and svirt results with the live state of the lab
VM, read here without kvmaudit: /sys/kernel/security, /proc/PID/attr/current
of the QEMU processes, getsebool, the security.selinux xattrs of the disks.
One "ok -"/"not ok -" line per check; a check whose live truth this script
cannot establish is not asserted (a "#" note says so).

Usage: scan-check.py "apparmor|selinux PHASE" SCAN.json"""
import glob
import json
import os
import re
import subprocess
import sys

label, report = sys.argv[1], sys.argv[2]
flavour = label.split()[0]
results = {}
for r in json.load(open(report))["results"]:
    results.setdefault(r["id"], []).append(r)


def sh(*cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout


def qemu_procs():
    """{vm name: (pid, label)} of the running QEMU processes."""
    out = {}
    for f in glob.glob("/run/libvirt/qemu/*.pid"):
        name = os.path.basename(f)[:-4]
        if name == "driver":    # libvirtd's own pid file
            continue
        try:
            pid = open(f).read().strip()
            label = open(f"/proc/{pid}/attr/current").read().strip("\0\n ")
        except OSError:
            continue
        out[name] = (pid, label)
    return out


def domain_uuid(name):
    return sh("virsh", "-c", "qemu:///system", "domuuid", name).strip()


def disks(name):
    out = sh("virsh", "-c", "qemu:///system", "domblklist", name, "--details")
    return [l.split()[3] for l in out.splitlines()[2:] if len(l.split()) >= 4 and l.split()[1] == "disk"]


procs = qemu_procs()
lsms = open("/sys/kernel/security/lsm").read().strip().split(",")
expect = {}   # check id -> (status, why)

expect["lsm.mac-active"] = ("pass", f"active LSMs {','.join(lsms)}")
model = re.findall(r"<model>(\w+)</model>", sh("virsh", "-c", "qemu:///system", "capabilities"))
expect["svirt.security-driver-enabled"] = (
    "pass" if flavour in model else "fail", f"libvirt's secmodel: {model}")
labels = [l for _, l in procs.values()]
expect["svirt.running-labels-unique"] = (
    "pass" if len(set(labels)) == len(labels) else "fail", f"QEMU labels {labels}")
unconfined = [n for n, (_, l) in procs.items() if l in ("unconfined", "") or "unconfined_t" in l]
expect["svirt.process-confined"] = (
    "fail" if unconfined else "pass", f"{len(procs)} QEMU processes, unconfined: {unconfined}")

if flavour == "apparmor":
    profiles = dict(re.findall(r"^(\S+) \((\w+)\)$",
                               open("/sys/kernel/security/apparmor/profiles").read(), re.M))
    want = ["libvirtd", "virt-aa-helper"]
    modes = {p: profiles.get(p, "absent") for p in want}
    expect["lsm.apparmor-libvirtd-enforce"] = (
        "pass" if all(m == "enforce" for m in modes.values()) else "fail", f"{modes}")
    # the QEMU process itself under its own profile, in enforce mode
    vm = {n: l for n, (_, l) in procs.items()}
    expect["lsm.apparmor-domain-profiles-enforce"] = (
        "pass" if all(l == f"libvirt-{domain_uuid(n)} (enforce)" for n, l in vm.items()) else "fail",
        f"QEMU process labels {vm}")
else:
    enforce = open("/sys/fs/selinux/enforce").read().strip()
    expect["lsm.selinux-enforcing"] = ("pass" if enforce == "1" else "fail", f"enforce={enforce}")
    conf = open("/etc/selinux/config").read()
    cfg = re.search(r"^SELINUX=(\w+)", conf, re.M).group(1)
    expect["lsm.selinux-config-enforcing"] = (
        "pass" if cfg == "enforcing" else "fail", f"SELINUX={cfg}, cmdline {open('/proc/cmdline').read().strip()}")

    def boolean(b):
        out = sh("getsebool", b)
        return out.strip().endswith("on")
    expect["lsm.selinux-virt-execmem-off"] = (
        "fail" if boolean("virt_use_execmem") else "pass", f"virt_use_execmem={boolean('virt_use_execmem')}")
    sharing = {b: boolean(b) for b in ("virt_use_nfs", "virt_use_samba", "virt_use_fusefs",
                                       "virt_sandbox_use_all_caps")}
    expect["lsm.selinux-virt-sharing-bools-off"] = (
        "fail" if any(sharing.values()) else "pass", f"{sharing}")
    # each running VM's disks carry its own MCS pair (and it runs confined)
    wrong = []
    for n, (_, ctx) in procs.items():
        mcs = ctx.split(":", 4)[-1]
        for d in disks(n):
            try:
                fl = os.getxattr(d, "security.selinux").decode().strip("\0")
            except OSError as e:
                fl = f"({e.strerror})"
            if not fl.endswith(":" + mcs):
                wrong.append(f"{d}={fl} (VM {mcs})")
    expect["svirt.disk-images-labeled"] = ("fail" if wrong else "pass",
                                          f"disk labels vs VM pairs; wrong: {wrong}")
    # a property of the definitions (their static labels), running or not
    static = {}
    for n in sh("virsh", "-c", "qemu:///system", "list", "--all", "--name").split():
        xml = sh("virsh", "-c", "qemu:///system", "dumpxml", "--inactive", n)
        m = re.search(r"<seclabel type='static' model='selinux'[^>]*>\s*<label>([^<]*)</label>", xml)
        if m:
            static[n] = m.group(1).split(":", 4)[-1]
    pairs = list(static.values())
    if static:
        expect["svirt.static-mcs-unique"] = (
            "pass" if len(set(pairs)) == len(pairs) else "fail", f"static MCS pairs {static}")

if "baseline" in label:
    expect.pop("svirt.static-mcs-unique", None)   # dynamic labels only

# the checks of running VMs skip when none runs: then that is the truth,
# and the lab says that nothing running was checked
if not procs:
    print(f"not ok - scan {label}: no QEMU runs, the running-VM checks were not exercised")
    for cid in ("svirt.process-confined", "svirt.running-labels-unique",
                "lsm.apparmor-domain-profiles-enforce", "svirt.disk-images-labeled"):
        if cid in expect:
            expect[cid] = ("skip", "no QEMU runs")

for cid, (want, why) in sorted(expect.items()):
    rows = results.get(cid)
    if not rows:
        print(f"not ok - scan {label}: {cid} is not in the report (live: {want}; {why})")
        continue
    # rows of domains that are not running skip, whatever the live state
    running = [r for r in rows if not (r["status"] == "skip" and "not running" in (r.get("observed") or ""))]
    rows = running or rows
    got = sorted({r["status"] for r in rows})
    if got == [want]:
        print(f"ok - scan {label}: {cid} {want} agrees with the live state ({why})")
    else:
        bad = [f"{r.get('subject')}: {r['status']}: {r.get('observed')}" for r in rows if r["status"] != want]
        print(f"not ok - scan {label}: {cid} says {','.join(got)}, the live state says {want} "
              f"({why}); {' | '.join(bad)[:600]}")
for cid in sorted(set(results) - set(expect)):
    print(f"# scan {label}: {cid}: {','.join(sorted({r['status'] for r in results[cid]}))} "
          f"(no live truth asserted)")
