#!/usr/bin/env python3
"""Golden tests.  The renderers are tested once, on one rich report; the
fixture hosts are checked as JSON only (their verdicts: every fixture's
(check, subject, status) and evidence).

- Fixture hosts: each tree under tests/fixtures/hosts/ is built (mkfixture.py)
  and scanned with --reproducible --format json, and each facts scenario
  tests/fixtures/facts/NAME.json with "scan --facts" (plus the options in
  NAME.args, one a line); compared byte for byte with tests/golden/NAME.json.
- The rich report: tests/fixtures/rich/rich.json (see make-rich.py there:
  errors, hostile strings, skips, VMs and QEMU processes, findings located at
  a file and line) with a waiver and a check selection, rendered in every
  format (tests/golden/rich.*), and once more with a selection that has no
  failure and a category without a score (tests/golden/rich-clean.*).
  Together they execute every renderer line that rendering every fixture
  host in every format did (measured with gcov when the per-fixture files
  were dropped; tests/README).

KVMAUDIT_TEST_REGENERATE=1 rewrites the golden files instead (and removes
golden files the suite no longer writes); KVMAUDIT_TEST_FORMATS="json text"
limits both to those formats.  Every JSON report is also validated against
report/schema/report.schema.json, every JUnit report must be valid against
junit-10.xsd (xmllint), every SARIF report must validate against the SARIF
2.1.0 schema (tests/schemas/sarif-2.1.0.json) and carry what code scanning
needs, every Prometheus report must pass "promtool check metrics", and every
HTML report must be well-formed and fetch nothing (validate_html below).

Usage: run-golden.py KVMAUDIT SOURCE_ROOT WORK_DIR [SCENARIO...]"""
import difflib
import html.parser
import json
import os
import shutil
import subprocess
import sys

FORMATS = [("json", "json"), ("text", "txt"), ("junit", "junit.xml"), ("markdown", "md"),
           ("sarif", "sarif"), ("prometheus", "prom"), ("html", "html")]

# HTML elements without an end tag.
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}


class HtmlChecker(html.parser.HTMLParser):
    """Well-formedness (every element closed, properly nested) and
    self-containment: no attribute and no style or script text names an
    http(s) URL, except the href of a link in a finding's References."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.last_dt = ""
        self.in_dt = False
        self.refs_depth = None  # stack depth of the References <dd>

    def error_at(self, msg):
        self.errors.append("line %d: %s" % (self.getpos()[0], msg))

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and ("http://" in value or "https://" in value):
                if not (tag == "a" and name == "href" and self.refs_depth is not None):
                    self.error_at("<%s %s> names a URL outside the references: %s" % (tag, name, value))
        if tag in VOID_ELEMENTS:
            return
        if tag == "dt":
            self.in_dt, self.last_dt = True, ""
        if tag == "dd" and self.last_dt == "References":
            self.refs_depth = len(self.stack)
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        # <circle .../> in inline SVG
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            self.error_at("end tag of void element </%s>" % tag)
            return
        if not self.stack or self.stack[-1] != tag:
            self.error_at("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()
        if tag == "dt":
            self.in_dt = False
        if self.refs_depth is not None and len(self.stack) == self.refs_depth:
            self.refs_depth = None

    def handle_data(self, data):
        if self.in_dt:
            self.last_dt += data
        if self.stack and self.stack[-1] in ("style", "script") and ("http://" in data or "https://" in data):
            self.error_at("<%s> names a URL" % self.stack[-1])


def validate_html(text):
    """Returns a list of problems, empty when the page is fine."""
    p = HtmlChecker()
    if not text.startswith("<!DOCTYPE html>"):
        p.errors.append("no <!DOCTYPE html> first")
    p.feed(text)
    p.close()
    if p.stack:
        p.errors.append("unclosed at the end: %s" % " ".join(p.stack))
    return p.errors


def sarif_consumer_problems(text):
    """What GitHub code scanning needs beyond the schema: a physical
    location with an artifact URI on every result, and partialFingerprints
    that identify one finding (unique within the run)."""
    problems = []
    seen = {}
    for run in json.loads(text)["runs"]:
        for i, res in enumerate(run.get("results", [])):
            locs = res.get("locations") or []
            if not locs or not all(l.get("physicalLocation", {}).get("artifactLocation", {}).get("uri", "")
                                   .startswith("file:///") for l in locs):
                problems.append("results[%d] (%s): no physicalLocation.artifactLocation.uri" % (i, res.get("ruleId")))
            fp = res.get("partialFingerprints", {}).get("kvmauditResult/v1")
            if not fp:
                problems.append("results[%d] (%s): no partialFingerprints" % (i, res.get("ruleId")))
            elif fp in seen:
                problems.append("results[%d] and [%d] share fingerprint %s" % (seen[fp], i, fp))
            else:
                seen[fp] = i
    return problems


# The rich report's variants: name, options after "--facts rich.json".
RICH_VARIANTS = [
    ("rich", ["--skip", "kvm.nx-huge-pages", "--waivers", "@RICH@/rich.waivers"]),
    ("rich-clean", ["--only", "kernel.kvm-built", "--only", "devices.sev-node-mode"]),
]


class Golden:
    def __init__(self, kvmaudit, src, regen, only_formats, xmllint, promtool):
        self.kvmaudit, self.src, self.regen = os.path.abspath(kvmaudit), src, regen
        self.only_formats, self.xmllint, self.promtool = only_formats, xmllint, promtool
        self.golden = os.path.join(src, "tests", "golden")
        self.failed = []
        self.written = set()

    def fail(self, name, msg):
        print("FAIL %s: %s" % (name, msg))
        self.failed.append(name)

    def validate(self, name, fmt, text):
        src = self.src
        if fmt == "json":
            v = subprocess.run([sys.executable, os.path.join(src, "tests", "validate-json.py"),
                                os.path.join(src, "report", "schema", "report.schema.json"), "-"],
                               input=text, capture_output=True, text=True)
            if v.returncode != 0:
                self.fail(name, "report does not validate: %s%s" % (v.stdout, v.stderr))
        if fmt == "junit":
            # Jenkins' xunit plugin validates against junit-10.xsd
            # (tests/schemas/vendor/README.md); GitLab reads the same
            # testsuite/testcase/failure/skipped shape.
            v = subprocess.run([self.xmllint, "--noout", "--schema",
                                os.path.join(src, "tests", "schemas", "vendor", "junit-10.xsd"), "-"],
                               input=text, capture_output=True, text=True)
            if v.returncode != 0:
                self.fail(name, "JUnit report is not valid against junit-10.xsd: %s%s" % (v.stdout, v.stderr))
        if fmt == "sarif":
            for schema in (os.path.join(src, "tests", "schemas", "sarif-2.1.0.json"),
                           os.path.join(src, "tests", "schemas", "vendor", "sarif-schema-2.1.0.json")):
                v = subprocess.run([sys.executable, os.path.join(src, "tests", "validate-json.py"), schema, "-"],
                                   input=text, capture_output=True, text=True)
                if v.returncode != 0:
                    self.fail(name, "SARIF report does not validate against %s: %s%s"
                              % (os.path.basename(schema), v.stdout, v.stderr))
            problems = sarif_consumer_problems(text)
            if problems:
                self.fail(name, "SARIF for code scanning: %s" % "; ".join(problems[:5]))
        if fmt == "prometheus":
            v = subprocess.run([self.promtool, "check", "metrics"], input=text, capture_output=True, text=True)
            if v.returncode != 0:
                self.fail(name, "promtool check metrics: %s%s" % (v.stdout, v.stderr))
        if fmt == "html":
            problems = validate_html(text)
            if problems:
                self.fail(name, "HTML report: %s" % "; ".join(problems[:10]))

    def scan(self, name, source, formats, cwd=None):
        """Scans @source in each of @formats and compares with tests/golden/NAME.EXT.
        @cwd: where kvmaudit runs (relative paths in @source are recorded as
        given, so the goldens do not depend on where the tree is checked out)."""
        for fmt, ext in formats:
            if self.only_formats and fmt not in self.only_formats:
                continue
            path = os.path.join(self.golden, "%s.%s" % (name, ext))
            self.written.add(path)
            cmd = [self.kvmaudit, "scan"] + source + ["--reproducible", "--format", fmt]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=cwd)
            if r.returncode not in (0, 1):
                self.fail(name, "%s: exit %d: %s" % (fmt, r.returncode, r.stderr.strip()))
                continue
            self.validate(name, fmt, r.stdout)
            if self.regen:
                os.makedirs(self.golden, exist_ok=True)
                with open(path, "w") as f:
                    f.write(r.stdout)
                print("wrote %s" % path)
                continue
            try:
                with open(path) as f:
                    want = f.read()
            except FileNotFoundError:
                self.fail(name, "no golden file %s (KVMAUDIT_TEST_REGENERATE=1 writes it)" % path)
                continue
            if want != r.stdout:
                diff = difflib.unified_diff(want.splitlines(True), r.stdout.splitlines(True),
                                            path, "scan output", n=2)
                print("FAIL %s/%s differs from %s:" % (name, fmt, path))
                sys.stdout.writelines(list(diff)[:80])
                self.failed.append(name)
            else:
                print("ok %s/%s" % (name, fmt))


def main():
    kvmaudit, src, work = sys.argv[1:4]
    only = sys.argv[4:]
    hosts = os.path.join(src, "tests", "fixtures", "hosts")
    rich = os.path.join(src, "tests", "fixtures", "rich")
    regen = os.environ.get("KVMAUDIT_TEST_REGENERATE") == "1"
    if os.geteuid() != 0:
        print("SKIP: fixture trees hold device nodes and owners: run as root")
        return 77
    xmllint = shutil.which("xmllint")
    if not xmllint:
        print("FAIL: xmllint not found (Debian package libxml2-utils): needed to check JUnit reports")
        return 1
    only_formats = os.environ.get("KVMAUDIT_TEST_FORMATS", "").split()
    promtool = shutil.which("promtool")
    if not promtool and (not only_formats or "prometheus" in only_formats):
        print("FAIL: promtool not found (scripts/setup-deps installs it): needed to check Prometheus reports")
        return 1
    os.makedirs(work, exist_ok=True)
    g = Golden(kvmaudit, src, regen, only_formats, xmllint, promtool)
    json_only = [("json", "json")]

    scenarios = sorted(d for d in os.listdir(hosts) if os.path.isdir(os.path.join(hosts, d)))
    for name in scenarios:
        if only and name not in only:
            continue
        root = os.path.join(work, name)
        r = subprocess.run([sys.executable, os.path.join(src, "tests", "mkfixture.py"),
                            os.path.join(hosts, name), root], capture_output=True, text=True)
        if r.returncode != 0:
            g.fail(name, "mkfixture: %s" % r.stderr.strip())
            continue
        g.scan(name, ["--root", root], json_only)
        shutil.rmtree(root, ignore_errors=True)
    # Facts scenarios: state only a live host has, such as seccomp filters
    # read back from running QEMUs.
    facts_dir = os.path.join(src, "tests", "fixtures", "facts")
    facts = sorted(f[:-5] for f in os.listdir(facts_dir) if f.endswith(".json")) if os.path.isdir(facts_dir) else []
    for name in facts:
        if only and name not in only:
            continue
        argfile = os.path.join(facts_dir, name + ".args")
        extra = open(argfile).read().split("\n") if os.path.exists(argfile) else []
        g.scan(name, ["--facts", os.path.join(facts_dir, name + ".json")] + [a for a in extra if a], json_only)
    for name, args in RICH_VARIANTS:
        if only and name not in only:
            continue
        g.scan(name, ["--facts", os.path.join(rich, "rich.json")] + [a.replace("@RICH@", ".") for a in args],
               FORMATS, cwd=rich)

    # Golden files nothing writes any more (a scenario or format dropped).
    if not only and not only_formats:
        for f in sorted(os.listdir(g.golden)):
            path = os.path.join(g.golden, f)
            if path in g.written:
                continue
            if regen:
                os.remove(path)
                print("removed %s (no scenario writes it)" % path)
            else:
                g.fail(f, "golden file %s is written by no scenario (KVMAUDIT_TEST_REGENERATE=1 removes it)" % path)
    return 1 if g.failed else 0


if __name__ == "__main__":
    sys.exit(main())
