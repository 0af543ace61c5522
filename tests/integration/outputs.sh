#!/usr/bin/env bash
# Several outputs from one scan (issue 17): -o FORMAT:FILE and -o FILE
# (format from the extension), each file replaced atomically, --format and
# -o unambiguous; "checks --format json" against its schema; "report
# --merge" into a fleet report in html, markdown and json (schema), with
# the change since a previous report.
# Usage: outputs.sh KVMAUDIT SOURCE_ROOT WORK_DIR
set -u
K=$1 SRC=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
skipped() { skip=$((skip + 1)); echo "ok - # SKIP $*"; }
expect_exit() {
        local want=$1 what=$2; shift 3
        "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?
        if [ "$got" = "$want" ]; then ok "$what (exit $got)"; else
                bad "$what: exit $got, expected $want"; sed 's/^/    /' "$WORK/err" | head -5; fi
}
expect_grep() {
        if grep -qE -- "$2" "$1"; then ok "$3"; else bad "$3: /$2/ not in $(basename "$1")"; head -5 "$1" | sed 's/^/    /'; fi
}
validate() { # SCHEMA FILE WHAT
        if /usr/bin/python3 "$SRC/tests/validate-json.py" "$1" "$2" >"$WORK/v.log" 2>&1; then ok "$3"; else
                bad "$3"; head -5 "$WORK/v.log" | sed 's/^/    /'; fi
}
if [ "$(id -u)" != 0 ]; then
        skipped "fixture hosts need root (device nodes, owners)"
        echo "$pass passed, $fail failed, $skip skipped"; exit 0
fi
mk() { /usr/bin/python3 "$SRC/tests/mkfixture.py" "$SRC/tests/fixtures/hosts/$1" "$WORK/$1" >/dev/null; }
mk hardened-intel; mk insecure-intel
H=$WORK/hardened-intel I=$WORK/insecure-intel
O=$WORK/o && mkdir -p "$O"

# --- several outputs, one scan ---------------------------------------------
expect_exit 0 "one scan, seven outputs" -- "$K" scan --root "$H" --reproducible -q \
        -o json:"$O/r.json" -o junit:"$O/r.junit" -o "$O/r.sarif" -o "$O/r.prom" -o "$O/r.html" \
        -o markdown:"$O/r.summary" -o "$O/r.txt"
for f in json junit sarif prom html summary txt; do
        [ -s "$O/r.$f" ] && ok "r.$f written" || bad "r.$f missing or empty"
done
# Each one is what a scan with that --format alone writes.
for pair in json:json junit:junit sarif:sarif prometheus:prom html:html markdown:summary text:txt; do
        fmt=${pair%%:*} ext=${pair#*:}
        "$K" scan --root "$H" --reproducible --format "$fmt" >"$WORK/single" 2>/dev/null
        cmp -s "$WORK/single" "$O/r.$ext" && ok "-o $ext = --format $fmt" || bad "-o r.$ext differs from --format $fmt"
done
expect_exit 0 "the extension decides without --format" -- "$K" scan --root "$H" -o "$O/x.html"
expect_grep "$O/x.html" '^<!DOCTYPE html>' "-o x.html writes HTML, not text"
expect_exit 0 ".sarif.json is SARIF, .junit.xml JUnit" -- "$K" scan --root "$H" -o "$O/y.sarif.json" -o "$O/y.junit.xml"
expect_grep "$O/y.sarif.json" '"version": "2.1.0"' ".sarif.json holds SARIF"
expect_grep "$O/y.junit.xml" '<testsuites' ".junit.xml holds JUnit"
expect_exit 0 "--format for a name without a known extension" -- "$K" scan --root "$H" --format json -o "$O/noext"
expect_grep "$O/noext" '"schema_version"' "--format json applies to -o noext"
expect_exit 0 "--format agreeing with the extension" -- "$K" scan --root "$H" --format json -o "$O/z.json"
expect_exit 2 "--format disagreeing with the extension" -- "$K" scan --root "$H" --format json -o "$O/z.html"
expect_grep "$WORK/err" 'extension says html but --format says json; write -o json:' "the conflict is named, with the way out"
expect_exit 0 "FORMAT: overrides the extension" -- "$K" scan --root "$H" -o json:"$O/w.html"
expect_grep "$O/w.html" '"schema_version"' "json:w.html holds JSON"
expect_exit 2 "--format that no -o uses" -- "$K" scan --root "$H" --format sarif -o json:"$O/a" -o html:"$O/b"
expect_grep "$WORK/err" '--format sarif applies to no output' "the unused --format is named"
expect_exit 2 "an unknown FORMAT: prefix" -- "$K" scan --root "$H" -o jsno:"$O/r.json"
expect_grep "$WORK/err" 'unknown format "jsno".*\./jsno:' "the unknown prefix is named, with ./ for a colon name"
expect_exit 0 "./name:with:colons is a file name" -- "$K" scan --root "$H" -o "./$(realpath --relative-to=. "$O")/a:b.json"
[ -s "$O/a:b.json" ] && ok "a:b.json written" || bad "a:b.json not written"
expect_exit 2 "two -o on one file" -- "$K" scan --root "$H" -o json:"$O/same" -o html:"$O/same"
expect_exit 2 "two -o on standard output" -- "$K" scan --root "$H" -o json:- -o html:-
expect_exit 2 "an empty file name" -- "$K" scan --root "$H" -o json:
# A target that cannot be opened is a usage error and nothing is written.
rm -f "$O/first.json"
expect_exit 2 "a missing directory among the outputs" -- "$K" scan --root "$H" -o "$O/first.json" -o "$O/no/such/dir.json"
[ ! -e "$O/first.json" ] && ok "nothing written when one target cannot be opened" || bad "first.json was written"
[ -z "$(find "$O" -name '.*' -type f)" ] && ok "no temporary file left" || bad "temporary files left: $(find "$O" -name '.*')"
# Atomic: a new inode renamed over the old file; its mode kept.
echo old >"$O/atomic.json" && chmod 640 "$O/atomic.json"
ino=$(stat -c %i "$O/atomic.json")
expect_exit 0 "rewrite an existing report" -- "$K" scan --root "$H" -q -o "$O/atomic.json" -o "$O/atomic.prom"
[ "$(stat -c %i "$O/atomic.json")" != "$ino" ] && ok "replaced by rename (new inode)" || bad "written in place"
[ "$(stat -c %a "$O/atomic.json")" = 640 ] && ok "the mode is kept" || bad "mode $(stat -c %a "$O/atomic.json")"
# Standard output as one of the outputs; --quiet silences only the default one.
"$K" scan --root "$H" -o json:- -o "$O/q.sarif" >"$WORK/stdout" 2>/dev/null
grep -q '"schema_version"' "$WORK/stdout" && [ -s "$O/q.sarif" ] && ok "-o json:- with a file" || bad "-o json:- with a file"
"$K" scan --root "$H" -q -o "$O/q2.json" >"$WORK/stdout" 2>/dev/null
[ ! -s "$WORK/stdout" ] && [ -s "$O/q2.json" ] && ok "--quiet with -o writes the file only" || bad "--quiet with -o"
# /dev/stdout as a socket (a service's stdout under systemd): written through.
{
        /usr/bin/python3 - "$K" "$H" >"$WORK/sock.log" 2>&1 <<'EOF'
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.Popen([sys.argv[1], "scan", "--root", sys.argv[2], "-o", "json:/dev/stdout"], stdout=b)
b.close()
data = b""
while True:
    chunk = a.recv(65536)
    if not chunk:
        break
    data += chunk
sys.exit(0 if p.wait() == 0 and b'"schema_version"' in data else 1)
EOF
        [ $? = 0 ] && ok "-o /dev/stdout when standard output is a socket" ||
                { bad "-o /dev/stdout on a socket"; head -3 "$WORK/sock.log"; }
}
# collect: one JSON file
expect_exit 2 "collect takes one -o" -- "$K" collect --root "$H" -o "$O/f1.json" -o "$O/f2.json"
expect_exit 2 "collect: facts are JSON" -- "$K" collect --root "$H" -o sarif:"$O/f.json"
expect_exit 0 "collect -o json:FILE" -- "$K" collect --root "$H" -o json:"$O/f.json"
validate "$SRC/report/schema/facts.schema.json" "$O/f.json" "collect -o json:FILE follows facts.schema.json"
# report re-renders into several outputs too
"$K" report "$O/r.json" -o "$O/rr.html" -o markdown:"$O/rr.md" 2>"$WORK/err" && [ -s "$O/rr.html" ] && [ -s "$O/rr.md" ] &&
        ok "report -o x.html -o markdown:x.md" || bad "report with two outputs: $(head -1 "$WORK/err")"

# --- the catalogue as JSON --------------------------------------------------
expect_exit 0 "checks --format json" -- "$K" checks --format json
cp "$WORK/out" "$O/checks.json"
validate "$SRC/report/schema/checks.schema.json" "$O/checks.json" "checks --format json follows checks.schema.json"
n_json=$(/usr/bin/python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["checks"]))' "$O/checks.json")
n_text=$("$K" checks | wc -l)
[ "$n_json" = "$n_text" ] && ok "the JSON catalogue lists all $n_text checks" || bad "JSON $n_json checks, text $n_text"
expect_exit 2 "checks --format yaml" -- "$K" checks --format yaml
expect_grep "$WORK/err" 'unknown format "yaml" \(known: text, json\)' "an unknown catalogue format is named"

# --- report --merge ----------------------------------------------------------
F=$WORK/fleet && mkdir -p "$F/now" "$F/prev"
"$K" scan --root "$H" -q -o "$F/prev/web1.json"
"$K" scan --root "$I" -q -o "$F/now/web1.json"
"$K" scan --root "$H" -q -o "$F/now/db1.json"
"$K" scan --root "$I" -q -o "$F/prev/db1.json"
expect_exit 0 "report --merge into html, markdown and json" -- "$K" report --merge --previous "$F/prev" \
        "$F/now/web1.json" "$F/now/db1.json" -o "$F/fleet.html" -o "$F/fleet.md" -o "$F/fleet.json"
validate "$SRC/report/schema/fleet.schema.json" "$F/fleet.json" "the fleet JSON follows fleet.schema.json"
/usr/bin/python3 - "$F/fleet.json" >"$WORK/merge.log" 2>&1 <<'EOF'
import json, sys
f = json.load(open(sys.argv[1]))
h = {x["name"]: x for x in f["hosts"]}
assert list(h) == ["web1", "db1"], list(h)
assert h["db1"]["score"] == 100.0 and h["db1"]["worst"] == [], h["db1"]
assert h["web1"]["score"] < 50 and len(h["web1"]["worst"]) == 5, h["web1"]["score"]
sev = ["critical", "high", "medium", "low", "info"]
w = [sev.index(x["severity"]) for x in h["web1"]["worst"]]
assert w == sorted(w), w
assert h["web1"]["change"]["new_failures"] > 0 and h["web1"]["change"]["score_delta"] < 0
assert h["db1"]["change"]["fixed"] > 0 and h["db1"]["change"]["score_delta"] > 0
assert all(c["hosts"] == ["web1"] for c in f["failing_checks"]), "only web1 fails"
assert f["summary"]["fail"] == h["web1"]["summary"]["fail"]
n = [len(c["hosts"]) for c in f["failing_checks"]]
assert n == sorted(n, reverse=True)
print("ok")
EOF
[ $? = 0 ] && ok "fleet: rows, worst findings by severity, change since previous, failing checks" ||
        { bad "fleet content"; sed 's/^/    /' "$WORK/merge.log" | tail -3; }
# web1's score as its own report has it (the fleet JSON carries it through)
web1_score=$(python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["score"])' "$F/now/web1.json" 2>/dev/null ||
        echo missing)
expect_grep "$F/fleet.md" "^\\| web1 \\| ${web1_score//./\\.} \\|" "markdown: one row per host with its score ($web1_score)"
expect_grep "$F/fleet.html" '<th scope="row">db1' "html: one row per host"
if command -v xmllint >/dev/null; then
        xmllint --html --noout "$F/fleet.html" 2>"$WORK/xl" && ok "the fleet HTML parses" ||
                { bad "the fleet HTML does not parse"; head -3 "$WORK/xl"; }
fi
expect_exit 0 "report --merge without --previous" -- "$K" report --merge "$F/now/web1.json" --format markdown
expect_grep "$WORK/out" '\| — \|' "no previous report: no change shown"
mkdir -p "$F/other" && cp "$F/now/web1.json" "$F/other/web1.json"
expect_exit 2 "two reports named alike" -- "$K" report --merge "$F/now/web1.json" "$F/other/web1.json" -f json
expect_grep "$WORK/err" 'other/web1.json: a second report of host "web1"' "the second report is named"
echo '{"schema_version": 1}' >"$F/broken.json"
expect_exit 2 "a broken host report" -- "$K" report --merge "$F/now/web1.json" "$F/broken.json" -f json
expect_grep "$WORK/err" 'broken\.json: .*missing' "the broken file and field are named"
expect_exit 2 "a fleet report in sarif" -- "$K" report --merge "$F/now/web1.json" -f sarif
expect_exit 2 "a fleet report to a .prom file" -- "$K" report --merge "$F/now/web1.json" -o "$F/x.prom"
expect_grep "$WORK/err" 'a fleet report is html, markdown, json, not prometheus' "the unsupported format is named"
expect_exit 2 "--merge with no file" -- "$K" report --merge -f json
expect_exit 2 "--previous without --merge" -- "$K" report --previous "$F/prev" "$F/now/web1.json"
expect_exit 2 "diff --merge" -- "$K" diff --merge "$F/now/web1.json" "$F/now/db1.json"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
