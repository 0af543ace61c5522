#!/usr/bin/env python3
"""Golden tests: builds each fixture host tree (tests/fixtures/hosts/*), scans
it with --reproducible in every golden format and compares byte for byte
with tests/golden/<scenario>.<ext>.  KVMAUDIT_TEST_REGENERATE=1 rewrites the
golden files instead (KVMAUDIT_TEST_FORMATS="json text" limits both to those
formats).  Every JSON report is also validated against
report/schema/report.schema.json, every JUnit report must be
well-formed XML (xmllint --noout), every SARIF report must validate
against the SARIF 2.1.0 schema (tests/schemas/sarif-2.1.0.json), every
Prometheus report must pass "promtool check metrics", and every HTML
report must be well-formed and fetch nothing (validate_html below).

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


def main():
    kvmaudit, src, work = sys.argv[1:4]
    only = sys.argv[4:]
    hosts = os.path.join(src, "tests", "fixtures", "hosts")
    golden = os.path.join(src, "tests", "golden")
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
    failed = []
    scenarios = sorted(d for d in os.listdir(hosts) if os.path.isdir(os.path.join(hosts, d)))
    # Facts scenarios: tests/fixtures/facts/NAME.json evaluated with
    # "scan --facts" (state only a live host has, such as seccomp filters
    # read back from running QEMUs), plus the options in NAME.args, one a line.
    facts_dir = os.path.join(src, "tests", "fixtures", "facts")
    facts = sorted(f[:-5] for f in os.listdir(facts_dir) if f.endswith(".json")) if os.path.isdir(facts_dir) else []
    for name in scenarios + facts:
        if only and name not in only:
            continue
        root = os.path.join(work, name)
        if name in facts:
            argfile = os.path.join(facts_dir, name + ".args")
            extra = open(argfile).read().split("\n") if os.path.exists(argfile) else []
            source = ["--facts", os.path.join(facts_dir, name + ".json")] + [a for a in extra if a]
        else:
            source = ["--root", root]
            r = subprocess.run([sys.executable, os.path.join(src, "tests", "mkfixture.py"),
                                os.path.join(hosts, name), root], capture_output=True, text=True)
            if r.returncode != 0:
                print("FAIL %s: mkfixture: %s" % (name, r.stderr.strip()))
                failed.append(name)
                continue
        for fmt, ext in FORMATS:
            if only_formats and fmt not in only_formats:
                continue
            cmd = [kvmaudit, "scan"] + source + ["--reproducible", "--format", fmt]
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
            if r.returncode not in (0, 1):
                print("FAIL %s/%s: exit %d: %s" % (name, fmt, r.returncode, r.stderr.strip()))
                failed.append(name)
                continue
            if fmt == "json":
                v = subprocess.run([sys.executable, os.path.join(src, "tests", "validate-json.py"),
                                    os.path.join(src, "report", "schema", "report.schema.json"), "-"],
                                   input=r.stdout, capture_output=True, text=True)
                if v.returncode != 0:
                    print("FAIL %s: report does not validate: %s%s" % (name, v.stdout, v.stderr))
                    failed.append(name)
            if fmt == "junit":
                # Jenkins' xunit plugin validates against junit-10.xsd
                # (tests/schemas/vendor/README.md); GitLab reads the same
                # testsuite/testcase/failure/skipped shape.
                v = subprocess.run([xmllint, "--noout", "--schema",
                                    os.path.join(src, "tests", "schemas", "vendor", "junit-10.xsd"), "-"],
                                   input=r.stdout, capture_output=True, text=True)
                if v.returncode != 0:
                    print("FAIL %s: JUnit report is not valid against junit-10.xsd: %s%s" % (name, v.stdout, v.stderr))
                    failed.append(name)
            if fmt == "sarif":
                for schema in (os.path.join(src, "tests", "schemas", "sarif-2.1.0.json"),
                               os.path.join(src, "tests", "schemas", "vendor", "sarif-schema-2.1.0.json")):
                    v = subprocess.run([sys.executable, os.path.join(src, "tests", "validate-json.py"), schema, "-"],
                                       input=r.stdout, capture_output=True, text=True)
                    if v.returncode != 0:
                        print("FAIL %s: SARIF report does not validate against %s: %s%s"
                              % (name, os.path.basename(schema), v.stdout, v.stderr))
                        failed.append(name)
                problems = sarif_consumer_problems(r.stdout)
                if problems:
                    print("FAIL %s: SARIF for code scanning: %s" % (name, "; ".join(problems[:5])))
                    failed.append(name)
            if fmt == "prometheus":
                v = subprocess.run([promtool, "check", "metrics"], input=r.stdout, capture_output=True, text=True)
                if v.returncode != 0:
                    print("FAIL %s: promtool check metrics: %s%s" % (name, v.stdout, v.stderr))
                    failed.append(name)
            if fmt == "html":
                problems = validate_html(r.stdout)
                if problems:
                    print("FAIL %s: HTML report: %s" % (name, "; ".join(problems[:10])))
                    failed.append(name)
            path = os.path.join(golden, "%s.%s" % (name, ext))
            if regen:
                os.makedirs(golden, exist_ok=True)
                with open(path, "w") as f:
                    f.write(r.stdout)
                print("wrote %s" % path)
                continue
            try:
                with open(path) as f:
                    want = f.read()
            except FileNotFoundError:
                print("FAIL %s: no golden file %s (KVMAUDIT_TEST_REGENERATE=1 writes it)" % (name, path))
                failed.append(name)
                continue
            if want != r.stdout:
                diff = difflib.unified_diff(want.splitlines(True), r.stdout.splitlines(True),
                                            path, "scan output", n=2)
                print("FAIL %s/%s differs from %s:" % (name, fmt, path))
                sys.stdout.writelines(list(diff)[:80])
                failed.append(name)
            else:
                print("ok %s/%s" % (name, fmt))
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
