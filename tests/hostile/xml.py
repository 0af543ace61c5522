#!/usr/bin/env python3
"""Hostile XML on every XML surface of kvmaudit (issue 11, item 8).

Every row is one document shape on one surface.  The document is planted
where that surface reads it; the safe behaviour is the same everywhere:
refused quickly (TIME_MAX) with little memory (RSS_MAX_KB), with a message
naming the file (and line) and what was wrong, nothing expanded or fetched
into any output, and the output small (OUTPUT_MAX).

Surfaces: domain XML, status XML and network XML under collect --root, --xml for profile
apparmor and profile selinux, --domain for profile with --root.  Saved
reports (report, diff) are JSON, not XML, and are not a surface here.

Usage: xml.py KVMAUDIT SOURCE_ROOT WORK_DIR"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import io_run  # noqa: E402

TIME_MAX = 10.0        # seconds
RSS_MAX_KB = 128 * 1024
OUTPUT_MAX = 2 << 20   # bytes of report/facts/profile output
ENTITY = "A" * 10240   # the 10 KB entity
CANARY = "kvmaudit-canary-passwd"

UUID = "11111111-2222-3333-4444-555555555555"


def body(root, inner):
    """The document element of each surface around @inner."""
    inner = inner.replace("vm", "evil") if inner == "vm" else inner
    if root == "domain":
        return ("<domain type='kvm'>\n<name>%s</name>\n<uuid>%s</uuid><memory>1024</memory>"
                "<os><type>hvm</type></os></domain>\n" % (inner, UUID))
    if root == "domstatus":
        return ("<domstatus state='running' pid='1'>\n<domain type='kvm' id='1'><name>%s</name>"
                "<uuid>%s</uuid><memory>1024</memory><os><type>hvm</type></os></domain></domstatus>\n"
                % (inner, UUID))
    return "<network>\n<name>%s</name><forward mode='nat'/></network>\n" % inner


def doc(shape, root):
    x = '<?xml version="1.0"?>\n'
    if shape == "entity-bomb":  # the case: 10 KB entity x 10,000
        return x + '<!DOCTYPE %s [\n<!ENTITY e "%s">\n]>\n' % (root, ENTITY) + body(root, "&e;" * 10000)
    if shape == "billion-laughs":
        ents = '<!ENTITY l0 "lol">\n' + "".join(
            '<!ENTITY l%d "%s">\n' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, 10))
        return x + "<!DOCTYPE %s [\n%s]>\n" % (root, ents) + body(root, "&l9;")
    if shape == "xxe-file":
        return (x + '<!DOCTYPE %s [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n' % root
                + body(root, "&x;"))
    if shape == "external-dtd":
        return x + '<!DOCTYPE %s SYSTEM "http://127.0.0.1:9/evil.dtd">\n' % root + body(root, "vm")
    if shape == "parameter-entity":
        return (x + '<!DOCTYPE %s [\n<!ENTITY %% p SYSTEM "file:///etc/passwd">\n%%p;\n]>\n' % root
                + body(root, "vm"))
    if shape == "doctype-plain":
        return x + "<!DOCTYPE %s>\n" % root + body(root, "vm")
    if shape == "undeclared-entity":
        return x + body(root, "&xxe;")
    if shape == "deep-nesting":
        n = 100000
        return x + body(root, "vm").replace("</name>", "</name>" + "<a>" * n + "</a>" * n, 1)
    if shape == "huge":
        return x + body(root, "vm").replace("</name>", "</name><!--" + "x" * (5 << 20) + "-->", 1)
    if shape == "xinclude":
        return x + body(root, "vm").replace(
            "</name>", '</name><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
            'href="file:///etc/passwd" parse="text"/>', 1)
    raise ValueError(shape)


# What each shape must be refused with (None: accepted, nothing fetched).
DOCTYPE = "a DOCTYPE is not allowed"
SHAPES = {
    "entity-bomb": ":2: " + DOCTYPE,
    "billion-laughs": ":2: " + DOCTYPE,
    "xxe-file": ":2: " + DOCTYPE,
    "external-dtd": ":2: " + DOCTYPE,
    "parameter-entity": ":2: " + DOCTYPE,
    "doctype-plain": ":2: " + DOCTYPE,
    "undeclared-entity": ":3: not well-formed XML: Entity 'xxe' not defined",
    "deep-nesting": "elements nested deeper than",
    "huge": {"domain": "larger than 4194304 bytes", "status": "larger than 4194304 bytes",
             "network": "file exceeds the size limit", "profile-xml": "file too large",
             "selinux-xml": "file too large", "profile-domain": "larger than 4194304 bytes"},
    "xinclude": None,
}
SURFACES = ["domain", "status", "network", "profile-xml", "selinux-xml", "profile-domain"]

BENIGN_VM = ("<domain type='kvm'><name>vm1</name><uuid>22222222-2222-3333-4444-555555555555</uuid>"
             "<memory>1024</memory><os><type>hvm</type></os><devices><graphics type='vnc'>"
             "<listen type='network' network='default'/></graphics></devices></domain>\n")


def plant(work, surface, text):
    root = io_run.fresh_dir(os.path.join(work, "root"))
    io_run.write(os.path.join(root, "etc/passwd"), CANARY + "\n")
    io_run.write(os.path.join(root, "etc/libvirt/qemu/vm1.xml"), BENIGN_VM)
    os.makedirs(os.path.join(root, "run/libvirt/qemu"))
    path = {"domain": "etc/libvirt/qemu/evil.xml", "profile-domain": "etc/libvirt/qemu/evil.xml",
            "status": "run/libvirt/qemu/evil.xml", "network": "etc/libvirt/qemu/networks/evil.xml",
            "profile-xml": "evil.xml", "selinux-xml": "evil.xml"}[surface]
    io_run.write(os.path.join(root, path), text)
    return root, os.path.join(root, path)


def command(kvmaudit, surface, root, path, out):
    if surface in ("domain", "status", "network"):
        # collect evaluates every check, so network:* is read (vm1's
        # console listens on network 'default') and its error recorded
        return [kvmaudit, "collect", "--root", root, "-o", out]
    if surface == "profile-xml":
        return [kvmaudit, "profile", "apparmor", "--xml", path, "--root", root, "-o", out]
    if surface == "selinux-xml":
        return [kvmaudit, "profile", "selinux", "--xml", path, "--root", root, "--output-dir", out]
    return [kvmaudit, "profile", "apparmor", "--domain", "evil", "--root", root, "-o", out]


def read_outputs(out):
    if os.path.isdir(out):
        return "".join(open(os.path.join(out, f), errors="replace").read() for f in sorted(os.listdir(out)))
    return open(out, errors="replace").read() if os.path.exists(out) else ""


def case(kvmaudit, work, surface, shape):
    want = SHAPES[shape]
    if isinstance(want, dict):
        want = want[surface]
    if surface == "status" and want and "nested deeper" in want:
        want = "elements nested deeper than 65"  # <domstatus> adds one level
    elif want and "nested deeper" in want:
        want = "elements nested deeper than 64"
    root_elem = {"status": "domstatus", "network": "network"}.get(surface, "domain")
    text = doc(shape, root_elem)
    root, path = plant(work, surface, text)
    out = os.path.join(work, "out")
    if os.path.isdir(out):
        io_run.shutil.rmtree(out)
    elif os.path.exists(out):
        os.unlink(out)
    r = io_run.run(command(kvmaudit, surface, root, path, out), timeout=60)
    problems = []
    if r.timed_out or r.seconds > TIME_MAX:
        problems.append("took %.1f s (limit %.0f)" % (r.seconds, TIME_MAX))
    if r.maxrss_kb > RSS_MAX_KB:
        problems.append("peak RSS %d KB (limit %d)" % (r.maxrss_kb, RSS_MAX_KB))
    if r.rc < 0:
        problems.append("killed by signal %d" % -r.rc)
    output = read_outputs(out) + r.out
    if len(output) > OUTPUT_MAX:
        problems.append("%d bytes of output" % len(output))
    everything = output + r.err
    if "A" * 64 in everything or "lollollol" in everything:
        problems.append("an entity was expanded into the output")
    if CANARY in everything or "root:x:0:0" in everything:
        problems.append("a file was read through an entity or XInclude")
    rel = os.path.relpath(path, root)
    shown = "/" + rel if surface not in ("profile-xml", "selinux-xml") else path
    if want is not None:
        expected = shown + want if want.startswith(":") else want
        if expected not in everything:
            problems.append("no message %r (stderr: %s)" % (expected, r.err.strip()[:300]))
        if surface in ("profile-xml", "selinux-xml", "profile-domain") and r.rc != 2:
            problems.append("exit %d, want 2 (input error)" % r.rc)
        if surface in ("domain", "status", "network") and r.rc not in (0, 1):
            problems.append("exit %d" % r.rc)
        if surface in ("domain", "status") and r.rc == 0:
            facts = json.loads(output[:len(output) - len(r.out)] or "{}").get("facts", {})
            err = facts.get("domain:evil", {})
            if not isinstance(err, dict) or expected not in err.get("error", ""):
                problems.append("domain:evil is %r, not an error" % (str(err)[:200],))
    elif r.rc not in (0, 1):
        problems.append("exit %d (stderr: %s)" % (r.rc, r.err.strip()[:300]))
    return problems, r


def main():
    kvmaudit, _src, work = sys.argv[1:4]
    kvmaudit = os.path.abspath(kvmaudit)
    work = io_run.fresh_dir(os.path.abspath(work))
    failures, total = [], 0
    for surface in SURFACES:
        for shape in SHAPES:
            total += 1
            problems, r = case(kvmaudit, work, surface, shape)
            label = "%s/%s" % (surface, shape)
            print("%s %s: %r" % ("ok" if not problems else "not ok", label, r))
            if problems:
                failures.append("%s: %s" % (label, "; ".join(problems)))
    return io_run.report("xml", failures, total)


if __name__ == "__main__":
    sys.exit(main())
