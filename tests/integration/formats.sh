#!/usr/bin/env bash
# The sarif, prometheus and html reports as a user gets them: of the
# insecure-intel fixture host and of a real scan of this machine.  The
# SARIF must validate against the SARIF 2.1.0 schema, the Prometheus text
# must pass "promtool check metrics", and the HTML is rendered in headless
# Chromium, whose DOM (after the page's script ran) must show the score
# and every failing check id.  Screenshots (desktop and phone width) stay
# in WORK_DIR.  Usage: formats.sh KVMAUDIT SOURCE_ROOT WORK_DIR
set -u
K=$1 SRC=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }

CHROMIUM=$(command -v chromium || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
                { apt-get update -qq >/dev/null 2>&1 &&
                  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }
        CHROMIUM=$(command -v chromium || true)
fi
if [ -z "$CHROMIUM" ]; then
        echo "1..0 # skip: chromium is not installed and could not be (scripts/setup-deps installs it)"
        exit 77
fi

# chrome OUT-ARGS... URL: one headless run with a fresh profile and no
# network side traffic.
chrome() {
        local profile rc
        profile=$(mktemp -d)
        timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
                --disable-background-networking --disable-component-update --disable-sync \
                --user-data-dir="$profile" "$@" 2>>"$WORK/chromium.log"
        rc=$?
        rm -rf "$profile"
        return $rc
}

# check_dom NAME JSON DOM: the rendered page shows the JSON report's score,
# every failing (id, subject) as a fail row, and the script's row count.
check_dom() {
        /usr/bin/python3 - "$2" "$3" <<'EOT'
import html.parser, json, sys
rep = json.load(open(sys.argv[1]))
dom = open(sys.argv[2], encoding="utf-8").read()

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.cur, self.field, self.score, self.shown = [], None, None, None, None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "data-status" in a:
            self.cur = {"status": a["data-status"], "id": "", "subject": ""}
            self.rows.append(self.cur)
        elif tag == "code" and self.cur is not None and not self.cur["id"]:
            self.field = "id"
        elif tag == "td" and self.cur is not None and "subj" in a.get("class", ""):
            self.field = "subject"
        elif tag == "text" and a.get("id") == "score":
            self.field = "score"
        elif tag == "output" and a.get("id") == "shown":
            self.field = "shown"
    def handle_endtag(self, tag):
        if tag in ("code", "td", "text", "output"):
            self.field = None
        if tag == "tr":
            self.cur = None
    def handle_data(self, d):
        if self.field in ("id", "subject"):
            self.cur[self.field] += d
        elif self.field == "score":
            self.score = (self.score or "") + d
        elif self.field == "shown":
            self.shown = (self.shown or "") + d

p = P()
p.feed(dom)
problems = []
want = "%.1f" % rep["score"] if rep["score"] is not None else "n/a"
if (p.score or "").strip() != want:
    problems.append("score shown %r, report says %r" % (p.score, want))
fails = {(r["id"], r["subject"]) for r in rep["results"] if r["status"] == "fail"}
shown = {(r["id"], r["subject"]) for r in p.rows if r["status"] == "fail"}
for f in sorted(fails - shown):
    problems.append("failing %s [%s] not shown" % f)
for f in sorted(shown - fails):
    problems.append("%s [%s] shown as failing" % f)
n = len(rep["results"])
if (p.shown or "").strip() != "%d of %d shown" % (n, n):
    problems.append("filter count %r: the page's script did not run" % p.shown)
for x in problems[:20]:
    print("    " + x)
print("    score %s, %d failing results, %d rows" % (want, len(fails), len(p.rows)))
sys.exit(1 if problems else 0)
EOT
}

# check_filter NAME QUERY PYTHON-CONDITION: opened as NAME.html?QUERY, the
# page shows exactly the results r of the JSON report for which the
# condition holds.
check_filter() {
        local want got
        want=$(/usr/bin/python3 -c "import json, sys; rep = json.load(open(sys.argv[1]))
print(sum(1 for r in rep['results'] if ($3)), 'of', len(rep['results']), 'shown')" "$WORK/$1.json")
        got=$(chrome --dump-dom "file://$WORK/$1.html?$2" | sed -n 's/.*<output id="shown"[^>]*>\([^<]*\)<.*/\1/p')
        if [ -n "$want" ] && [ "$got" = "$want" ]; then
                ok "$1: filter ?$2 shows $got"
        else
                bad "$1: filter ?$2 shows '$got', expected '$want'"
        fi
}

# render NAME SCAN-ARGS...: all three formats of one scan, checked.
render() {
        local name=$1 rc; shift
        "$K" scan "$@" --format json -o "$WORK/$name.json" 2>>"$WORK/scan.log"; rc=$?
        { [ "$rc" = 0 ] || [ "$rc" = 1 ]; } || { bad "$name: json scan exited $rc"; return; }
        "$K" scan "$@" --format html -o "$WORK/$name.html" 2>>"$WORK/scan.log"; rc=$?
        { [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ok "$name: html scan (exit $rc)" || { bad "$name: html scan exited $rc"; return; }

        "$K" scan "$@" --format sarif -o "$WORK/$name.sarif" 2>>"$WORK/scan.log"
        if /usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/tests/schemas/sarif-2.1.0.json" "$WORK/$name.sarif" \
                >"$WORK/$name.sarif.check"; then
                ok "$name: SARIF validates against the SARIF 2.1.0 schema"
        else
                bad "$name: SARIF does not validate"; head -10 "$WORK/$name.sarif.check" | sed 's/^/    /'
        fi
        "$K" scan "$@" --format prometheus -o "$WORK/$name.prom" 2>>"$WORK/scan.log"
        if ! command -v promtool >/dev/null; then
                bad "$name: promtool not found (scripts/setup-deps installs it)"
        elif promtool check metrics <"$WORK/$name.prom" >"$WORK/$name.prom.check" 2>&1; then
                ok "$name: promtool check metrics"
        else
                bad "$name: promtool check metrics"; head -10 "$WORK/$name.prom.check" | sed 's/^/    /'
        fi
        if grep -qE '(src|href)="https?://|url\(' "$WORK/$name.html" &&
                grep -E '(src|href)="https?://|url\(' "$WORK/$name.html" | grep -vq 'rel="noreferrer noopener"'; then
                bad "$name: the page references the network outside its references"
        else
                ok "$name: the page loads nothing from the network"
        fi

        if chrome --window-size=1280,2000 --screenshot="$WORK/$name.png" "file://$WORK/$name.html" >/dev/null &&
                [ -s "$WORK/$name.png" ]; then
                ok "$name: desktop screenshot $WORK/$name.png"
        else
                bad "$name: desktop screenshot"
        fi
        if chrome --window-size=390,2000 --screenshot="$WORK/$name-phone.png" "file://$WORK/$name.html" >/dev/null &&
                [ -s "$WORK/$name-phone.png" ]; then
                ok "$name: phone screenshot $WORK/$name-phone.png"
        else
                bad "$name: phone screenshot"
        fi
        if chrome --dump-dom "file://$WORK/$name.html" >"$WORK/$name.dom.html" && [ -s "$WORK/$name.dom.html" ] &&
                check_dom "$name" "$WORK/$name.json" "$WORK/$name.dom.html"; then
                ok "$name: the rendered page shows the score and every failing check"
        else
                bad "$name: the rendered page does not match the report"
        fi
}

# hostile: strings from host files (subjects, evidence, host names) with
# quotes, backslashes, newlines and markup, re-rendered from a saved JSON
# report ("kvmaudit report"), stay inert and every format stays valid.
hostile() {
        if ! "$K" report "$WORK/insecure-intel.json" --format json >/dev/null 2>&1; then
                echo "# skip hostile strings: this kvmaudit has no \"report\" verb"
                return
        fi
        /usr/bin/python3 - "$WORK/insecure-intel.json" "$WORK/hostile.json" <<'EOT'
import json, sys
r = json.load(open(sys.argv[1]))
x = next(x for x in r["results"] if x["status"] == "fail")
x["subject"] = 'domain:evil"\\\n</td><script>alert(1)</script>'
x["observed"] = 'a "quoted" \\ back\nslash <img src=https://example.invalid/p.png> \u00e9'
r["host"]["hostname"] = 'h"o\\st\n<x>'
json.dump(r, open(sys.argv[2], "w"))
EOT
        local f
        for f in sarif prometheus html; do
                "$K" report "$WORK/hostile.json" --format "$f" -o "$WORK/hostile.$f" 2>>"$WORK/scan.log" ||
                        bad "hostile: report --format $f failed"
        done
        /usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/tests/schemas/sarif-2.1.0.json" "$WORK/hostile.sarif" \
                >/dev/null && ok "hostile: SARIF validates" || bad "hostile: SARIF does not validate"
        promtool check metrics <"$WORK/hostile.prometheus" >/dev/null 2>&1 &&
                grep -qF 'subject="domain:evil\"\\\n</td><script>' "$WORK/hostile.prometheus" &&
                ok "hostile: Prometheus label values escaped" || bad "hostile: Prometheus label values"
        if /usr/bin/python3 - "$SRC/tests/run-golden.py" "$WORK/hostile.html" <<'EOT'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("run_golden", sys.argv[1])
m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
text = open(sys.argv[2], encoding="utf-8").read()
problems = m.validate_html(text)
if "<script>alert" in text or "<img" in text:
    problems.append("markup from the report came through")
for p in problems[:10]:
    print("    " + p)
sys.exit(1 if problems else 0)
EOT
        then ok "hostile: HTML well-formed, the strings inert"; else bad "hostile: HTML"; fi
}

if [ "$(id -u)" = 0 ]; then
        if /usr/bin/python3 "$SRC/tests/mkfixture.py" "$SRC/tests/fixtures/hosts/insecure-intel" "$WORK/insecure" \
                >/dev/null; then
                render insecure-intel --root "$WORK/insecure" --reproducible
                check_filter insecure-intel "status=fail" "r['status'] == 'fail'"
                check_filter insecure-intel "status=problems&severity=critical" \
                        "r['status'] in ('fail', 'error') and r['severity'] == 'critical'"
                check_filter insecure-intel "category=kernel" "r['category'] == 'kernel'"
                check_filter insecure-intel "vm=lab1" "r['subject'] == 'domain:lab1'"

                # A waived failure: a suppressed SARIF result, still a valid log.
                printf '[cpu.l1tf-mitigated]\nreason = "quoted" <b>& accepted\nowner = ops@example.com\nexpires = 2027-03-31\n' \
                        >"$WORK/l1tf.waivers"
                KVMAUDIT_TODAY=2026-06-01 "$K" scan --root "$WORK/insecure" --reproducible --waivers "$WORK/l1tf.waivers" \
                        --format sarif -o "$WORK/waived.sarif" 2>>"$WORK/scan.log"
                if /usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/tests/schemas/sarif-2.1.0.json" \
                        "$WORK/waived.sarif" >/dev/null &&
                        /usr/bin/python3 -c "import json, sys
res = [r for r in json.load(open(sys.argv[1]))['runs'][0]['results'] if r['ruleId'] == 'cpu.l1tf-mitigated']
s = res[0]['suppressions'][0]
sys.exit(0 if len(res) == 1 and s['kind'] == 'external' and s['justification'].startswith('\"quoted\" <b>&') else 1)" \
                                "$WORK/waived.sarif"; then
                        ok "insecure-intel: a waived failure is a suppressed SARIF result"
                else
                        bad "insecure-intel: waived failure in SARIF"
                fi
                KVMAUDIT_TODAY=2026-06-01 "$K" scan --root "$WORK/insecure" --reproducible --waivers "$WORK/l1tf.waivers" \
                        --format html -o "$WORK/waived.html" 2>>"$WORK/scan.log"
                if grep -q '<dt>Waiver</dt><dd><pre>&quot;quoted&quot; &lt;b&gt;&amp; accepted' "$WORK/waived.html"; then
                        ok "insecure-intel: the HTML shows the waiver, escaped"
                else
                        bad "insecure-intel: the HTML does not show the escaped waiver"
                fi
                hostile
        else
                bad "building the insecure-intel fixture"
        fi
else
        echo "# skip insecure-intel: building the fixture host needs root"
fi
render this-host

echo "screenshots:"
ls "$WORK"/*.png 2>/dev/null | sed 's/^/  /'
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
