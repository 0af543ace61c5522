#!/usr/bin/env bash
# Integration tests of "kvmaudit report FILE.json" (re-rendering a saved
# JSON report byte for byte as the scan printed it) and "kvmaudit diff
# OLD.json NEW.json".  Usage: report-diff.sh KVMAUDIT SOURCE_ROOT WORK_DIR
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
# expect_grep FILE REGEX DESCRIPTION
expect_grep() {
        if grep -qE -- "$2" "$1"; then ok "$3"; else bad "$3: /$2/ not in $(basename "$1")"; head -5 "$1" | sed 's/^/    /'; fi
}
expect_no_grep() {
        if ! grep -qE -- "$2" "$1"; then ok "$3"; else bad "$3: /$2/ in $(basename "$1")"; fi
}
# expect_py DESCRIPTION PYTHON-EXPRESSION: evaluated with d = the JSON in $WORK/out
expect_py() {
        if /usr/bin/python3 -c "import json, sys; d = json.load(open('$WORK/out')); sys.exit(0 if ($2) else 1)"; then
                ok "$1"; else bad "$1"; fi
}

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # skip: building the fixture hosts needs root"; echo "0 passed, 0 failed"; exit 0
fi
export KVMAUDIT_TODAY=2026-06-01
unset NO_COLOR

scenarios=()
for d in "$SRC"/tests/fixtures/hosts/*/; do
        name=$(basename "$d")
        if /usr/bin/python3 "$SRC/tests/mkfixture.py" "$d" "$WORK/$name" >/dev/null; then
                scenarios+=("$name")
        else
                bad "building the $name fixture"
        fi
done
[ ${#scenarios[@]} -gt 0 ] || { echo "$pass passed, $fail failed"; exit 1; }
scan() { local host=$1; shift; "$K" scan --root "$WORK/$host" --reproducible "$@"; }

# Every renderer: the names scan lists in its "unknown format" error, and
# those DESIGN.md promises, whichever of them this build has.
known=$("$K" scan --format '' 2>&1 | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ',')
formats=()
for f in $known text json junit markdown sarif html prometheus; do
        case " ${formats[*]-} " in *" $f "*) continue ;; esac
        scan "${scenarios[0]}" --format "$f" -o /dev/null 2>"$WORK/err"
        grep -q "unknown format" "$WORK/err" || formats+=("$f")
done
[ ${#formats[@]} -ge 4 ] && ok "renderers found: ${formats[*]}" || bad "only renderers ${formats[*]-}"

# roundtrip NAME SCAN-ARGS...: scan --format json, then every format both ways.
roundtrip() {
        local name=$1; shift
        local json=$WORK/$name.report.json
        scan "${@}" --format json >"$json" 2>/dev/null
        [ -s "$json" ] || { bad "$name: no JSON report"; return; }
        local same=() differ=()
        for f in "${formats[@]}"; do
                scan "${@}" --format "$f" >"$WORK/scan.$f" 2>/dev/null
                if "$K" report "$json" --format "$f" >"$WORK/report.$f" 2>"$WORK/err" &&
                   cmp -s "$WORK/scan.$f" "$WORK/report.$f"; then
                        same+=("$f")
                else
                        differ+=("$f"); diff "$WORK/scan.$f" "$WORK/report.$f" | head -5 | sed 's/^/    /'
                        sed 's/^/    /' "$WORK/err" | head -3
                fi
        done
        if [ ${#differ[@]} = 0 ]; then ok "$name: report re-renders byte for byte (${same[*]})"
        else bad "$name: report differs from scan for ${differ[*]}"; fi
}
for s in "${scenarios[@]}"; do
        roundtrip "$s" "$s"
done

# --output and --no-color
I=$WORK/insecure-intel.report.json H=$WORK/hardened-intel.report.json
expect_exit 0 "report --output FILE" -- "$K" report "$I" --no-color --output "$WORK/report-o.txt"
scan insecure-intel --no-color >"$WORK/scan-o.txt" 2>/dev/null
cmp -s "$WORK/scan-o.txt" "$WORK/report-o.txt" && ok "report --output writes the text report" ||
        bad "report --output differs from the scan"
expect_exit 2 "report with an unknown format" -- "$K" report "$I" --format nope
expect_grep "$WORK/err" 'unknown format "nope"' "unknown format is named"
expect_exit 2 "report without a file" -- "$K" report
expect_exit 2 "report with two files" -- "$K" report "$I" "$H"

# Waivers (and the warnings of expired and unused ones) survive the round trip.
crit=$(/usr/bin/python3 -c "import json
r = json.load(open('$I'))
print(' '.join(sorted({x['id'] for x in r['results'] if x['severity'] == 'critical' and x['status'] == 'fail'})[:3]))")
{
        for id in $crit; do
                printf '[%s]\nreason = Accepted for %s\nowner = platform-team@example.com\nexpires = 2027-03-31\n\n' "$id" "$id"
        done
        printf '[kernel.kaslr]\nreason = Old waiver\nowner = nobody@example.com\nexpires = 2020-01-01\n\n'
} >"$WORK/site.waivers"
roundtrip waived insecure-intel --waivers "$WORK/site.waivers"
W=$WORK/waived.report.json
cp "$W" "$WORK/out"
expect_py "waived report has waived results" "any(x['status'] == 'waived' and x.get('waiver') for x in d['results'])"
expect_py "waived report has warnings" "len(d.get('warnings', [])) >= 1"
expect_exit 0 "report of the waived report as text" -- "$K" report "$W"
expect_grep "$WORK/out" "waived: Accepted for" "text shows the waiver reason"
expect_grep "$WORK/out" "^warning: .*expired" "text shows the expired-waiver warning"

# diff: hardened -> insecure got worse.
for f in text json markdown; do
        expect_exit 1 "diff hardened insecure --format $f" -- "$K" diff "$H" "$I" --format "$f"
        cp "$WORK/out" "$WORK/diff-worse.$f"
done
expect_grep "$WORK/diff-worse.text" "^New failures: [1-9]" "text diff counts new failures"
expect_grep "$WORK/diff-worse.text" "FAIL +[a-z]+ +kernel\.kaslr$" "text diff lists kernel.kaslr as a new failure"
expect_grep "$WORK/diff-worse.text" "^Score: [0-9.]+ -> [0-9.]+ \(-[0-9.]+\)" "text diff shows old -> new score and delta"
expect_no_grep "$WORK/diff-worse.text" $'\033' "text diff has no colour when not on a terminal"
expect_grep "$WORK/diff-worse.markdown" '^\| [a-z]+ \| `kernel\.kaslr` \| host \| fail \|' "markdown diff lists kernel.kaslr"
expect_grep "$WORK/diff-worse.markdown" '^# kvmaudit diff' "markdown diff has a heading"
cp "$WORK/diff-worse.json" "$WORK/out"
expect_py "json diff: schema_version 1 and scores" \
        "d['schema_version'] == 1 and d['old_score'] > d['new_score'] and abs(d['score_delta'] - (d['new_score'] - d['old_score'])) < 0.051"
expect_py "json diff: kernel.kaslr is a new failure" \
        "any(x['id'] == 'kernel.kaslr' and x['subject'] == 'host' and x['status'] == 'fail' and x['severity'] and 'observed' in x for x in d['new_failures'])"
expect_py "json diff: nothing fixed" "d['fixed'] == [] and d['worse'] is True"
n_fail_i=$(/usr/bin/python3 -c "import json
h = json.load(open('$H')); i = json.load(open('$I'))
bad = lambda r: {(x['id'], x['subject']) for x in r['results'] if x['status'] in ('fail', 'error')}
print(len(bad(i) - bad(h)))")
expect_py "json diff: $n_fail_i new failures, as computed by python" "len(d['new_failures']) == $n_fail_i"

# insecure -> hardened got better.
for f in text json markdown; do
        expect_exit 0 "diff insecure hardened --format $f" -- "$K" diff "$I" "$H" --format "$f"
        cp "$WORK/out" "$WORK/diff-better.$f"
done
expect_grep "$WORK/diff-better.text" "^Fixed: [1-9]" "text diff counts fixed findings"
expect_grep "$WORK/diff-better.text" "^New failures: 0" "text diff: no new failures"
cp "$WORK/diff-better.json" "$WORK/out"
expect_py "json diff: kernel.kaslr fixed, now pass" \
        "any(x['id'] == 'kernel.kaslr' and x['now'] == 'pass' for x in d['fixed'])"
expect_py "json diff: no new failures, score up" "d['new_failures'] == [] and d['score_delta'] > 0 and d['worse'] is False"

# same -> same: nothing.
for f in text json markdown; do
        expect_exit 0 "diff insecure insecure --format $f" -- "$K" diff "$I" "$I" --format "$f"
        cp "$WORK/out" "$WORK/diff-same.$f"
done
cp "$WORK/diff-same.json" "$WORK/out"
expect_py "json diff of a report with itself is empty" \
        "d['new_failures'] == d['fixed'] == d['changed'] == d['checks_added'] == d['checks_removed'] == [] and d['score_delta'] == 0"
expect_exit 0 "diff --output FILE" -- "$K" diff "$I" "$I" --format json --output "$WORK/diff-o.json"
cmp -s "$WORK/diff-o.json" "$WORK/diff-same.json" && ok "diff --output writes the diff" || bad "diff --output differs"
expect_exit 2 "diff with an unknown format" -- "$K" diff "$I" "$H" --format junit
expect_exit 2 "diff with one file" -- "$K" diff "$I"

# Changed evidence, and checks added or removed (edited copies).
/usr/bin/python3 - "$I" "$WORK/changed.json" "$WORK/fewer.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
x = next(x for x in r['results'] if x['id'] == 'kernel.kaslr')
x['observed'] = x['observed'] + ' (edited)'
json.dump(r, open(sys.argv[2], 'w'), indent=2)
# Drop a passing check entirely: its category counts and the summary shrink.
r = json.load(open(sys.argv[1]))
gone = next(x for x in r['results'] if x['status'] == 'skip')
r['results'] = [x for x in r['results'] if x['id'] != gone['id']]
r['summary']['skip'] -= 1
r['categories'][gone['category']]['skip'] -= 1
json.dump(r, open(sys.argv[3], 'w'), indent=2)
EOF
expect_exit 0 "diff with changed evidence" -- "$K" diff "$I" "$WORK/changed.json" --format json
expect_py "json diff: changed observed of kernel.kaslr" \
        "[(x['id'], x['new_observed'].endswith('(edited)')) for x in d['changed']] == [('kernel.kaslr', True)]"
expect_exit 0 "diff with a check removed" -- "$K" diff "$I" "$WORK/fewer.json" --format json
expect_py "json diff: one check removed" "len(d['checks_removed']) == 1 and d['checks_added'] == []"
expect_exit 0 "diff with a check added" -- "$K" diff "$WORK/fewer.json" "$I" --format text
expect_grep "$WORK/out" "^Checks added: 1" "text diff lists the added check"

# Bad inputs: exit 2 and the file named, for report and for both sides of diff.
mk() { /usr/bin/python3 -c "import json, sys
r = json.load(open('$I'))
$2
json.dump(r, open('$WORK/$1', 'w'), indent=2)"; }
head -c 700 "$I" >"$WORK/truncated.json"
mk v2.json "r['schema_version'] = 2"
mk huge.json "r['results'][3]['severity'] = 'huge'"
mk status.json "r['results'][2]['status'] = 'maybe'"
mk notype.json "r['results'][1]['observed'] = 42"
mk noid.json "del r['results'][0]['id']"
mk score.json "r['score'] = 99.0 if r['score'] != 99.0 else 98.0"
mk counts.json "r['summary']['pass'] += 1"
mkdir -p "$WORK/dir.json"
# name|regex of the message
cases=(
        "truncated.json|not valid JSON: .*at byte [0-9]+"
        "v2.json|schema_version 2 is newer than this kvmaudit reads \(1\)"
        "huge.json|results\[3\]\.severity: unknown severity \"huge\""
        "status.json|results\[2\]\.status: unknown status \"maybe\""
        "notype.json|results\[1\]\.observed: must be a string, not a number"
        "noid.json|results\[0\]\.id: missing"
        "score.json|score: [0-9.]+ does not match the results"
        "counts.json|summary\.pass: [0-9]+ does not match"
        "dir.json|Is a directory"
        "missing.json|No such file or directory"
)
for c in "${cases[@]}"; do
        f=${c%%|*} re=${c#*|}
        expect_exit 2 "report $f" -- "$K" report "$WORK/$f"
        expect_grep "$WORK/err" "$WORK/$f: $re" "report $f: message names the file and the problem"
        expect_exit 2 "diff OLD=$f" -- "$K" diff "$WORK/$f" "$I"
        expect_grep "$WORK/err" "$WORK/$f: " "diff OLD=$f: message names the file"
        expect_exit 2 "diff NEW=$f" -- "$K" diff "$I" "$WORK/$f"
        expect_grep "$WORK/err" "$WORK/$f: " "diff NEW=$f: message names the file"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
