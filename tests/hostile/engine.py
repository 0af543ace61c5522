#!/usr/bin/env python3
"""Hostile input: what the engine of issue 13 reads -- a site catalogue
("kvmaudit scan --checks DIR") using scope, "@" object facts, list
operators, "judge =" and "param =", and facts files that bring derived facts
of their own.  Each bad input is refused with exit 2 and a message naming
the file, line and value (or the fact); a good one runs and judges each
object.  Never a crash, never a silent pass.

Usage: engine.py KVMAUDIT SOURCE_ROOT
Prints "hostile engine: N cases, N failed"; exits 1 on any failure."""
import json
import os
import subprocess
import sys
import tempfile

HEAD = ("[{id}]\ntitle = t\ncategory = {cat}\nseverity = high\nscope = {scope}\n"
        "rationale = r\nremediation = m\n")


def check(body, id="qemu.site", cat="qemu", scope="host"):
    return HEAD.format(id=id, cat=cat, scope=scope) + body


# A facts file: one QEMU process (uid 0 effective), libvirtd configured.
FACTS = {
    "qemu:pids": ["42"],
    "process:42/name": "web",
    "process:42/uuid": None,
    "process:42/uid": "107 0 107 107",
    "process:42/gid": "107 107 107 107",
    "process:42/cmdline": ["qemu-system-x86_64", "-sandbox", "on,spawn=deny"],
    "libvirtd.conf:audit_level": None,
    "libvirtd.conf:auth_tcp": "none",
    "meta:libvirtd.conf": "/etc/libvirt/libvirtd.conf",
}

# (name, catalogue text or None, facts edit or None, exit, stderr must contain, {(id, subject): status})
CASES = [
    # catalogue
    ("@ in a host check", check("fact = process:@/uid\nexpect = nonempty\n"), None, 2,
     ['site.check:1: "process:@/uid" is relative to an object ("@"), but the check has scope host'], {}),
    ("@ as the namespace", check("fact = @.conf:auth_tcp\nexpect = present\n", scope="daemon"), None, 2,
     ['site.check:8: invalid fact "@.conf:auth_tcp"'], {}),
    ("split on a process check", check("fact = process:@/uids\nexpect = none-in 0\nsplit = line\n",
                                       scope="process"), None, 2, ['"split" is for scope host'], {}),
    ("count-le without a number", check("fact = qemu.conf:x\nexpect = count-le lots\n"), None, 2,
     ['site.check:9: operator "count-le" needs an integer, got "lots"'], {}),
    ("each-in without values", check("fact = qemu.conf:x\nexpect = each-in\n"), None, 2,
     ['operator "each-in" takes one or more arguments, got 0'], {}),
    ("list operator on file metadata", check("fact = stat:/dev/kvm\nexpect = empty\n"), None, 2,
     ['operator "empty" does not apply to stat:/dev/kvm'], {}),
    ("unknown judge", check("judge = rm-rf\nexpected = x\n"), None, 2, ['site.check:8: unknown judge "rm-rf"'], {}),
    ("judge and evaluator both", check("judge = qemu-user-not-root\nevaluator = kvm-built\nexpected = x\n"), None, 2,
     ['site.check:9: "evaluator" given, but the check already has a judge'], {}),
    ("param a judge does not read", check("judge = qemu-user-not-root\nexpected = x\nparam = shell /bin/sh\n"),
     None, 2, ['site.check:10: unknown param "shell" for qemu-user-not-root'], {}),
    ("param without a value", check("fact = daemonconf:@/auth_tcp\nexpect = present\nparam = daemons\n",
                                    cat="libvirtd", id="libvirtd.site", scope="daemon"), None, 2,
     ['site.check:10: param must be "KEY VALUE...", got "daemons"'], {}),
    ("a daemon that does not exist", check("fact = daemonconf:@/auth_tcp\nexpect = present\n"
                                           "param = daemons libvirtd ../../etc/shadow\n",
                                           cat="libvirtd", id="libvirtd.site", scope="daemon"), None, 2,
     ['site.check:10: daemon "../../etc/shadow" has no configuration namespace'], {}),
    # good site checks: one result per object, as data
    ("process check, each-in", check("fact = process:@/uids\nexpect = each-in 107\n", scope="process"), None, 0, [],
     {("qemu.site", "process:web"): "fail"}),
    ("process check, sandbox word", check("fact = process:@/sandbox\nexpect = word spawn=deny\n", scope="process"),
     None, 0, [], {("qemu.site", "process:web"): "pass"}),
    ("daemon check", check("fact = daemonconf:@/auth_tcp\nexpect = ne none\nparam = daemons libvirtd\n",
                           cat="libvirtd", id="libvirtd.site", scope="daemon"), None, 0, [],
     {("libvirtd.site", "/etc/libvirt/libvirtd.conf"): "fail"}),
    ("undeclared read is an error, not a verdict",
     check("fact = qemu.conf:user\njudge = qemu-user-not-root\nexpected = x\n"), None, 0, [],
     {("qemu.site", "host"): "error"}),
    # facts files
    ("derived process fact in a facts file", None, {"process:42/uids": ["107"]}, 2,
     ['fact "process:42/uids" is derived from other facts at every scan'], {}),
    ("daemonconf in a facts file", None, {"daemonconf:libvirtd/auth_tcp": "sasl"}, 2,
     ['fact "daemonconf:libvirtd/auth_tcp" is derived from other facts'], {}),
    ("derived note in a facts file", None, {"meta:daemonconf:libvirtd/auth_tcp@repeated": ["a:1", "a:2"]}, 2,
     ['fact "meta:daemonconf:libvirtd/auth_tcp@repeated" is derived'], {}),
]


def main():
    kvmaudit = sys.argv[1]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, catalogue, facts_edit, want_exit, want_err, want in CASES:
            cdir = os.path.join(tmp, "checks")
            os.makedirs(cdir, exist_ok=True)
            for f in os.listdir(cdir):
                os.unlink(os.path.join(cdir, f))
            if catalogue:
                with open(os.path.join(cdir, "site.check"), "w") as f:
                    f.write(catalogue)
            facts = dict(FACTS)
            facts.update(facts_edit or {})
            fpath = os.path.join(tmp, "facts.json")
            with open(fpath, "w") as f:
                json.dump({"schema_version": 1, "facts": facts}, f)
            cmd = [kvmaudit, "scan", "--facts", fpath, "--format", "json", "--reproducible"]
            if catalogue:
                cmd += ["--checks", cdir]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            why = []
            if r.returncode != want_exit:
                why.append("exit %d, want %d" % (r.returncode, want_exit))
            if r.returncode < 0 or "Sanitizer" in r.stderr:
                why.append("crashed: %s" % r.stderr[-300:])
            for w in want_err:
                if w not in r.stderr:
                    why.append("stderr lacks %r" % w)
            if want:
                try:
                    results = {(x["id"], x["subject"]): x["status"] for x in json.loads(r.stdout)["results"]}
                except (ValueError, KeyError) as e:
                    results = {}
                    why.append("no JSON report: %s" % e)
                for k, status in want.items():
                    if results.get(k) != status:
                        why.append("%s %s: got %s, want %s" % (k[0], k[1], results.get(k), status))
            if why:
                failed += 1
                print("FAIL %s: %s; stderr: %s" % (name, "; ".join(why), r.stderr.strip()[:300]))
            else:
                print("ok   %s" % name)
    print("hostile engine: %d cases, %d failed" % (len(CASES), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
