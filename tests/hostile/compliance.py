#!/usr/bin/env python3
"""Hostile-input suite, surface "compliance": the control keys of a
catalogue file (a site check read with --checks DIR), the "controls" of a
saved JSON report (kvmaudit report FILE), the --framework value, and the
XCCDF output fed hostile strings.

Each row is one input and the safe behaviour expected of it:
  - a bad key or identifier: exit 2, the message names the file and line
    (catalogue) or the JSON path (report) and the value; nothing on stdout;
  - a good one: exit 0 and the identifiers where they belong;
  - hostile strings in a report rendered as XCCDF: exit 0, well-formed XML
    that "oscap xccdf validate" accepts, no raw control character, the
    character visible as an escape.

Usage: compliance.py KVMAUDIT SOURCE_ROOT
Prints "hostile compliance: N cases, N failed"; exit 1 on any failure.
"""
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

K, SRC = sys.argv[1], sys.argv[2]
RAW_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069\ufffe\uffff]")

HEAD = """[kernel.site]
title = A site check
category = kernel
severity = low
scope = host
expect = sysctl:kernel.x eq 1
rationale = r
remediation = m
"""
KEY_LINE = 9   # the line the key below HEAD lands on

# (name, key lines appended to HEAD, expected exit, regex the message must match)
CATALOGUE = [
    ("good-all", "nist-800-53 = SC-39, AC-6(9)\nsrg = SRG-OS-000408-VMM-001680\ncci = CCI-002530\ncis = 1.5.2\n",
     0, None),
    ("nist-family", "nist-800-53 = XY-1\n", 2, r'site\.check:9: "XY-1" is not a nist-800-53 identifier'),
    ("nist-lower", "nist-800-53 = sc-39\n", 2, r'site\.check:9: "sc-39" is not a nist-800-53'),
    ("nist-part", "nist-800-53 = CM-6 b\n", 2, r'site\.check:9: "CM-6 b" is not a nist-800-53'),
    ("nist-space-enh", "nist-800-53 = AC-6 (9)\n", 2, r'site\.check:9: "AC-6 \(9\)" is not'),
    ("nist-leading-zero", "nist-800-53 = SC-07\n", 2, r'site\.check:9: "SC-07" is not'),
    ("nist-huge", "nist-800-53 = SC-999999999999999999999\n", 2, r'site\.check:9: "SC-9+" is not'),
    ("nist-empty-item", "nist-800-53 = SC-39,,SC-3\n", 2, r"site\.check:9: empty item in the nist-800-53 list"),
    ("nist-dup", "nist-800-53 = SC-39, SC-39\n", 2, r'site\.check:9: "SC-39" is listed twice'),
    ("srg-gpos", "srg = SRG-OS-000480-GPOS-00227\n", 2, r'site\.check:9: "SRG-OS-000480-GPOS-00227" is not a srg'),
    ("srg-short", "srg = SRG-OS-408-VMM-1680\n", 2, r'site\.check:9: "SRG-OS-408-VMM-1680" is not a srg'),
    ("srg-invented", "srg = SRG-OS-000999-VMM-009990\n", 2,
     r'site\.check:9: "SRG-OS-000999-VMM-009990" is not a requirement of the VMM SRG V2R2'),
    ("srg-withdrawn", "srg = SRG-OS-000373-VMM-001470\n", 2,
     r'site\.check:9: "SRG-OS-000373-VMM-001470" is not a requirement of the VMM SRG V2R2'),
    ("cci-short", "cci = CCI-2530\n", 2, r'site\.check:9: "CCI-2530" is not a cci'),
    ("nist-enh-zero", "nist-800-53 = AC-6(0)\n", 2, r'site\.check:9: "AC-6\(0\)" is not a nist-800-53'),
    ("cci-utf8", "cci = CCI-00253\u0660\n", 2, r'site\.check:9: "CCI-00253.+" is not a cci'),
    ("cis-letters", "cis = 1.a\n", 2, r'site\.check:9: "1\.a" is not a cis'),
    ("repeated", "cci = CCI-002530\ncci = CCI-000366\n", 2, r'site\.check:10: key "cci" given twice'),
    ("srg-lower", "srg = srg-os-000408-vmm-001680\n", 2, r'site\.check:9: "srg-os-000408-vmm-001680" is not a srg'),
    ("too-many", "cci = " + ", ".join("CCI-%06d" % i for i in range(65)) + "\n", 2,
     r"site\.check:9: more than 64 cci identifiers in one check"),
]

# (name, function mutating result 0 of a saved report, exit, message regex)
REPORT = [
    ("controls-ok", lambda r: r.update(controls={"nist-800-53": ["SC-39"], "cci": ["CCI-002530"]}), 0, None),
    ("controls-absent", lambda r: r.pop("controls", None), 0, None),
    # a later SRG release's requirement, written by a later kvmaudit: well-formed is enough here
    ("srg-later-release", lambda r: r.update(controls={"vmm-srg": ["SRG-OS-000999-VMM-009990"]}), 0, None),
    ("controls-not-object", lambda r: r.update(controls=["SC-39"]), 2, r"results\[0\]\.controls: must be an object"),
    ("framework-unknown", lambda r: r.update(controls={"iso": ["A.1"]}), 2,
     r"results\[0\]\.controls\.iso: unknown framework"),
    ("list-not-array", lambda r: r.update(controls={"cci": "CCI-002530"}), 2,
     r"results\[0\]\.controls\.cci: must be an array"),
    ("item-not-string", lambda r: r.update(controls={"cci": [2530]}), 2, r"controls\.cci\[0\]: must be a string"),
    ("bad-id", lambda r: r.update(controls={"nist-800-53": ["SC-39; rm -rf /"]}), 2,
     r'results\[0\]\.controls\.nist-800-53: "SC-39; rm -rf /" is not a nist-800-53 identifier'),
    ("esc-id", lambda r: r.update(controls={"vmm-srg": ["SRG\x1b[2J"]}), 2,
     r"results\[0\]\.controls\.vmm-srg: .*\\x1b\[2J.* is not a vmm-srg identifier"),
    ("empty-list", lambda r: r.update(controls={"cci": []}), 2, r"results\[0\]\.controls\.cci: empty"),
    ("dup", lambda r: r.update(controls={"cci": ["CCI-002530", "CCI-002530"]}), 2, r'"CCI-002530" is listed twice'),
    ("nul", lambda r: r.update(controls={"cci": ["CCI-002530\u0000"]}), 2, r"controls\.cci\[0\]"),
    ("too-many", lambda r: r.update(controls={"cci": ["CCI-%06d" % i for i in range(65)]}), 2,
     r"controls\.cci: more than 64 entries"),
]

# (name, --framework value, exit, message regex)
FRAMEWORK = [
    ("nist", "nist-800-53", 0, None),
    ("srg", "vmm-srg", 0, None),
    ("cci", "cci", 0, None),
    ("key-not-name", "srg", 2, r'unknown framework "srg" \(known: nist-800-53, vmm-srg, cci\)'),
    ("cis-no-view", "cis", 2, r'unknown framework "cis"'),
    ("empty", "", 2, r'unknown framework ""'),
    ("esc", "nist\x1b[2J", 2, r'unknown framework "nist\\x1b\[2J"'),
]

# hostile strings placed in a report's evidence, subject and host name, rendered as XCCDF
HOSTILE = [
    ("esc", "cfg\x1b[2J\x1b]0;pwned\x07", "\\x1b[2J"),
    ("c1", "a\u009b31m\u0085b", "\\u009b"),
    ("nonchar", "a\ufffeb\uffffc", "\\ufffe"),
    ("xml", "]]></result><result>pass</result><!--", None),
    ("bidi", "abc\u202edcba", "\\u202e"),
]

failed = 0
cases = 0


def case(name, problems):
    global failed, cases
    cases += 1
    if problems:
        failed += 1
        print(f"FAIL {name}: " + "; ".join(problems))
    else:
        print(f"ok   {name}")


def run(args):
    p = subprocess.run([K] + args, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def expect(rc, out, err, want_rc, want_msg, stdout_empty=True):
    problems = []
    if rc != want_rc:
        problems.append(f"exit {rc}, expected {want_rc}: {err.strip()[:200]}")
    if want_msg and not re.search(want_msg, err):
        problems.append(f"message /{want_msg}/ not in: {err.strip()[:200]}")
    if want_rc == 2 and stdout_empty and out:
        problems.append("output on stdout")
    if RAW_BAD.search(err) or RAW_BAD.search(out):
        problems.append("raw control character in the output")
    return problems


tmp = tempfile.mkdtemp(prefix="hostile-compliance.")
try:
    for name, keys, want_rc, msg in CATALOGUE:
        d = os.path.join(tmp, "cat-" + name)
        os.mkdir(d)
        with open(os.path.join(d, "site.check"), "w", encoding="utf-8") as f:
            f.write(HEAD + keys)
        rc, out, err = run(["explain", "--checks", d, "kernel.site"])
        problems = expect(rc, out, err, want_rc, msg)
        if want_rc == 0 and "SRG-OS-000408-VMM-001680" not in out:
            problems.append("explain does not list the SRG requirement")
        case("catalogue " + name, problems)

    base = json.load(open(os.path.join(SRC, "tests/golden/insecure-intel.json"), encoding="utf-8"))
    for name, mutate, want_rc, msg in REPORT:
        rep = copy.deepcopy(base)
        # every result of the same check must agree: mutate them all
        first = rep["results"][0]["id"]
        for r in rep["results"]:
            if r["id"] == first:
                mutate(r)
        path = os.path.join(tmp, f"report-{name}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(rep, f)
        rc, out, err = run(["report", path, "-f", "json", "--framework", "cci"])
        problems = expect(rc, out, err, want_rc, msg)
        if want_rc == 0 and name == "controls-ok":
            try:
                d = json.loads(out)
                if d["results"][0].get("controls", {}).get("cci") != ["CCI-002530"]:
                    problems.append("controls not read back")
            except (ValueError, KeyError, IndexError) as e:
                problems.append(f"no JSON report on stdout ({e})")
        case("report " + name, problems)

    good = os.path.join(tmp, "good.json")
    shutil.copy(os.path.join(SRC, "tests/golden/insecure-intel.json"), good)
    for name, value, want_rc, msg in FRAMEWORK:
        rc, out, err = run(["report", good, "--framework", value])
        problems = expect(rc, out, err, want_rc, msg)
        if want_rc == 0 and "\nControls: " not in out:
            problems.append("no per-control view")
        case("framework " + name, problems)

    oscap = shutil.which("oscap")
    for name, s, visible in HOSTILE:
        rep = copy.deepcopy(base)
        rep["host"]["hostname"] = s
        rep["results"][0]["observed"] = s
        for r in rep["results"]:
            if r["id"] == rep["results"][0]["id"]:
                r["title"] = "T " + s
        rep["results"][1]["subject"] = "domain:" + s
        path = os.path.join(tmp, f"xccdf-{name}.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(rep, f)
        out_path = os.path.join(tmp, f"{name}.xccdf.xml")
        rc, out, err = run(["report", path, "-f", "xccdf", "-o", out_path])
        problems = expect(rc, out, err, 0, None)
        text = open(out_path, encoding="utf-8", errors="replace").read() if os.path.exists(out_path) else ""
        if RAW_BAD.search(text):
            problems.append("raw control character in the XCCDF")
        if visible and visible not in text:
            problems.append(f"{visible} not visible in the XCCDF")
        if not oscap:
            problems.append("oscap not found (openscap-scanner)")
        else:
            v = subprocess.run([oscap, "xccdf", "validate", out_path], capture_output=True, text=True)
            if v.returncode != 0:
                problems.append("oscap xccdf validate: " + (v.stdout + v.stderr).strip()[:200])
        case("xccdf " + name, problems)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

print(f"hostile compliance: {cases} cases, {failed} failed")
sys.exit(1 if failed else 0)
