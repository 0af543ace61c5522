#!/usr/bin/env python3
"""Hostile input: facts files ("kvmaudit scan --facts FILE").  A facts file is
held to what each probe records (the namespace rules of
src/probes/probe-table.c): a value of another kind, a NUL byte in a key or a
value, a key written twice, an unknown namespace or a malformed key rejects
the whole file with exit 2 and a message naming the key and what is wrong;
it never flips a verdict, aborts, or runs out of memory.

The base file is "kvmaudit collect" of the insecure-intel fixture tree (read
in place); each case edits its JSON text.

Usage: facts.py KVMAUDIT SOURCE_ROOT
Prints "hostile facts: N cases, N failed"; exits 1 on any failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def sub(old, new):
    """An edit replacing the exact text @old of the collected file."""
    def edit(text):
        if old not in text:
            raise ValueError("base file lacks %r" % old)
        return text.replace(old, new, 1)
    return edit


def add(member):
    """An edit adding a raw JSON member at the start of "facts"."""
    def edit(text):
        return text.replace('"facts": {', '"facts": {' + member + ",", 1)
    return edit


def setv(key, raw):
    """An edit giving fact @key the raw JSON value @raw."""
    def edit(text):
        d = json.loads(text)
        d["facts"].pop(key, None)
        return add('"%s": %s' % (key, raw))(json.dumps(d, indent=2))
    return edit


def failed(raw, drop=None):
    """An edit setting the top-level "failed" member to the raw JSON @raw,
    and removing every fact and the "complete" mark of namespace @drop."""
    def edit(text):
        d = json.loads(text)
        d.pop("failed", None)
        if drop:
            d["facts"] = {k: v for k, v in d["facts"].items() if k.split(":", 1)[0] != drop}
            d["complete"] = [n for n in d.get("complete", []) if n != drop]
        return json.dumps(d, indent=2).replace('"facts": {', '"failed": %s, "facts": {' % raw, 1)
    return edit


IOMMU = '"cmdline:iommu": "pt"'
RETBLEED = '"cpuvuln:retbleed": "Vulnerable"'


# (name, edit, expected exit, stderr must contain (all), verdicts {check: status} when the scan runs)
CASES = [
    ("unchanged file", lambda t: t, 0, [],
     {"kernel.iommu-default-translated": "fail", "cpu.retbleed-mitigated": "fail"}),
    # kinds
    ("string fact as a one-element list", sub(IOMMU, '"cmdline:iommu": ["pt"]'), 2,
     ['fact "cmdline:iommu" is a list; its probe records a string'], {}),
    ("kconfig as a list", sub('"kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH": "y"',
                              '"kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH": ["n"]'), 2,
     ['"kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH" is a list'], {}),
    ("cpuvuln as an empty list", sub(RETBLEED, '"cpuvuln:retbleed": []'), 2,
     ['"cpuvuln:retbleed" is a list; its probe records a string'], {}),
    ("libvirt:domains as a string", setv("libvirt:domains", '"lab1"'), 2, ['fact "libvirt:domains" is a string; its probe records a list of strings'], {}),
    ("qemu:pids as a string", setv("qemu:pids", '"1"'), 2, ['"qemu:pids" is a string'], {}),
    ("process cmdline as a string", add('"process:42/cmdline": "qemu-system-x86_64 -name a"'), 2,
     ['"process:42/cmdline" is a string'], {}),
    ("process uid as a list", add('"process:42/uid": ["0"]'), 2, ['"process:42/uid" is a list'], {}),
    ("stat fact as a string", setv("stat:/dev/kvm", '"chr 10:232 0666 0:0"'), 2,
     ['"stat:/dev/kvm" is a string; its probe records file metadata'], {}),
    ("string fact as stat metadata",
     sub(IOMMU, '"cmdline:iommu": {"stat": {"type": "reg", "mode": "0644", "uid": 0, "gid": 0}}'), 2,
     ['"cmdline:iommu" is file metadata; its probe records a string'], {}),
    ("repeated-setting places as a string", add('"meta:qemu.conf:user@repeated": "/etc/libvirt/qemu.conf:1"'), 2,
     ['"meta:qemu.conf:user@repeated" is a string'], {}),
    ("number value", sub(IOMMU, '"cmdline:iommu": 0'), 2, ['"cmdline:iommu": values must be null'], {}),
    ("boolean value", sub(RETBLEED, '"cpuvuln:retbleed": false'), 2, ['"cpuvuln:retbleed": values must be null'], {}),
    ("list of numbers", add('"network:default": [1, 2]'), 2, ['"network:default": list items must be strings'], {}),
    ("error with errno 0", sub(RETBLEED, '"cpuvuln:retbleed": {"error": "x", "errno": 0}'), 2,
     ['"cpuvuln:retbleed": an object must be'], {}),
    ("error with a huge errno", sub(RETBLEED, '"cpuvuln:retbleed": {"error": "x", "errno": 4294967296}'), 2,
     ['"cpuvuln:retbleed": an object must be'], {}),
    # NUL bytes and line breaks
    ("NUL inside a mitigation text", sub(RETBLEED, '"cpuvuln:retbleed": "Not affected\\u0000Vulnerable"'), 2,
     ['fact "cpuvuln:retbleed": the string holds a NUL byte'], {}),
    ("NUL at the end of a value", sub(IOMMU, '"cmdline:iommu": "pt\\u0000"'), 2, ['"cmdline:iommu"', "NUL byte"], {}),
    ("NUL in a list item", setv("libvirt:domains", '["lab1\\u0000other"]'), 2,
     ['"libvirt:domains": a list item holds a NUL byte'], {}),
    ("NUL in an error message", sub(RETBLEED, '"cpuvuln:retbleed": {"error": "a\\u0000b", "errno": 5}'), 2,
     ['"cpuvuln:retbleed": the error message holds a NUL byte'], {}),
    ("NUL in a stat ACL entry", add('"stat:/dev/x": {"stat": {"type": "chr", "mode": "0600", "uid": 0, "gid": 0, '
                                    '"rdev": "1:3", "acl": ["user:1:rw-\\u0000"]}}'), 2,
     ['"stat:/dev/x"', "NUL"], {}),
    ("NUL in a stat type", setv("stat:/dev/kvm", '{"stat": {"type": "chr\\u0000x", "mode": "0600", "uid": 0, "gid": 0, '
                                                 '"rdev": "10:232"}}'), 2,
     ['"stat:/dev/kvm": a stat field holds a NUL byte'], {}),
    ("NUL in a stat mode", setv("stat:/dev/kvm", '{"stat": {"type": "chr", "mode": "0600\\u00007777", "uid": 0, '
                                                 '"gid": 0, "rdev": "10:232"}}'), 2,
     ['"stat:/dev/kvm": a stat field holds a NUL byte'], {}),
    ("line break in a kconfig value", add('"kconfig:CONFIG_X": "y\\nCONFIG_Y=y"'), 2,
     ['"kconfig:CONFIG_X": the string holds a line break'], {}),
    # keys
    ("key with a NUL", add('"cmdline:mitigations\\u0000x": "off"'), 2,
     ['key "cmdline:mitigations\\u0000x" holds a NUL byte'], {}),
    ("key cut at a NUL to shadow another", add('"cpuvuln:retbleed\\u0000": "Not affected"'), 2,
     ['key "cpuvuln:retbleed\\u0000" holds a NUL byte'], {}),
    ("same key twice, safe value last", lambda t: sub(RETBLEED, RETBLEED + ', "cpuvuln:retbleed": "Not affected"')(t),
     2, ['key "cpuvuln:retbleed" appears twice'], {}),
    ("same key twice through an escape", sub(RETBLEED, RETBLEED + ', "cpuvuln:retbl\\u0065ed": "Not affected"'), 2,
     ['key "cpuvuln:retbleed" appears twice'], {}),
    ("unknown namespace", add('"bogus:x": "1"'), 2, ['fact "bogus:x": unknown fact namespace'], {}),
    ("upper-case namespace", add('"Cmdline:x": "1"'), 2, ['invalid fact key "Cmdline:x"'], {}),
    ("empty name", add('"cmdline:": "1"'), 2, ['invalid fact key "cmdline:"'], {}),
    ("control character in a key", add('"cmdline:a\\u0001b": "1"'), 2, ['invalid fact key'], {}),
    ("key longer than 4096 bytes", add('"sysctl:%s": "1"' % ("a" * 5000)), 2, ['invalid fact key'], {}),
    # the "complete" list marks namespaces whose missing keys read as absent
    ("complete names an unknown namespace", sub('"complete": [', '"complete": [ "bogus",'), 2,
     ['"complete" item 0 is not a fact namespace'], {}),
    ("complete item with a NUL", sub('"complete": [', '"complete": [ "cmdline\\u0000x",'), 2,
     ['"complete" item 0 is not a fact namespace'], {}),
    ("complete item a number", sub('"complete": [', '"complete": [ 7,'), 2,
     ['"complete" item 0 is not a fact namespace'], {}),
    # "failed": namespaces whose probe failed whole on the collecting host
    ("failed not an object", failed('[]'), 2, ['"failed" must be an object'], {}),
    ("failed names an unknown namespace", failed('{"bogus": {"error": "x", "errno": 5}}'), 2,
     ['"failed": "bogus" is not a fact namespace'], {}),
    ("failed names a malformed namespace", failed('{"Cpu vuln": {"error": "x", "errno": 5}}'), 2,
     ['"failed": "Cpu vuln" is not a fact namespace'], {}),
    ("failed value not an error", failed('{"cpuvuln": "down"}'), 2,
     ['"failed": "cpuvuln" must be {"error": MESSAGE, "errno": N}'], {}),
    ("failed errno 0", failed('{"cpuvuln": {"error": "x", "errno": 0}}'), 2,
     ['"failed": "cpuvuln" must be {"error": MESSAGE, "errno": N}'], {}),
    ("failed message with a NUL", failed('{"cpuvuln": {"error": "a\\u0000b", "errno": 5}}'), 2,
     ['"failed": "cpuvuln" must be'], {}),
    ("failed value a stat", failed('{"cpuvuln": {"stat": {"type": "reg", "mode": "0644", "uid": 0, "gid": 0}}}'), 2,
     ['"failed": "cpuvuln" must be'], {}),
    ("a failed namespace reads as its error, not as a skip",
     failed('{"cpuvuln": {"error": "cpuvuln facts could not be read: Permission denied", "errno": 13}}',
            drop="cpuvuln"), 0, [],
     {"cpu.retbleed-mitigated": "error", "kernel.iommu-default-translated": "fail"}),
    # size and shape
    ("list longer than the bound", add('"network:big": [%s]' % ",".join(['"x"'] * (1024 * 1024 + 1))), 2,
     ['"network:big": list too long'], {}),
    ("huge string value", add('"sysctl:kernel.big": "%s"' % ("x" * (20 * 1024 * 1024))), 0, [],
     {"cpu.retbleed-mitigated": "fail"}),
    ("deep nesting", add('"network:deep": ' + "[" * 2000 + "]" * 2000), 2, ["not valid JSON"], {}),
    ("file over 64 MiB", add('"sysctl:kernel.big": "%s"' % ("x" * (65 * 1024 * 1024))), 2, ["file too large"], {}),
    ("raw NUL byte in the file", sub(RETBLEED, '"cpuvuln:retbleed": "Not affected\x00Vulnerable"'), 2,
     ["contains NUL bytes"], {}),
    # what probes do write stays accepted
    ("TAB in a sysctl value (kernel.printk)", setv("sysctl:kernel.printk", '"4\\t4\\t1\\t7"'), 0, [],
     {"kernel.iommu-default-translated": "fail"}),
    ("multi-line sysfs value", setv("sysfs:kernel/security/lockdown", '"none [integrity]\\nconfidentiality"'), 0, [],
     {"cpu.retbleed-mitigated": "fail"}),
]


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    kvmaudit, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    tree = os.path.join(src, "tests/fixtures/hosts/insecure-intel/tree")
    work = tempfile.mkdtemp(prefix="hostile-facts.")
    failed = total = 0
    try:
        p = subprocess.run([kvmaudit, "collect", "--root", tree], capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            print("FAIL collect: exit %d: %s" % (p.returncode, p.stderr.strip()))
            return 1
        base = p.stdout
        for name, edit, want_rc, needles, verdicts in CASES:
            total += 1
            problems = []
            path = os.path.join(work, "facts.json")
            try:
                text = edit(base)
            except ValueError as e:
                print("FAIL %s: %s" % (name, e))
                failed += 1
                continue
            with open(path, "wb") as f:
                f.write(text.encode("utf-8", "surrogatepass"))
            r = subprocess.run([kvmaudit, "scan", "--facts", path, "--format", "json", "--reproducible"],
                               capture_output=True, timeout=600)
            err = r.stderr.decode(errors="replace")
            if r.returncode != want_rc:
                problems.append("exit %d, expected %d (%s)" % (r.returncode, want_rc, err.strip()[:300]))
            for n in needles:
                if n not in err:
                    problems.append("stderr lacks %r: %s" % (n, err.strip()[:300]))
            if want_rc == 2 and r.stdout:
                problems.append("a rejected file still printed a report")
            if verdicts and r.returncode in (0, 1):
                res = {x["id"]: x["status"] for x in json.loads(r.stdout)["results"]}
                for check, status in verdicts.items():
                    if res.get(check) != status:
                        problems.append("%s is %s, expected %s" % (check, res.get(check), status))
            if problems:
                failed += 1
                print("FAIL %s: %s" % (name, "; ".join(problems)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("hostile facts: %d cases, %d failed" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
