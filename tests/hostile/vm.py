#!/usr/bin/env python3
"""Hostile input: domain definitions and facts files as the domain checks
read them through the derived vm: namespace (src/probes/probe-vm.c, issue 13).

Each row puts one domain definition into a copy of the libvirt-insecure
fixture (or builds a facts file from it), runs "kvmaudit scan --only domain"
and states the safe behaviour: the exit code, what stderr must say, and the
status and an evidence fragment of named (check, subject) results.

Rows marked [fix] fail on the code before the change they guard (main
with the vm namespace as first added): a facts file that sets vm: facts
and so contradicts its domain facts, collect writing vm: facts, a tcp device with tls='no' turned into an error by a
broken qemu.conf setting it does not read, a <loader> without a path read
as the file "" (an error with an empty reason, and a facts file that scan
--facts refuses: collect wrote the key "stat:").  The others keep verdicts the
data checks took over from C, including one that guards the data form
itself: a value written "(absent)" must not read as the attribute left
out, which a condition accepts.

Usage: vm.py KVMAUDIT SOURCE_ROOT
Prints "hostile vm: N cases, N failed"; exits 1 on any failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

K, SRC = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(SRC, "tests", "fixtures", "hosts", "libvirt-insecure")
WORK = tempfile.mkdtemp(prefix="kvmaudit-hostile-vm-")


def dom(name, devices="", top="", os_="<type arch='x86_64' machine='q35'>hvm</type>"):
    return ("<domain type='kvm'><name>%s</name><os>%s</os>%s<devices>%s</devices></domain>"
            % (name, os_, top, devices))


PCI = "<source><address domain='0' bus='1' slot='0' function='0'/></source>"

# (name, definitions {file: xml}, extra qemu.conf text, mode, expected exit,
#  stderr fragment, {(check, subject): (status, evidence fragment)})
# mode: "root" scans the tree; "facts" collects then scans the file after
# edit(facts) when given.
CASES = [
    ("a driver written '(absent)' is not the default VFIO driver",
     {"h.xml": dom("h", "<hostdev mode='subsystem' type='pci' managed='yes'><driver name='(absent)'/>%s</hostdev>" % PCI)},
     "", "root", None, 0, None,
     {("domain.hostdev-iommu", "domain:h"): ("fail", '"(absent)"')}),
    ("[fix] a tcp device with tls='no' fails whatever a broken qemu.conf says",
     {"c.xml": dom("c", "<serial type='tcp'><source mode='bind' host='0.0.0.0' service='1' tls='no'/></serial>")},
     'chardev_tls = "unterminated\n', "root", None, 0, None,
     {("domain.chardev-network-secured", "domain:c"): ("fail", "tcp:tls=no serial bind 0.0.0.0:1")}),
    ("the same device without tls= cannot be judged on that qemu.conf",
     {"c.xml": dom("c", "<serial type='tcp'><source mode='bind' host='0.0.0.0' service='1'/></serial>")},
     'chardev_tls = "unterminated\n', "root", None, 0, None,
     {("domain.chardev-network-secured", "domain:c"): ("error", "qemu.conf")}),
    ("a host name that starts like loopback is not loopback",
     {"c.xml": dom("c", "<serial type='tcp'><source mode='bind' host='127.0.0.1.example.org' service='1'/></serial>")},
     "", "root", None, 0, None,
     {("domain.chardev-network-secured", "domain:c"): ("fail", "tcp:tls=default")}),
    ("a NIC model holding spaces and a pattern is one item, not a match",
     {"n.xml": dom("n", "<interface type='network'><source network='default'/><model type='virtio *'/></interface>")},
     "", "root", None, 0, None,
     {("domain.nic-virtio", "domain:n"): ("fail", "virtio *")}),
    ("a share path with '..' is not judged lexically: it fails",
     {"s.xml": dom("s", "<filesystem type='mount' accessmode='mapped'><source dir='/srv/../etc'/><target dir='x'/></filesystem>")},
     "", "root", None, 0, None,
     {("domain.fs-share-safe", "domain:s"): ("fail", "/srv/../etc")}),
    ("glob characters in a share path are data, not a pattern",
     {"s.xml": dom("s", "<filesystem type='mount' accessmode='mapped'><source dir='/e[t]c'/><target dir='x'/></filesystem>")},
     "", "root", None, 0, None,
     {("domain.fs-share-safe", "domain:s"): ("pass", "/e[t]c")}),
    ("an unparsable definition is an error for that domain in every data check",
     {"bad.xml": "<domain type='kvm'><name>bad</name><devices>"},
     "", "root", None, 0, None,
     {("domain.no-floppy", "domain:bad"): ("error", "bad.xml:1: not well-formed XML"),
      ("domain.cpu-host-passthrough", "domain:bad"): ("error", "bad.xml:1: not well-formed XML"),
      ("domain.no-floppy", "domain:lab1"): ("fail", "offending (none-in): floppy")}),
    ("a seclabel type='none' without model is not DAC's",
     {"u.xml": dom("u", top="<seclabel type='none'/>")},
     "", "root", None, 0, None,
     {("domain.seclabel-confined", "domain:u"): ("fail", "(absent)")}),
    ("[fix] a <loader> without a path is autoselection, not an unreadable file",
     {"l.xml": dom("l", os_="<type arch='x86_64' machine='q35'>hvm</type><loader secure='yes'/>")},
     "", "facts", None, 0, None,
     {("domain.nvram-loader-private", "domain:l"): ("skip", "no firmware loader or NVRAM file"),
      ("domain.uefi-secure-boot", "domain:l"): ("fail", "vm:l/os.loader.secure = yes")}),
    ("[fix] a facts file from before vm: is judged as the tree is",
     {}, "", "facts", "strip-vm", 0, None,
     {("domain.no-floppy", "domain:lab1"): ("fail", "offending (none-in): floppy"),
      ("domain.cpu-host-passthrough", "domain:lab1"): ("fail", "host-passthrough")}),
    ("[fix] a facts file may not set vm: facts its domain facts contradict",
     {}, "", "facts", "forge-vm", 2, 'fact "vm:lab1/cpu.mode" is derived', {}),
    ("a facts file that marks vm complete still gets vm: derived from its domains",
     {}, "", "facts", "complete-vm", 0, None,
     {("domain.cpu-host-passthrough", "domain:lab1"): ("fail", "host-passthrough")}),
]


def build(defs, conf):
    root = os.path.join(WORK, "root")
    shutil.rmtree(root, ignore_errors=True)
    r = subprocess.run([sys.executable, os.path.join(SRC, "tests", "mkfixture.py"), FIXTURE, root],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("mkfixture: %s" % r.stderr.strip())
    for f, xml in defs.items():
        with open(os.path.join(root, "etc/libvirt/qemu", f), "w") as out:
            out.write(xml)
    if conf:
        with open(os.path.join(root, "etc/libvirt/qemu.conf"), "a") as out:
            out.write(conf)
    return root


def edit_facts(path, how):
    with open(path) as f:
        j = json.load(f)
    facts = j["facts"]
    for k in [k for k in facts if k.startswith("vm:")]:
        del facts[k]
    j["complete"] = [n for n in j.get("complete", []) if n != "vm"]
    if how == "forge-vm":
        facts["vm:lab1/cpu.mode"] = "custom"
    elif how == "complete-vm":
        j["complete"].append("vm")
    with open(path, "w") as f:
        json.dump(j, f)


def main():
    failed = 0
    for name, defs, conf, mode, edit, code, err, expect in CASES:
        problems = []
        try:
            root = build(defs, conf)
        except RuntimeError as e:
            problems.append(str(e))
            root = None
        if root:
            source = ["--root", root]
            if mode == "facts":
                facts = os.path.join(WORK, "facts.json")
                c = subprocess.run([K, "collect", "--root", root, "-o", facts], capture_output=True, text=True)
                if c.returncode != 0:
                    problems.append("collect: exit %d: %s" % (c.returncode, c.stderr.strip()))
                elif '"vm:' in open(facts).read():
                    problems.append("collect wrote vm: facts (derived: recomputed when read)")
                if edit:
                    edit_facts(facts, edit)
                source = ["--facts", facts]
            r = subprocess.run([K, "scan"] + source + ["--only", "domain", "--reproducible", "--format", "json"],
                               capture_output=True, text=True, timeout=120)
            if r.returncode != code:
                problems.append("exit %d, expected %d: %s" % (r.returncode, code, r.stderr.strip()[:300]))
            if err and err not in r.stderr:
                problems.append("stderr lacks %r: %s" % (err, r.stderr.strip()[:300]))
            results = {}
            if expect:
                try:
                    results = {(x["id"], x["subject"]): x for x in json.loads(r.stdout)["results"]}
                except (ValueError, KeyError) as e:
                    problems.append("no JSON report: %s" % e)
            for key, (status, frag) in expect.items():
                x = results.get(key)
                if not x:
                    problems.append("%s %s: no result" % key)
                elif x["status"] != status:
                    problems.append("%s %s: %s, expected %s (%s)" % (key + (x["status"], status, x["observed"])))
                elif frag not in x["observed"]:
                    problems.append("%s %s: evidence %r lacks %r" % (key + (x["observed"], frag)))
        if problems:
            failed += 1
            print("not ok - %s" % name)
            for p in problems:
                print("#   " + p)
        else:
            print("ok - %s" % name)
    shutil.rmtree(WORK, ignore_errors=True)
    print("hostile vm: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
