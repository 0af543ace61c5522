#!/usr/bin/env bash
# The compliance outputs as a user gets them (docs/compliance/): --framework
# on scan and report, and --format xccdf, whose documents "oscap xccdf
# validate" must accept (the results, and the benchmark alone) and "oscap
# xccdf generate report" must render.  Usage: compliance.sh KVMAUDIT SOURCE_ROOT WORK_DIR
set -u
K=$1 SRC=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
# expect_exit CODE DESCRIPTION -- CMD...: stdout in $WORK/out, stderr in $WORK/err
expect_exit() {
        local want=$1 what=$2; shift 3
        "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?
        if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
                bad "$what: exit $got, expected $want"; sed 's/^/    /' "$WORK/err" | head -5; fi
}
expect_grep() {
        if grep -qE -- "$2" "$1"; then ok "$3"; else bad "$3: /$2/ not in $(basename "$1")"; head -5 "$1" | sed 's/^/    /'; fi
}

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # skip: building the fixture hosts needs root"; echo "0 passed, 0 failed"; exit 77
fi
OSCAP=$(command -v oscap || true)
if [ -z "$OSCAP" ]; then
        echo "not ok - oscap not found (Debian package openscap-scanner; scripts/setup-deps installs it)"
        echo "0 passed, 1 failed"; exit 1
fi
export KVMAUDIT_TODAY=2026-06-01

for host in insecure-intel libvirt-insecure mac-selinux-bad hardened-intel; do
        /usr/bin/python3 "$SRC/tests/mkfixture.py" "$SRC/tests/fixtures/hosts/$host" "$WORK/$host" >/dev/null ||
                { bad "building the $host fixture"; continue; }
        "$K" scan --root "$WORK/$host" --reproducible -f json -o "$WORK/$host.json" >/dev/null 2>&1
        [ -s "$WORK/$host.json" ] || { bad "$host: no JSON report"; continue; }

        # XCCDF: the results document validates, the benchmark alone too, and
        # oscap renders it; one rule-result per result with the same verdict.
        expect_exit 0 "$host: report -f xccdf" -- "$K" report "$WORK/$host.json" -f xccdf -o "$WORK/$host.xccdf.xml"
        if "$OSCAP" xccdf validate "$WORK/$host.xccdf.xml" >"$WORK/validate" 2>&1; then
                ok "$host: oscap xccdf validate accepts the results"
        else
                bad "$host: oscap xccdf validate"; head -5 "$WORK/validate" | sed 's/^/    /'
        fi
        /usr/bin/python3 - "$WORK/$host.xccdf.xml" "$WORK/$host.benchmark.xml" <<'EOT'
import sys, xml.etree.ElementTree as ET
ET.register_namespace("", "http://checklists.nist.gov/xccdf/1.2")
ET.register_namespace("dc", "http://purl.org/dc/elements/1.1/")
t = ET.parse(sys.argv[1])
root = t.getroot()
for tr in root.findall("{http://checklists.nist.gov/xccdf/1.2}TestResult"):
    root.remove(tr)
t.write(sys.argv[2], xml_declaration=True, encoding="UTF-8")
EOT
        if "$OSCAP" xccdf validate "$WORK/$host.benchmark.xml" >"$WORK/validate" 2>&1; then
                ok "$host: oscap xccdf validate accepts the benchmark alone"
        else
                bad "$host: oscap xccdf validate (benchmark)"; head -5 "$WORK/validate" | sed 's/^/    /'
        fi
        if "$OSCAP" xccdf generate report "$WORK/$host.xccdf.xml" >"$WORK/$host.oscap.html" 2>"$WORK/err" &&
           [ -s "$WORK/$host.oscap.html" ]; then
                ok "$host: oscap xccdf generate report renders the results"
        else
                bad "$host: oscap xccdf generate report"; head -5 "$WORK/err" | sed 's/^/    /'
        fi
        if /usr/bin/python3 - "$WORK/$host.json" "$WORK/$host.xccdf.xml" "$WORK/$host.oscap.html" <<'EOT'
import json, sys, xml.etree.ElementTree as ET
X = "{http://checklists.nist.gov/xccdf/1.2}"
rep = json.load(open(sys.argv[1]))
root = ET.parse(sys.argv[2]).getroot()
page = open(sys.argv[3], encoding="utf-8").read()
want = {"pass": "pass", "fail": "fail", "waived": "fail", "error": "error", "skip": "notchecked"}
rrs = root.findall(f"{X}TestResult/{X}rule-result")
errors = []
if len(rrs) != len(rep["results"]):
    errors.append(f"{len(rrs)} rule-results for {len(rep['results'])} results")
got = sorted((rr.get("idref"), rr.find(f"{X}instance").text, rr.find(f"{X}result").text) for rr in rrs)
exp = sorted(("xccdf_invalid.kvmaudit_rule_" + r["id"], r["subject"], want[r["status"]]) for r in rep["results"])
if got != exp:
    errors.append("verdicts differ: " + str(sorted(set(got) ^ set(exp))[:3]))
rules = {r.get("id"): r for r in root.iter(f"{X}Rule")}
for r in rep["results"]:
    rule = rules.get("xccdf_invalid.kvmaudit_rule_" + r["id"])
    if rule is None:
        errors.append(f"no Rule for {r['id']}"); continue
    idents = [i.text for i in rule.findall(f"{X}ident")]
    refs = [i.text for i in rule.findall(f"{X}reference")]
    c = r.get("controls", {})
    if idents != c.get("cci", []) or not set(c.get("nist-800-53", [])) <= set(refs):
        errors.append(f"{r['id']}: idents {idents} / references {refs} differ from {c}")
for r in rep["results"]:
    if r["status"] == "fail" and r["id"] not in page:
        errors.append(f"{r['id']} failed but the oscap report does not name it")
for e in errors[:5]:
    print("    " + e)
sys.exit(1 if errors else 0)
EOT
        then ok "$host: one rule-result per result, same verdicts, CCI/NIST on every rule, failures in oscap's report"
        else bad "$host: XCCDF content differs from the JSON report"; fi

        # --framework: the per-control view in every format that has one.
        for fw in nist-800-53 vmm-srg cci; do
                expect_exit 0 "$host: report --framework $fw -f json" -- "$K" report "$WORK/$host.json" --framework "$fw" -f json
                if /usr/bin/python3 - "$WORK/out" "$fw" <<'EOT'
import json, sys
d = json.load(open(sys.argv[1])); fw = sys.argv[2]
f = d["framework"]
assert f["name"] == fw, f["name"]
by = {}
for r in d["results"]:
    for c in r.get("controls", {}).get(fw, []):
        by.setdefault(c, []).append(r)
assert sorted(by) == sorted(c["id"] for c in f["controls"]), "controls differ"
for c in f["controls"]:
    st = [r["status"] for r in by[c["id"]]]
    want = ("fail" if "fail" in st else "waived" if "waived" in st else "pass" if "pass" in st
            else "not-assessed")
    assert c["status"] == want, (c["id"], c["status"], want)
    assert sorted(set(r["id"] for r in by[c["id"]])) == c["checks"], c["id"]
    for s in ("pass", "fail", "skip", "error", "waived"):
        assert c["counts"][s] == st.count(s), (c["id"], s)
EOT
                then ok "$host: $fw control statuses follow the results (fail > waived > pass > not-assessed)"
                else bad "$host: $fw control view"; fi
        done
        "$K" scan --root "$WORK/$host" --reproducible --framework vmm-srg >"$WORK/text" 2>/dev/null
        expect_grep "$WORK/text" "^Controls: DISA Virtual Machine Manager SRG" "$host: scan --framework vmm-srg text view"
        "$K" report "$WORK/$host.json" --framework nist-800-53 -f markdown >"$WORK/md" 2>/dev/null
        expect_grep "$WORK/md" "^## Controls: NIST SP 800-53 rev. 5" "$host: markdown view"
        expect_grep "$WORK/md" "^\| SC-39 \| (pass|fail|waived|not-assessed) \|" "$host: markdown row of SC-39"
        "$K" report "$WORK/$host.json" --framework cci -f html >"$WORK/html" 2>/dev/null
        expect_grep "$WORK/html" "<h2 id=\"h-controls\">Controls: DISA Control Correlation Identifiers</h2>" "$host: html view"
        # scan and report agree on the view
        "$K" scan --root "$WORK/$host" --reproducible --framework cci -f markdown >"$WORK/scan.md" 2>/dev/null
        "$K" report "$WORK/$host.json" --framework cci -f markdown >"$WORK/report.md" 2>/dev/null
        cmp -s "$WORK/scan.md" "$WORK/report.md" && ok "$host: scan and report print the same cci view" ||
                bad "$host: scan and report cci views differ"
done

# Bad values name themselves; --framework is not an option of diff or collect.
expect_exit 2 "scan --framework iso-27001" -- "$K" scan --root "$WORK/insecure-intel" --framework iso-27001
expect_grep "$WORK/err" 'unknown framework "iso-27001" \(known: nist-800-53, vmm-srg, cci\)' "the unknown framework is named"
expect_exit 2 "report --framework cis (no view)" -- "$K" report "$WORK/insecure-intel.json" --framework cis
expect_exit 2 "diff --framework" -- "$K" diff "$WORK/insecure-intel.json" "$WORK/insecure-intel.json" --framework cci
expect_grep "$WORK/err" "--framework is an option of scan and report" "diff names the option"
expect_exit 2 "collect --framework" -- "$K" collect --root "$WORK/insecure-intel" --framework cci

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
