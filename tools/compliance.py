#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The compliance data of kvmaudit (docs/compliance/README.md).

  compliance.py import-srg XCCDF DIR    vendor the VMM SRG's requirement list
  compliance.py import-cci CCI_LIST DIR vendor the CCI -> SP 800-53 rev. 5 rows we use
  compliance.py import-ssg DS DIR       vendor ssg-debian's references of the rules we cite
  compliance.py import-cac GITDIR DIR   vendor ComplianceAsCode rule.yml references we cite
  compliance.py embed-srg TSV OUT.c     the requirement ids as a C table (the loader's list)
  compliance.py generate SRCROOT        write the check keys and the matrices
  compliance.py check SRCROOT           exit 1 when anything generate would write differs

generate derives every check's keys from docs/compliance/mappings.tsv: the
VMM SRG requirements it names, their CCIs (from the SRG), the rev. 5
controls of those CCIs (from DISA's CCI list), and the other controls the
row names with their source (ssg-debian, ComplianceAsCode, or the control
text).  The keys are the last lines of each check block.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

DOCS = "docs/compliance"
SRG_FILE = "vmm-srg-v2r2.tsv"
CCI_FILE = "cci-nist-rev5.tsv"
SSG_FILE = "ssg-debian-refs.tsv"
CAC_FILE = "cac-refs.tsv"
MAP_FILE = "mappings.tsv"
ASSESS_FILE = "vmm-srg-assessment.tsv"
KEYS = ("nist-800-53", "srg", "cci")
STATUSES = ("automated", "partial", "not-automatable", "not-covered")
NIST_RE = re.compile(r"^(AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)-[1-9][0-9]?(\([1-9][0-9]?\))?$")


def die(msg):
    print(f"compliance: {msg}", file=sys.stderr)
    sys.exit(1)


def read_tsv(path, ncols):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != ncols:
                die(f"{path}:{n}: {len(cols)} columns, expected {ncols}")
            rows.append((n, cols))
    return rows


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def split_list(s):
    return [x for x in (p.strip() for p in s.split(",")) if x]


# --- import: vendoring what the sources say ---------------------------------

def import_srg(xccdf, outdir):
    ns = {"x": "http://checklists.nist.gov/xccdf/1.1"}
    root = ET.parse(xccdf).getroot()
    release = root.find("x:plain-text[@id='release-info']", ns).text
    lines = [f"# DISA Virtual Machine Manager SRG, version {root.find('x:version', ns).text}, {release}",
             f"# imported by tools/compliance.py import-srg from {os.path.basename(xccdf)}",
             "# vuln id\trequirement\tCCIs\tseverity\ttitle"]
    for g in root.findall("x:Group", ns):
        r = g.find("x:Rule", ns)
        ccis = [i.text for i in r.findall("x:ident", ns) if i.text and i.text.startswith("CCI-")]
        title = " ".join(r.find("x:title", ns).text.split())
        lines.append("\t".join([g.get("id"), r.find("x:version", ns).text, ",".join(ccis),
                                r.get("severity"), title]))
    write(os.path.join(outdir, SRG_FILE), "\n".join(lines) + "\n")


def wanted_ccis(outdir):
    want = set()
    for _, c in read_tsv(os.path.join(outdir, SRG_FILE), 5):
        want.update(split_list(c[2]))
    p = os.path.join(outdir, SSG_FILE)
    if os.path.exists(p):
        for _, c in read_tsv(p, 4):
            want.update(split_list(c[2]))
    return want


def import_cci(cci_list, outdir):
    ns = {"c": "http://iase.disa.mil/cci"}
    root = ET.parse(cci_list).getroot()
    version = root.find("c:metadata/c:version", ns).text
    want = wanted_ccis(outdir)
    lines = [f"# DISA CCI list {version}: the NIST SP 800-53 Revision 5 reference of each CCI the VMM SRG",
             "# or a cited ssg-debian rule names; imported by tools/compliance.py import-cci",
             "# CCI\trev. 5 index"]
    for item in root.findall("c:cci_items/c:cci_item", ns):
        if item.get("id") not in want:
            continue
        refs = [r.get("index") for r in item.findall("c:references/c:reference", ns)
                if r.get("version") == "5"]
        lines.append(f"{item.get('id')}\t{'; '.join(refs) if refs else '-'}")
    write(os.path.join(outdir, CCI_FILE), "\n".join(lines) + "\n")


def cited(outdir, prefix):
    rules = set()
    for _, c in read_tsv(os.path.join(outdir, MAP_FILE), 4):
        if c[3].startswith(prefix):
            rules.add(c[3][len(prefix):])
    return rules


def import_ssg(ds, outdir):
    x = "http://checklists.nist.gov/xccdf/1.2"
    root = ET.parse(ds).getroot()
    want = cited(outdir, "ssg-debian:")
    lines = [f"# references of the ssg-debian rules mappings.tsv cites, from {os.path.basename(ds)}",
             "# (Debian package ssg-debian); imported by tools/compliance.py import-ssg",
             "# rule\tNIST SP 800-53 (as the content writes them, rev. 4)\tCCIs\tSRG (general-purpose OS and VMM)"]
    found = set()
    for r in root.iter(f"{{{x}}}Rule"):
        rid = r.get("id").replace("xccdf_org.ssgproject.content_rule_", "")
        if rid not in want or rid in found:
            continue
        found.add(rid)
        refs = {"nist": [], "cci": [], "srg": []}
        for ref in r.findall(f"{{{x}}}reference"):
            h = ref.get("href") or ""
            key = "nist" if "SP.800-53" in h else "cci" if "stigs/cci" in h else None
            if key:
                refs[key] += split_list(ref.text)
            # SRG ids, general-purpose OS and VMM alike, whatever the href
            refs["srg"] += [x for x in split_list(ref.text or "") if re.match(r"^SRG-OS-\d+-(GPOS|VMM)-\d+$", x)
                            and x not in refs["srg"]]
        lines.append("\t".join([rid, ",".join(refs["nist"]) or "-", ",".join(refs["cci"]) or "-",
                                ",".join(refs["srg"]) or "-"]))
    if want - found:
        die(f"{ds}: no rule {', '.join(sorted(want - found))}")
    write(os.path.join(outdir, SSG_FILE), "\n".join(lines) + "\n")


def import_cac(gitdir, outdir):
    git = ["git", "--git-dir", gitdir]
    commit = subprocess.run(git + ["rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    files = subprocess.run(git + ["ls-tree", "-r", "--name-only", "HEAD", "linux_os"], capture_output=True,
                           text=True, check=True).stdout.split("\n")
    want = cited(outdir, "cac:")
    lines = [f"# references of the ComplianceAsCode rules mappings.tsv cites, from the rule.yml files of",
             f"# github.com/ComplianceAsCode/content commit {commit}; imported by tools/compliance.py import-cac",
             "# rule\tpath\tnist\tsrg"]
    for rule in sorted(want):
        path = next((f for f in files if f.endswith(f"/{rule}/rule.yml")), None)
        if not path:
            die(f"ComplianceAsCode has no rule {rule}")
        text = subprocess.run(git + ["show", f"HEAD:{path}"], capture_output=True, text=True, check=True).stdout
        refs = {}
        for k in ("nist", "srg"):
            m = re.search(rf"^\s+{k}:\s*(.+)$", text, re.M)
            refs[k] = m.group(1).strip() if m else "-"
        lines.append("\t".join([rule, path, refs["nist"], refs["srg"]]))
    write(os.path.join(outdir, CAC_FILE), "\n".join(lines) + "\n")


def embed_srg(tsv, out):
    rows = read_tsv(tsv, 5)
    release = "?"
    with open(tsv, encoding="utf-8") as f:
        m = re.search(r"version (\d+), Release: (\d+)", f.readline())
        if m:
            release = f"V{m.group(1)}R{m.group(2)}"
    ids = sorted({c[1] for _, c in rows})
    for i in ids:
        if not re.match(r"^SRG-OS-\d{6}-VMM-\d{6}$", i):
            die(f"{tsv}: \"{i}\" is not a VMM SRG requirement id")
    lines = [f"/* Generated by tools/compliance.py embed-srg from {os.path.basename(tsv)}; do not edit. */",
             "#include <stddef.h>", "",
             "extern const char vmm_srg_release[];",
             "extern const char *const vmm_srg_requirements[];",
             "extern const size_t vmm_srg_requirements_count;", "",
             f'const char vmm_srg_release[] = "{release}";',
             "const char *const vmm_srg_requirements[] = {"]
    lines += [f'        "{i}",' for i in ids]
    lines += ["};", f"const size_t vmm_srg_requirements_count = {len(ids)};"]
    write(out, "\n".join(lines) + "\n")


# --- the data ----------------------------------------------------------------

def nist_control(index):
    """'IA-5 (1) (h)' -> 'IA-5(1)', 'CM-6 b' -> 'CM-6': the control or enhancement, without parts."""
    m = re.match(r"^([A-Z]{2}-\d+)(?: \((\d+)\))?", index)
    if not m:
        return None
    return m.group(1) + (f"({m.group(2)})" if m.group(2) else "")


def source_nist(ids):
    """'CM-6(a),AC-6(1),SC-30(2)' as ssg and ComplianceAsCode write them -> controls."""
    out = []
    for i in split_list(ids):
        i = i.replace(" ", "")
        m = re.match(r"^([A-Z]{2}-\d+)((?:\(\d+\))?)", i)
        if m:
            out.append(m.group(1) + m.group(2))
    return out


class Data:
    def __init__(self, root):
        d = os.path.join(root, DOCS)
        self.root = root
        self.srg = {}     # requirement -> (vuln id, [cci], severity, title)
        for _, c in read_tsv(os.path.join(d, SRG_FILE), 5):
            self.srg[c[1]] = (c[0], split_list(c[2]), c[3], c[4])
        self.cci = {}     # CCI -> [rev. 5 controls]
        for _, c in read_tsv(os.path.join(d, CCI_FILE), 2):
            self.cci[c[0]] = [x for x in (nist_control(i.strip()) for i in c[1].split(";")) if x]
        # rule -> (NIST controls, CCIs, VMM SRG requirements of the vendored SRG)
        self.ssg = {c[0]: (source_nist(c[1]), split_list(c[2]) if c[2] != "-" else [],
                           [x for x in split_list(c[3]) if "-VMM-" in x and x in self.srg])
                    for _, c in read_tsv(os.path.join(d, SSG_FILE), 4)}
        self.cac = {c[0]: source_nist(c[2]) for _, c in read_tsv(os.path.join(d, CAC_FILE), 4)}
        self.map = {}
        mp = os.path.join(d, MAP_FILE)
        for n, c in read_tsv(mp, 4):
            check, srgs, nist, src = c[0], split_list(c[1]), split_list(c[2]), c[3]
            where = f"{mp}:{n}"
            if check in self.map:
                die(f"{where}: {check} mapped twice")
            for s in srgs:
                if s not in self.srg:
                    die(f"{where}: {s} is not a requirement of the vendored VMM SRG ({SRG_FILE})")
            for x in nist:
                if not NIST_RE.match(x):
                    die(f"{where}: \"{x}\" is not a rev. 5 control identifier")
            if nist and not src:
                die(f"{where}: controls {','.join(nist)} without a source")
            extra_cci = []
            if src.startswith("ssg-debian:"):
                rule = src[len("ssg-debian:"):]
                if rule not in self.ssg:
                    die(f"{where}: {rule} is not in {SSG_FILE}")
                if set(nist) != set(self.ssg[rule][0]):
                    die(f"{where}: controls {','.join(nist)} differ from {rule}'s {','.join(self.ssg[rule][0])}")
                extra_cci = self.ssg[rule][1]
                # the VMM SRG requirements ssg cites for the rule (those V2R2 still has)
                srgs = srgs + [x for x in self.ssg[rule][2] if x not in srgs]
            elif src.startswith("cac:"):
                rule = src[len("cac:"):]
                if rule not in self.cac:
                    die(f"{where}: {rule} is not in {CAC_FILE}")
                if set(nist) != set(self.cac[rule]):
                    die(f"{where}: controls {','.join(nist)} differ from {rule}'s {','.join(self.cac[rule])}")
            elif src and not src.startswith("nist: "):
                die(f"{where}: source \"{src}\" is not ssg-debian:RULE, cac:RULE or \"nist: why\"")
            self.map[check] = (srgs, nist, src, extra_cci)
        self.assess = {}
        ap = os.path.join(d, ASSESS_FILE)
        for n, c in read_tsv(ap, 3):
            if c[0] not in self.srg:
                die(f"{ap}:{n}: {c[0]} is not a requirement of the vendored VMM SRG")
            if c[1] not in STATUSES:
                die(f"{ap}:{n}: status \"{c[1]}\" is not one of {', '.join(STATUSES)}")
            if not c[2].strip():
                die(f"{ap}:{n}: {c[0]} has no reason")
            self.assess[c[0]] = (c[1], c[2], f"{ap}:{n}")

    def keys(self, check):
        """The key lines of @check, in KEYS order."""
        srgs, nist, _, extra_cci = self.map[check]
        ccis, controls = [], []
        for s in srgs:
            for c in self.srg[s][1]:
                if c not in ccis:
                    ccis.append(c)
        for c in extra_cci:
            if c not in ccis:
                ccis.append(c)
        for c in ccis:
            if c not in self.cci:
                die(f"{c} is not in {CCI_FILE}: run import-cci")
            for x in self.cci[c]:
                if x not in controls:
                    controls.append(x)
        for x in nist:
            if x not in controls:
                controls.append(x)
        out = []
        if controls:
            out.append(f"nist-800-53 = {', '.join(controls)}")
        if srgs:
            out.append(f"srg = {', '.join(srgs)}")
        if ccis:
            out.append(f"cci = {', '.join(ccis)}")
        return out


# --- the catalogue -----------------------------------------------------------

def catalogue(root):
    """{file: [(id, first line, last key line)]} of checks/*.check."""
    out = {}
    d = os.path.join(root, "checks")
    for name in sorted(os.listdir(d)):
        if not name.endswith(".check"):
            continue
        path = os.path.join(d, name)
        with open(path, encoding="utf-8") as f:
            out[path] = f.read().split("\n")
    return out


def rewrite(lines, data, path, errors):
    """@lines with each block's control keys replaced by the generated ones."""
    out, seen = [], []
    cur = None

    def flush():
        if cur is None:
            return
        # the keys go after the block's last non-blank line
        i = len(out)
        while i > 0 and (not out[i - 1].strip()):
            i -= 1
        out[i:i] = data.keys(cur)

    for n, line in enumerate(lines, 1):
        m = re.match(r"^\[([^\]]+)\]\s*$", line)
        if m:
            flush()
            cur = m.group(1)
            seen.append(cur)
            if cur not in data.map:
                errors.append(f"{path}:{n}: check {cur} is not in {DOCS}/{MAP_FILE}: it maps to no "
                              f"NIST SP 800-53 control (add a row with its sources to {DOCS}/{MAP_FILE}, "
                              f"then run tools/compliance.py generate .)")
                cur = None
        elif re.match(r"^(nist-800-53|srg|cci)\s*=", line):
            continue
        out.append(line)
    flush()
    return out, seen


def generated_checks(data, errors):
    res = {}
    ids = []
    for path, lines in catalogue(data.root).items():
        new, seen = rewrite(lines, data, os.path.relpath(path, data.root), errors)
        res[path] = "\n".join(new)
        ids += seen
    for check in sorted(set(data.map) - set(ids)):
        errors.append(f"{DOCS}/{MAP_FILE}: {check} is not a check of checks/*.check")
    for check in ids:
        if check in data.map and not any(k.startswith("nist-800-53 ") for k in data.keys(check)):
            errors.append(f"{DOCS}/{MAP_FILE}: {check} maps to no NIST SP 800-53 control")
    return res


# --- the matrices ------------------------------------------------------------

def srg_checks(data):
    by = {}
    for check, (srgs, _, _, _) in sorted(data.map.items()):
        for s in srgs:
            by.setdefault(s, []).append(check)
    return by


def srg_matrix(data, errors):
    by = srg_checks(data)
    counts = dict.fromkeys(STATUSES, 0)
    rows = []
    for req in sorted(data.srg, key=lambda r: (r.split("-")[2], r)):
        vuln, ccis, _, title = data.srg[req]
        checks = by.get(req, [])
        if req not in data.assess:
            errors.append(f"{DOCS}/{ASSESS_FILE}: {req} ({vuln}) has no assessment")
            continue
        status, reason, where = data.assess[req]
        if checks and status not in ("automated", "partial"):
            errors.append(f"{where}: {req} is decided by {', '.join(checks)} but marked {status}")
        if not checks and status in ("automated", "partial"):
            errors.append(f"{where}: {req} is marked {status} but no check maps to it")
        counts[status] += 1
        what = ", ".join(f"`{c}`" for c in checks)
        note = f"{what}. {reason}" if what else reason
        rows.append(f"| {req} | {vuln} | {', '.join(ccis)} | {title.replace('|', '/')} | {status} | "
                    f"{note.replace('|', '/')} |")
    head = [
        "# DISA Virtual Machine Manager SRG: what kvmaudit decides",
        "",
        "Generated by `tools/compliance.py generate` from `vmm-srg-v2r2.tsv` (the SRG),",
        "`vmm-srg-assessment.tsv` (status and reason) and `mappings.tsv` (which checks); the `catalog`",
        "test fails when it is not current. Do not edit by hand.",
        "",
        f"{len(data.srg)} requirements of V2R2: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES) + ".",
        "",
        "- **automated**: kvmaudit's checks decide the requirement for a KVM/libvirt host.",
        "- **partial**: checks decide part of it; the reason says what is missing.",
        "- **not-automatable**: organisational or procedural, or a property of people and processes",
        "  that no host setting shows.",
        "- **not-covered**: a host could be checked, but kvmaudit does not (the reason says what would).",
        "",
        "| requirement | vuln | CCI | requirement text | status | checks and reason |",
        "|---|---|---|---|---|---|",
    ]
    return "\n".join(head + rows) + "\n", counts


def nist_matrix(data):
    by = {}
    for check in sorted(data.map):
        for k in data.keys(check):
            if k.startswith("nist-800-53 = "):
                for c in split_list(k[len("nist-800-53 = "):]):
                    by.setdefault(c, []).append(check)

    def order(c):
        m = re.match(r"^([A-Z]{2})-(\d+)(?:\((\d+)\))?$", c)
        return (m.group(1), int(m.group(2)), int(m.group(3) or 0))

    rows = [f"| {c} | {len(v)} | {', '.join(f'`{x}`' for x in v)} |" for c, v in sorted(by.items(),
                                                                                   key=lambda kv: order(kv[0]))]
    head = [
        "# NIST SP 800-53 rev. 5 controls the catalogue touches",
        "",
        "Generated by `tools/compliance.py generate` from `mappings.tsv` and the vendored sources; the",
        "`catalog` test fails when it is not current. A control listed here is one a check gives evidence",
        "for; no control is fully assessed by a host scan alone (each also has organisational parts).",
        "",
        f"{len(by)} controls and enhancements, {len(data.map)} checks.",
        "",
        "| control | checks | which |",
        "|---|---|---|",
    ]
    return "\n".join(head + rows) + "\n", len(by)


def generate(root, check_only):
    data = Data(root)
    errors = []
    files = generated_checks(data, errors)
    srg_md, counts = srg_matrix(data, errors)
    nist_md, n_nist = nist_matrix(data)
    files[os.path.join(root, DOCS, "vmm-srg.md")] = srg_md
    files[os.path.join(root, DOCS, "nist-800-53.md")] = nist_md
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 1
    stale = []
    for path, text in files.items():
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            stale.append(path)
            if not check_only:
                write(path, text)
    summary = ", ".join(f"{counts[s]} {s}" for s in STATUSES)
    if check_only and stale:
        for p in stale:
            print(f"{os.path.relpath(p, root)}: not current; run tools/compliance.py generate .",
                  file=sys.stderr)
        return 1
    print(f"compliance: {len(data.map)} checks mapped; VMM SRG {summary}; {n_nist} NIST controls")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "import-srg":
        import_srg(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "import-cci":
        import_cci(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "import-ssg":
        import_ssg(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "import-cac":
        import_cac(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "embed-srg":
        embed_srg(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] in ("generate", "check"):
        return generate(argv[2], argv[1] == "check")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
