#!/usr/bin/env bash
# Integration tests of "kvmaudit scan --waivers FILE" on the insecure-intel
# fixture host.  Usage: waivers.sh KVMAUDIT SOURCE_ROOT WORK_DIR
set -u
K=$1 SRC=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }

# expect_exit CODE DESCRIPTION -- CMD...
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
# expect_py DESCRIPTION PYTHON-EXPRESSION: evaluated with r = the JSON report in $WORK/out
expect_py() {
        if /usr/bin/python3 -c "import json, sys; r = json.load(open('$WORK/out')); sys.exit(0 if ($2) else 1)"; then
                ok "$1"; else bad "$1"; fi
}
# status ID SUBJECT: a Python expression for that result's status
status() { echo "[x['status'] for x in r['results'] if x['id'] == '$1' and x['subject'] == '$2']"; }

if [ "$(id -u)" != 0 ]; then
        echo "1..0 # skip: building the fixture host needs root"; echo "0 passed, 0 failed"; exit 0
fi
/usr/bin/python3 "$SRC/tests/mkfixture.py" "$SRC/tests/fixtures/hosts/insecure-intel" "$WORK/insecure" >/dev/null ||
        { bad "building the insecure-intel fixture"; echo "$pass passed, $fail failed"; exit 1; }
I=$WORK/insecure
export KVMAUDIT_TODAY=2026-06-01
scan() { "$K" scan --root "$I" --reproducible "$@"; }

# Baseline: which critical checks fail on this host.
expect_exit 0 "scan without waivers" -- scan --format json
cp "$WORK/out" "$WORK/base.json"
crit=$(/usr/bin/python3 -c "import json
r = json.load(open('$WORK/base.json'))
print(' '.join(sorted({x['id'] for x in r['results'] if x['severity'] == 'critical' and x['status'] == 'fail'})))")
[ -n "$crit" ] && ok "critical failures without waivers: $crit" || bad "no critical failure to waive"
expect_py "no warnings key without waivers" "'warnings' not in r"
expect_exit 1 "--fail-on critical fails without waivers" -- scan --quiet --fail-on critical

# Active waivers for every critical failure.
{
        echo "# every critical failure of insecure-intel"
        for id in $crit; do
                printf '[%s]\nreason = Accepted for %s\nowner = platform-team@example.com\nexpires = 2027-03-31\n\n' "$id" "$id"
        done
} >"$WORK/critical.waivers"
expect_exit 0 "scan with critical waivers" -- scan --format json --waivers "$WORK/critical.waivers"
first=${crit%% *}
expect_py "$first is waived" "$(status "$first" host) == ['waived']"
expect_py "waiver text has reason, owner and expiry" \
        "[x['waiver'] for x in r['results'] if x['id'] == '$first'] == ['Accepted for $first (owner platform-team@example.com, expires 2027-03-31)']"
expect_py "no critical failure left" "not [x for x in r['results'] if x['severity'] == 'critical' and x['status'] == 'fail']"
expect_py "summary counts the waived results" "r['summary']['waived'] == $(wc -w <<<"$crit")"
expect_py "no warnings when every waiver applies" "'warnings' not in r"
# Not validated against report.schema.json: it does not list a result's
# "waiver" key yet (additionalProperties false).
score_base=$(/usr/bin/python3 -c "import json; print(json.load(open('$WORK/base.json'))['score'])")
score_waived=$(/usr/bin/python3 -c "import json; print(json.load(open('$WORK/out'))['score'])")
/usr/bin/python3 -c "import sys; sys.exit(0 if $score_waived >= $score_base else 1)" &&
        ok "score with waivers ($score_waived) >= without ($score_base)" ||
        bad "score with waivers ($score_waived) < without ($score_base)"
expect_exit 0 "--fail-on critical passes when every critical failure is waived" -- \
        scan --quiet --fail-on critical --waivers "$WORK/critical.waivers"
expect_exit 0 "text report with waivers" -- scan --waivers "$WORK/critical.waivers"
expect_grep "$WORK/out" "WAIVED +critical +$first" "text report shows the waived result"
expect_grep "$WORK/out" "waived: Accepted for $first \\(owner platform-team@example.com, expires 2027-03-31\\)" \
        "text report shows the waiver"
KVMAUDIT_TODAY=2027-03-31 scan --quiet --fail-on critical --waivers "$WORK/critical.waivers" 2>/dev/null &&
        ok "a waiver still applies on its expiry day" || bad "a waiver does not apply on its expiry day"

# A subject glob waives only the subjects it matches.
cat >"$WORK/glob.waivers" <<'EOT'
[kernel.fs-protected]
subject = sysctl:fs.protected_*links
reason = Legacy build farm
  relies on it
owner = ci@example.com
expires = 2027-01-01
EOT
expect_exit 0 "scan with a subject glob" -- scan --format json --waivers "$WORK/glob.waivers"
expect_py "glob waives fs.protected_symlinks" "$(status kernel.fs-protected sysctl:fs.protected_symlinks) == ['waived']"
expect_py "glob waives fs.protected_hardlinks" "$(status kernel.fs-protected sysctl:fs.protected_hardlinks) == ['waived']"
expect_py "glob leaves fs.protected_fifos failing" "$(status kernel.fs-protected sysctl:fs.protected_fifos) == ['fail']"
expect_py "glob leaves fs.protected_regular failing" "$(status kernel.fs-protected sysctl:fs.protected_regular) == ['fail']"
expect_py "a continuation line joins the reason" \
        "[x['waiver'] for x in r['results'] if x['status'] == 'waived'][0].startswith('Legacy build farm relies on it (')"

# An expired waiver does not waive and says so.
cat >"$WORK/expired.waivers" <<'EOT'
[kernel.kaslr]
reason = Needed for the crash-dump kernel
owner = platform-team@example.com
expires = 2026-03-31
EOT
KVMAUDIT_TODAY=2026-04-01 expect_exit 0 "scan with an expired waiver" -- scan --format json --waivers "$WORK/expired.waivers"
expect_py "expired waiver leaves the fail" "$(status kernel.kaslr host) == ['fail']"
expect_grep "$WORK/err" '^kvmaudit: warning: waiver kernel\.kaslr \(.*expired\.waivers:1\) expired on 2026-03-31; not applied$' \
        "expired waiver warns on stderr"
expect_py "expired waiver is in the JSON warnings" \
        "len(r['warnings']) == 1 and r['warnings'][0].endswith('expired.waivers:1) expired on 2026-03-31; not applied')"
/usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/report/schema/report.schema.json" "$WORK/out" >/dev/null &&
        ok "report with warnings matches the schema" || bad "report with warnings does not match the schema"
KVMAUDIT_TODAY=2026-04-01 expect_exit 0 "text report with an expired waiver" -- scan --waivers "$WORK/expired.waivers"
expect_grep "$WORK/out" '^warning: waiver kernel\.kaslr .* expired on 2026-03-31; not applied$' "text report shows the warning"
if tail -1 "$WORK/out" | grep -q '^Score:' && tail -3 "$WORK/out" | grep -q '^warning:'; then
        ok "text warning comes just before the summary line"
else
        bad "text warning is not just before the summary line"
fi

# A waiver that waives nothing is reported as unused.
cat >"$WORK/unused.waivers" <<'EOT'
[kernel.kptr-restrict]
subject = domain:nosuch-*
reason = r
owner = o
expires = 2030-02-28
EOT
expect_exit 0 "scan with an unused waiver" -- scan --format json --waivers "$WORK/unused.waivers"
expect_grep "$WORK/err" 'warning: waiver kernel\.kptr-restrict \(.*unused\.waivers:1\) matched no result' \
        "unused waiver warns on stderr"
expect_py "unused waiver is in the JSON warnings" "r['warnings'][0].endswith('unused.waivers:1) matched no result')"
expect_py "unused waiver waives nothing" "r['summary']['waived'] == 0"

# Malformed files: exit 2 with FILE:LINE.
bad_case() { # NAME LINE REGEX CONTENT
        printf '%s' "$4" >"$WORK/$1.waivers"
        expect_exit 2 "malformed: $1" -- scan --quiet --waivers "$WORK/$1.waivers"
        expect_grep "$WORK/err" "$1\\.waivers:$2: .*$3" "malformed: $1 names FILE:$2"
}
hdr='[kernel.kaslr]
'
good='reason = r
owner = o
'
bad_case unknown-key 4 'unknown key "colour"' "$hdr${good}colour = red
expires = 2027-01-01
"
bad_case missing-reason 1 'has no "reason"' "${hdr}owner = o
expires = 2027-01-01
"
bad_case missing-expires 1 'has no "expires"' "$hdr$good"
bad_case empty-owner 3 'empty value for "owner"' "${hdr}reason = r
owner =
expires = 2027-01-01
"
bad_case impossible-date 4 'not a date' "$hdr${good}expires = 2027-02-30
"
bad_case short-date 4 'not a date' "$hdr${good}expires = 27-3-1
"
bad_case unknown-check 2 'unknown check id "kernel.nosuch"' "# comment
[kernel.nosuch]
$good"
bad_case key-outside-section 1 'key outside of a' "reason = r
$hdr${good}expires = 2027-01-01
"
bad_case repeated-key 4 'repeated key "owner"' "$hdr${good}owner = p
expires = 2027-01-01
"
bad_case malformed-header 1 'malformed section header' "[kernel.kaslr
$good"
bad_case second-section 5 'has no "owner"' "$hdr${good}expires = 2027-01-01
[kernel.kaslr]
reason = r
expires = 2027-01-01
"
expect_exit 2 "missing waiver file" -- scan --quiet --waivers "$WORK/nonexistent.waivers"
expect_grep "$WORK/err" 'nonexistent\.waivers' "missing waiver file is named"
KVMAUDIT_TODAY=2026-13-01 expect_exit 2 "bad KVMAUDIT_TODAY" -- scan --quiet --waivers "$WORK/glob.waivers"
expect_exit 2 "--waivers is not an option of collect" -- "$K" collect --root "$I" --waivers "$WORK/glob.waivers"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
