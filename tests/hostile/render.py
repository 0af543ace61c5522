#!/usr/bin/env python3
"""Hostile-input suite, surface "render": every human-readable output and
message kvmaudit writes, fed hostile strings.

A table of hostile strings (CR/LF, ESC sequences, the C1 CSI U+009B, other
C0 controls, backticks/pipes/<img>/<a>, markdown images and links,
U+FFFE/U+FFFF, bytes that are not UTF-8, bidi controls, a very long
string) x every place such a string enters (a --root tree's hostname,
kernel release and /boot/config-* name; a facts file's meta:root, hostname
and a fact value; a waiver file's reason and check id; a report file's
hostname, check id, subject, evidence, remediation, category and a JSON
key) x every format (text, markdown,
junit, html, sarif, prometheus, json) of "scan --root/--facts",
"report FILE -f F" (also on the JSON that scan wrote) and "diff A B -f F".

Each case asserts the safe behaviour:
  - kvmaudit either renders (exit 0 or 1) or refuses the input with a
    message (exit 2), never crashes (exit 3 or a signal);
  - no raw control character reaches stdout or stderr (C0 but newline and
    tab, DEL, C1, U+FFFE/U+FFFF, bidi controls, line separators), and both
    are valid UTF-8;
  - where the string reached the output (its marker is there), the
    character is there as a visible escape (\\x1b, \\u009b, \\ufffe, ...);
  - text: exactly one line starting with "Score:";
  - markdown: every table row has the header's column count, no raw HTML
    tag and no image or link syntax from the input, <details>/<summary>
    balanced;
  - junit: well-formed XML (xmllint); sarif: strict JSON valid against the
    SARIF 2.1.0 schema; html: well-formed, no element or URL from the input;
    prometheus: promtool check metrics; json: strict JSON, no raw C1.

Usage: render.py KVMAUDIT SOURCE_ROOT WORK_DIR
Prints "hostile render: N cases, N failed"; exit 1 on any failure.
"""
import copy
import html.parser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

FORMATS = ["text", "markdown", "junit", "html", "sarif", "prometheus", "json"]
DIFF_FORMATS = ["text", "markdown", "json"]

# name -> (hostile string (str; lone surrogates stand for bytes that are
# not UTF-8, written with surrogateescape), visible escape expected per
# output family; None: nothing to see (the string is printable))
LONG = "A" * 100000
HOSTILE = [
    ("crlf", "evil\r\nScore: 100.0/100  pass 99, fail 0, skip 0, error 0, waived 0",
     {"line": "\\r\\n", "md": "\\r<br>", "lines": "\\r", "prom": "\\\\r\\n", "json": "\\r\\n"}),
    ("lf", "x\nScore: 100.0/100  pass 99, fail 0, skip 0, error 0, waived 0",
     {"line": "\\n", "md": "<br>", "lines": None, "prom": "\\n", "json": "\\n"}),
    ("esc", "cfg\x1b[2J\x1b[1;31mFAKE\x1b]0;pwned\x07",
     {"line": "\\x1b[2J", "md": "\\x1b\\[2J", "prom": "\\\\x1b[2J", "json": "\\u001b[2J"}),
    ("c1-csi", "6.1.0\u009b31m-amd64\u0085",
     {"line": "\\u009b31m", "prom": "\\\\u009b31m", "json": "\\u009b31m"}),
    ("c0", "a\x01\x02\x08\x0b\x0c\x0e\x1f\x7fb",
     {"line": "\\x01\\x02", "prom": "\\\\x01\\\\x02", "json": "\\u0001\\u0002"}),
    ("md-html", "a` | <img src=x onerror=alert(1)> <a href=https://evil.invalid/>click</a> |`", None),
    ("md-link", "![p](https://evil.invalid/p.png) [c](https://evil.invalid/) ``x`<img src=y>`", None),
    ("nonchar", "a\ufffeb\uffffc", {"line": "\\ufffe", "prom": "\\\\ufffe", "json": "\\ufffe"}),
    ("bad-utf8", "bad\udcff\udcfe\udcc3(\udced\udca0\udc80",
     {"line": "\\xff\\xfe", "prom": "\\\\xff\\\\xfe", "json": "\\\\xff\\\\xfe"}),
    ("bidi", "abc\u202edcba\u2066x\u2028y", {"line": "\\u202e", "prom": "\\\\u202e", "json": "\\u202e"}),
    # hostile at both ends: evidence is cut at RESULT_EVIDENCE_MAX, a file
    # name at NAME_MAX
    ("long", "\x1b[2J" + LONG + "\x1b[2J",
     {"line": "\\x1b[2J", "md": "\\x1b\\[2J", "prom": "\\\\x1b[2J", "json": "\\u001b[2J"}),
]

# Output family of a format: which visible form a control takes there.
FAMILY = {"text": "line", "markdown": "md", "html": "lines", "junit": "lines", "sarif": "lines",
          "prometheus": "prom", "json": "json"}

# Raw characters that must never reach an output: C0 but tab and newline,
# DEL, C1, line separators, bidi controls, U+FFFE/U+FFFF.
RAW_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffe\uffff]")


def marker(name):
    return "Zq%sQz" % name.replace("-", "")


def hostile_value(name, s):
    """The string as it enters: a marker first (to see whether it reached
    an output), then the hostile part."""
    return marker(name) + " " + s


def to_bytes(s):
    return s.encode("utf-8", "surrogateescape")


def visible_for(vis, fmt):
    """The visible escape expected in @fmt's output, or None."""
    if vis is None:
        return None
    fam = FAMILY[fmt]
    if fam in vis:
        return vis[fam]
    return vis.get("line") if fam in ("md", "lines") else None


# ---- checkers, each returns a list of problems -------------------------

def check_raw(label, data):
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return ["%s is not UTF-8: %s" % (label, e)], None
    m = RAW_BAD.search(text)
    if m:
        ctx = text[max(0, m.start() - 30):m.start() + 10]
        return ["raw U+%04X in %s near %r" % (ord(m.group()), label, ctx)], text
    return [], text


def md_cells(line):
    """Pipes of a GFM table row that split cells: those not escaped by a
    backslash (GFM splits on them inside code spans too)."""
    n, bs = 0, 0
    for ch in line:
        if ch == "|" and bs % 2 == 0:
            n += 1
        bs = bs + 1 if ch == "\\" else 0
    return n


# A CommonMark code span: a run of N backticks (not escaped) up to the next
# run of exactly N.
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(.*?[^`])\1(?!`)", re.S)


def check_markdown(text):
    problems = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|[-:|]+\|$", lines[i + 1]):
            want = md_cells(lines[i])
            j = i + 1
            while j < len(lines) and lines[j].startswith("|"):
                if md_cells(lines[j]) != want:
                    problems.append("markdown table row has %d pipes, header %d: %r"
                                    % (md_cells(lines[j]), want, lines[j][:120]))
                j += 1
            i = j
        else:
            i += 1
    # Code spans are literal text to a markdown renderer (catalogue prose
    # keeps them); what is left must hold no tag, image or link from input.
    outside = CODE_SPAN.sub("", text)
    for m in re.finditer(r"(?<!\\)<(img|a|script|iframe)\b", outside, re.I):
        problems.append("raw HTML tag from input in markdown: %r" % outside[m.start():m.start() + 40])
    # <details><summary> lines are an HTML block: markdown is not parsed there
    md_lines = "\n".join(line for line in outside.split("\n") if not line.startswith("<details>"))
    for m in re.finditer(r"(?<!\\)!\[|(?<!\\)\[[^\]\n]*(?<!\\)\]\(https?://evil", md_lines):
        problems.append("image or link syntax from input in markdown: %r" % md_lines[m.start():m.start() + 40])
    for a, b in (("<details>", "</details>"), ("<summary>", "</summary>")):
        if text.count(a) != text.count(b):
            problems.append("%s and %s do not balance" % (a, b))
    return problems


def check_text(text):
    n = sum(1 for line in text.split("\n") if line.startswith("Score:"))
    return [] if n == 1 else ["%d lines start with Score: (want 1)" % n]


# Attributes whose value a browser fetches, follows or runs.
URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "style", "background"}


class Html(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "iframe", "object", "embed"):
            self.bad.append("<%s> in the HTML report" % tag)
        for name, value in attrs:
            if value and "evil.invalid" in value and (name in URL_ATTRS or name.startswith("on")):
                self.bad.append("<%s %s=%r>: a URL from input" % (tag, name, value[:60]))


def check_html(text, golden):
    # run-golden's checker also refuses any URL in any attribute (the
    # page must fetch nothing); an escaped URL in a data-* or value
    # attribute fetches nothing: URL_ATTRS are checked below.
    problems = ["HTML: " + p for p in golden.validate_html(text)
                if "names a URL outside the references" not in p][:5]
    p = Html()
    p.feed(text)
    p.close()
    return problems + p.bad[:5]


class Tools:
    def __init__(self, src, work):
        self.src, self.work = src, work
        self.xmllint = shutil.which("xmllint")
        self.promtool = shutil.which("promtool")
        spec = importlib.util.spec_from_file_location("run_golden", os.path.join(src, "tests", "run-golden.py"))
        self.golden = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(self.golden)
        try:
            import jsonschema
            with open(os.path.join(src, "tests", "schemas", "sarif-2.1.0.json")) as f:
                schema = json.load(f)
            self.sarif = jsonschema.validators.validator_for(schema)(schema)
        except ImportError:
            self.sarif = None

    def check_format(self, fmt, data, text):
        problems = []
        if fmt == "text":
            problems += check_text(text)
        elif fmt == "markdown":
            problems += check_markdown(text)
        elif fmt == "html":
            problems += check_html(text, self.golden)
        elif fmt == "junit":
            if self.xmllint:
                r = subprocess.run([self.xmllint, "--noout", "-"], input=data, capture_output=True)
                if r.returncode != 0 or r.stderr:
                    problems.append("JUnit not well-formed: %s" % r.stderr.decode(errors="replace")[:200])
        elif fmt in ("sarif", "json"):
            try:
                doc = json.loads(text)  # strict: no raw control characters in strings
            except ValueError as e:
                return ["%s is not valid JSON: %s" % (fmt, e)]
            if fmt == "sarif" and self.sarif:
                errs = list(self.sarif.iter_errors(doc))
                if errs:
                    problems.append("SARIF does not validate: %s" % errs[0].message[:200])
                problems += check_json_strings(doc, "sarif")
        elif fmt == "prometheus":
            if self.promtool:
                r = subprocess.run([self.promtool, "check", "metrics"], input=data, capture_output=True)
                if r.returncode != 0:
                    problems.append("promtool: %s" % (r.stdout + r.stderr).decode(errors="replace")[:200])
            if sum(1 for line in text.split("\n") if line.startswith("kvmaudit_score ")) > 1:
                problems.append("more than one kvmaudit_score sample")
        return problems


def json_strings(v):
    """Every string of a JSON document, keys too."""
    if isinstance(v, str):
        yield v
    elif isinstance(v, dict):
        for k, x in v.items():
            yield k
            yield from json_strings(x)
    elif isinstance(v, list):
        for x in v:
            yield from json_strings(x)


def check_json_strings(doc, label):
    """SARIF is shown as it is: its decoded strings carry no control
    characters but tab and newline either."""
    out = []
    for v in json_strings(doc):
        m = RAW_BAD.search(v)
        if m:
            out.append("%s string holds raw U+%04X: %r" % (label, ord(m.group()), v[:60]))
            if len(out) == 3:
                break
    return out


# ---- running one case ----------------------------------------------------

def run_case(tools, cmd, fmt, name, vis):
    """Runs kvmaudit; returns (problems, stdout bytes)."""
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return ["timed out"], b""
    problems = []
    if r.returncode < 0 or r.returncode >= 3:
        problems.append("exit %d: %s" % (r.returncode, r.stderr[:200]))
    p, err = check_raw("stderr", r.stderr)
    problems += p
    # libxml2 reports characters it could not write on stderr and drops them
    if err and re.search(r"output error|encoding error|I/O error", err):
        problems.append("stderr: %r" % err[:200])
    if r.returncode == 2:
        if not r.stderr.strip():
            problems.append("refused without a message")
        return problems, b""
    p, text = check_raw("stdout (%s)" % fmt, r.stdout)
    problems += p
    if text is None:
        return problems, r.stdout
    problems += tools.check_format(fmt, r.stdout, text)
    want = visible_for(vis, fmt)
    view = text
    if fmt == "sarif":
        try:
            strings = json_strings(json.loads(text))
            # a file URI (artifactLocation, issue 17) carries a hostile
            # path percent-encoded (RFC 3986), its escape: nothing else
            uris = [x for x in strings if x.startswith("file://")]
            problems += ["SARIF URI not percent-encoded: %r" % u[:120] for u in uris
                         if not re.fullmatch(r"file://[A-Za-z0-9/%._~-]*", u)]
            view = "\n".join(x for x in strings if not x.startswith("file://"))
        except ValueError:
            pass
    # markdown escapes a backslash that was already in the value (a report
    # that kvmaudit wrote holds the visible escapes of the scan)
    if want and marker(name) in view and want not in view and \
            not (fmt == "markdown" and want.replace("\\", "\\\\") in view):
        problems.append("%s reached the %s output but %r is not there" % (name, fmt, want))
    return problems, r.stdout


# ---- entry points (scans run without --reproducible, which would leave
# the host name and root out) ----------------------------------------------------------

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def make_root(base, entry, value):
    """A small --root tree with @value in one place."""
    shutil.rmtree(base, ignore_errors=True)
    write(os.path.join(base, "proc/sys/kernel/hostname"), b"kvm-host-1\n")
    write(os.path.join(base, "proc/sys/kernel/osrelease"), b"6.1.0-18-amd64\n")
    write(os.path.join(base, "boot/config-6.1.0-18-amd64"), b"CONFIG_KVM=y\n")
    v = to_bytes(value)
    if entry == "hostname":
        write(os.path.join(base, "proc/sys/kernel/hostname"), v + b"\n")
    elif entry == "osrelease":
        write(os.path.join(base, "proc/sys/kernel/osrelease"), v + b"\n")
    elif entry == "boot-config-name":
        # no release: the highest /boot/config-* is read and its name reported
        os.unlink(os.path.join(base, "proc/sys/kernel/osrelease"))
        os.unlink(os.path.join(base, "boot/config-6.1.0-18-amd64"))
        name = v.replace(b"/", b"_").replace(b"\0", b"")
        if len(name) > 200:  # NAME_MAX is 255: keep the head and the hostile tail
            name = name[:100] + name[-40:]
        write(os.path.join(os.fsencode(base), b"boot/config-9." + name), b"CONFIG_KVM=y\n")


def facts_file(base_facts, entry, value, path):
    facts = copy.deepcopy(base_facts)
    key = {"meta-root": "meta:root", "hostname": "sysctl:kernel.hostname",
           "fact-value": "cmdline:mitigations"}[entry]
    facts["facts"][key] = value
    write(path, json.dumps(facts, ensure_ascii=False, indent=1).encode("utf-8", "surrogateescape"))


def waiver_file(check_id, entry, value, path):
    if entry == "reason":
        text = "[%s]\nreason = %s\nowner = platform-team@example.com\nexpires = 2099-12-31\n" % (check_id, value)
    else:  # the section's check id: quoted back in the error message
        text = "[%s]\nreason = r\nowner = o\nexpires = 2099-12-31\n" % value
    write(path, to_bytes(text))


def report_file(base, entry, value, path):
    rep = copy.deepcopy(base)
    results = rep["results"]
    first = next(r for r in results if r["status"] == "fail")
    if entry == "hostname":
        rep["host"]["hostname"] = value
    elif entry == "check-id":
        first["id"] = value
    elif entry == "subject":
        first["subject"] = value
    elif entry == "evidence":
        first["observed"] = value
    elif entry == "remediation":
        for r in results:
            if r["id"] == first["id"]:
                r["remediation"] = value
    elif entry == "category":
        old = first["category"]
        for r in results:
            if r["category"] == old:
                r["category"] = value
        rep["categories"][value] = rep["categories"].pop(old)
    elif entry == "json-key":
        rep["categories"][value] = dict(rep["categories"][first["category"]])
    write(path, json.dumps(rep, ensure_ascii=False, indent=2).encode("utf-8", "surrogateescape"))


def main():
    kvmaudit, src, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    tools = Tools(src, work)
    cases = failed = 0

    def record(label, problems):
        nonlocal cases, failed
        cases += 1
        if problems:
            failed += 1
            print("FAIL %s: %s" % (label, "; ".join(str(p) for p in problems[:4])))

    # the base facts file: what collect writes for a small tree
    root = os.path.join(work, "root")
    make_root(root, None, "")
    base_facts_path = os.path.join(work, "base-facts.json")
    r = subprocess.run([kvmaudit, "collect", "--root", root, "-o", base_facts_path], capture_output=True)
    if r.returncode != 0:
        print("FAIL: collect of the base tree: %s" % r.stderr.decode(errors="replace"))
        print("hostile render: 1 cases, 1 failed")
        return 1
    with open(base_facts_path) as f:
        base_facts = json.load(f)
    # a check that fails on that tree, to waive
    r = subprocess.run([kvmaudit, "scan", "--facts", base_facts_path, "--format", "json"], capture_output=True)
    failing = [x for x in json.loads(r.stdout)["results"] if x["status"] == "fail" and x["subject"] == "host"]
    if not failing:
        print("FAIL: the base tree has no failing host check to waive")
        print("hostile render: 1 cases, 1 failed")
        return 1
    waive_id = failing[0]["id"]
    # the base report: a fixture host with failures of every kind
    with open(os.path.join(src, "tests", "golden", "insecure-intel.json")) as f:
        base_report = json.load(f)
    base_report_path = os.path.join(work, "base-report.json")
    write(base_report_path, json.dumps(base_report, indent=2).encode())

    for name, s, vis in HOSTILE:
        value = hostile_value(name, s)
        # a --root tree
        for entry in ("hostname", "osrelease", "boot-config-name"):
            make_root(root, entry, value)
            scan_json = None
            for fmt in FORMATS:
                label = "%s root:%s scan -f %s" % (name, entry, fmt)
                problems, out = run_case(tools, [kvmaudit, "scan", "--root", root, "--format", fmt], fmt, name, vis)
                record(label, problems)
                if fmt == "json" and out:
                    scan_json = os.path.join(work, "scan.json")
                    write(scan_json, out)
            # the JSON that scan wrote, read back
            if scan_json:
                for fmt in FORMATS:
                    problems, _ = run_case(tools, [kvmaudit, "report", scan_json, "--format", fmt], fmt, name, vis)
                    record("%s root:%s scan|report -f %s" % (name, entry, fmt), problems)
        # a facts file
        for entry in ("meta-root", "hostname", "fact-value"):
            path = os.path.join(work, "facts.json")
            facts_file(base_facts, entry, value, path)
            for fmt in FORMATS:
                problems, _ = run_case(tools, [kvmaudit, "scan", "--facts", path, "--format", fmt], fmt, name, vis)
                record("%s facts:%s scan -f %s" % (name, entry, fmt), problems)
        # a waiver file (scan --facts of the same tree, with --waivers)
        for entry in ("reason", "check-id"):
            path = os.path.join(work, "waivers")
            waiver_file(waive_id, entry, value, path)
            for fmt in FORMATS:
                problems, _ = run_case(tools, [kvmaudit, "scan", "--facts", base_facts_path, "--waivers", path,
                                               "--format", fmt], fmt, name, vis)
                record("%s waiver:%s scan -f %s" % (name, entry, fmt), problems)
        # a report file
        for entry in ("hostname", "check-id", "subject", "evidence", "remediation", "category", "json-key"):
            path = os.path.join(work, "report.json")
            report_file(base_report, entry, value, path)
            for fmt in FORMATS:
                problems, _ = run_case(tools, [kvmaudit, "report", path, "--format", fmt], fmt, name, vis)
                record("%s report:%s report -f %s" % (name, entry, fmt), problems)
            for fmt in DIFF_FORMATS:
                problems, _ = run_case(tools, [kvmaudit, "diff", base_report_path, path, "--format", fmt],
                                       fmt, name, vis)
                record("%s report:%s diff -f %s" % (name, entry, fmt), problems)

    print("hostile render: %d cases, %d failed" % (cases, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
