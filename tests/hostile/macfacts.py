#!/usr/bin/env python3
"""Hostile input: the derived MAC facts (src/probes/probe-derived-mac.c:
mac:, proclabel:, domlabel:) as the lsm and svirt data checks read them from
a facts file -- a file that brings derived keys of its own, unreadable LSM
sources, labels shared by many QEMU processes, static labels written in
several ways, domain names with a slash.  A derived key in a file is refused
(exit 2 naming it); otherwise each check gives its verdict with evidence
naming what was observed.  Never a crash, never a silent pass.

Usage: macfacts.py KVMAUDIT SOURCE_ROOT
Prints "hostile macfacts: N cases, N failed"; exits 1 on any failure."""
import json
import os
import subprocess
import sys
import tempfile

CTX = "system_u:system_r:svirt_t:"


def dom(name, uuid_n, seclabel):
    return ("<domain type='kvm'><name>%s</name><uuid>00000000-0000-4000-8000-%012d</uuid>%s"
            "<devices/></domain>" % (name, uuid_n, seclabel))


def static(label):
    return "<seclabel type='static' model='selinux' relabel='yes'><label>%s</label></seclabel>" % label


# The base facts file: an SELinux host, libvirt with no domain, no QEMU.
BASE = {
    "lsm:active": "lockdown,capability,selinux",
    "sysfs:fs/selinux": "present",
    "sysfs:module/apparmor/parameters/enabled": None,
    "qemu.conf:security_driver": None,
    "qemu.conf:security_default_confined": None,
    "libvirt:domains": [],
    "libvirt:source": "files",
    "qemu:pids": [],
}


def procs(n, label):
    f = {"qemu:pids": [str(1000 + i) for i in range(n)]}
    for i in range(n):
        f["process:%d/name" % (1000 + i)] = "vm%d" % i
        f["process:%d/label" % (1000 + i)] = label
    return f


def doms(**xml):
    f = {"libvirt:domains": sorted(xml)}
    for name, x in xml.items():
        f["domain:" + name] = x
    return f


# (name, facts edit, checks (--only), exit, stderr must contain,
#  {(id, subject): (status, evidence substring or None)})
CASES = [
    ("a derived mac fact in a facts file", {"mac:active": ["selinux"]}, ["lsm.mac-active"], 2,
     ['fact "mac:active" is derived from other facts at every scan'], {}),
    ("a derived process label fact in a facts file", {"proclabel:1000/shared-with": []},
     ["svirt.running-labels-unique"], 2, ['fact "proclabel:1000/shared-with" is derived'], {}),
    ("a derived domain label fact in a facts file", {"domlabel:a/static-key-shared-with": []},
     ["svirt.domain-label-unique"], 2, ['fact "domlabel:a/static-key-shared-with" is derived'], {}),
    # one result per check, not per object; security_default_confined = 0
    # fails whatever the LSM state (the judge gave the LSM's error)
    ("LSM list unreadable",
     dict(procs(3, CTX + "s0:c1,c2"), **{"lsm:active": {"error": "lsm: Permission denied", "errno": 13},
                                         "qemu.conf:security_default_confined": "0"}),
     ["lsm.mac-active", "svirt.security-driver-enabled", "svirt.default-confined"], 0, [],
     {("lsm.mac-active", "host"): ("error", "lsm: Permission denied"),
      ("svirt.security-driver-enabled", "host"): ("error", "lsm: Permission denied"),
      ("svirt.default-confined", "host"): ("fail", "qemu.conf:security_default_confined = 0")}),
    ("no LSM list, AppArmor parameter Y: securityfs named", {"lsm:active": None,
                                                           "sysfs:fs/selinux": None,
                                                           "sysfs:module/apparmor/parameters/enabled": "Y"},
     ["lsm.mac-active"], 0, [],
     {("lsm.mac-active", "host"): ("pass", "mac:decided-by = sysfs:fs/selinux and "
                                           "sysfs:module/apparmor/parameters/enabled (securityfs not mounted")}),
    ("300 QEMU processes with one label: each fails, evidence bounded", procs(300, CTX + "s0:c1,c2"),
     ["svirt.running-labels-unique"], 0, [],
     {("svirt.running-labels-unique", "process:vm0"): ("fail", "proclabel:1000/shared-with = 1001,1002"),
      ("svirt.running-labels-unique", "process:vm299"): ("fail", "(truncated)")}),
    ("same label under another SELinux user is shared",
     dict(procs(2, CTX + "s0:c1,c2"), **{"process:1001/label": "unconfined_u:system_r:svirt_t:s0:c1,c2"}),
     ["svirt.running-labels-unique"], 0, [],
     {("svirt.running-labels-unique", "process:vm0"): ("fail", "proclabel:1000/shared-with = 1001"),
      ("svirt.running-labels-unique", "process:vm1"): ("fail", "proclabel:1001/shared-with = 1000")}),
    ("a static pair as a range and reordered is one key",
     doms(a=dom("a", 1, static(CTX + "s0:c1,c2")), b=dom("b", 2, static(CTX + "s0:c1.c2")),
          c=dom("c", 3, static(CTX + "s0:c2,c1"))),
     ["svirt.domain-label-unique"], 0, [],
     {("svirt.domain-label-unique", "domain:a"): ("fail", "domlabel:a/static-key-shared-with = b,c"),
      ("svirt.domain-label-unique", "domain:c"): ("fail", "domlabel:c/static-key-shared-with = a,b")}),
    ("a domain name holding a slash",
     doms(**{"web/1": dom("web/1", 1, static(CTX + "s0:c1,c2")), "db": dom("db", 2, static(CTX + "s0:c1,c3"))}),
     ["svirt.static-mcs-unique"], 0, [],
     {("svirt.static-mcs-unique", "domain:web/1"): ("fail", "domlabel:web/1/static-mcs-overlaps = \"db (s0:c1,c3) shares c1\""),
      ("svirt.static-mcs-unique", "domain:db"): ("fail", "web/1 (s0:c1,c2) shares c1")}),
    ("an unreadable definition beside static labels",
     dict(doms(a=dom("a", 1, static(CTX + "s0:c1,c2")), b="x"),
          **{"domain:b": {"error": "/etc/libvirt/qemu/b.xml: needs root", "errno": 13}}),
     ["svirt.static-mcs-unique"], 0, [],
     {("svirt.static-mcs-unique", "domain:a"): ("pass", "domlabel:a/static-mcs-overlaps = (empty)"),
      ("svirt.static-mcs-unique", "domain:b"): ("error", "needs root")}),
    ("a category past c1023 is a problem, not a pair",
     doms(a=dom("a", 1, static(CTX + "s0:c1,c99999999999999999999"))), ["svirt.static-mcs-unique"], 0, [],
     {("svirt.static-mcs-unique", "domain:a"): ("fail", "domlabel:a/static-mcs-problem = a category outside c0..c1023")}),
]


def main():
    kvmaudit = sys.argv[1]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, edit, only, want_exit, want_err, want in CASES:
            facts = dict(BASE)
            facts.update(edit)
            fpath = os.path.join(tmp, "facts.json")
            with open(fpath, "w") as f:
                json.dump({"schema_version": 1, "facts": facts}, f)
            cmd = [kvmaudit, "scan", "--facts", fpath, "--format", "json", "--reproducible"]
            for o in only:
                cmd += ["--only", o]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            why = []
            if r.returncode != want_exit:
                why.append("exit %d, want %d" % (r.returncode, want_exit))
            if r.returncode < 0 or "Sanitizer" in r.stderr or "runtime error" in r.stderr:
                why.append("crashed: %s" % r.stderr[-300:])
            for w in want_err:
                if w not in r.stderr:
                    why.append("stderr lacks %r" % w)
            if want:
                try:
                    results = {(x["id"], x["subject"]): x for x in json.loads(r.stdout)["results"]}
                except (ValueError, KeyError) as e:
                    results = {}
                    why.append("no JSON report: %s" % e)
                for k, (status, text) in want.items():
                    x = results.get(k)
                    if not x or x["status"] != status:
                        why.append("%s %s: got %s, want %s" % (k[0], k[1], x and x["status"], status))
                    elif text and text not in (x["observed"] or ""):
                        why.append("%s %s: evidence %r lacks %r" % (k[0], k[1], x["observed"][:300], text))
            if why:
                failed += 1
                print("FAIL %s: %s; stderr: %s" % (name, "; ".join(why), r.stderr.strip()[:300]))
            else:
                print("ok   %s" % name)
    print("hostile macfacts: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
