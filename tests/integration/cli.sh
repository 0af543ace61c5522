#!/usr/bin/env bash
# Integration tests of the CLI as a user runs it: exit codes, messages,
# outputs.  Usage: cli.sh KVMAUDIT SOURCE_ROOT WORK_DIR
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

mk() { /usr/bin/python3 "$SRC/tests/mkfixture.py" "$SRC/tests/fixtures/hosts/$1" "$WORK/$1" >/dev/null; }
if [ "$(id -u)" = 0 ]; then mk hardened-intel; mk insecure-intel; mk offline-image; fi
H=$WORK/hardened-intel I=$WORK/insecure-intel

expect_exit 0 "--version" -- "$K" --version
expect_grep "$WORK/out" '^kvmaudit [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"
expect_exit 0 "--help" -- "$K" --help
expect_grep "$WORK/out" 'scan' "--help lists scan"
for verb in scan collect checks explain; do
        grep -q "^  $verb " "$WORK/out" || bad "--help does not list $verb"
done
expect_exit 2 "no command" -- "$K"
expect_exit 2 "unknown command" -- "$K" frobnicate
expect_grep "$WORK/err" 'unknown command "frobnicate"' "unknown command is named"
expect_exit 2 "unknown format" -- "$K" scan --format yaml
expect_grep "$WORK/err" 'unknown format "yaml"' "unknown format is named"
expect_exit 2 "unknown --only" -- "$K" scan --only nosuchcategory
expect_exit 2 "unknown --skip" -- "$K" scan --skip kernel.nosuch
expect_exit 2 "bad --fail-under" -- "$K" scan --fail-under 101
expect_exit 2 "bad --fail-on" -- "$K" scan --fail-on severe
expect_exit 2 "--root that does not exist" -- "$K" scan --root "$WORK/nonexistent"
expect_grep "$WORK/err" 'nonexistent' "missing root is named"
expect_exit 2 "stray argument" -- "$K" scan extra
expect_exit 2 "--root with --facts" -- "$K" scan --root / --facts /dev/null

expect_exit 0 "checks" -- "$K" checks
n=$(wc -l <"$WORK/out")
[ "$n" -ge 61 ] && ok "checks lists $n checks" || bad "checks lists only $n checks"
expect_exit 0 "explain" -- "$K" explain kernel.kaslr
expect_grep "$WORK/out" 'Remediation:' "explain shows remediation"
expect_grep "$WORK/out" 'https://' "explain shows a reference"
expect_exit 2 "explain unknown id" -- "$K" explain kernel.nosuch

# Site checks: a good one is listed and evaluated, bad ones exit 2 with file:line.
mkdir -p "$WORK/site-good" "$WORK/site-bad"
cat >"$WORK/site-good/site.check" <<'EOT'
[kernel.site-panic-on-oops]
title = The kernel panics on oops
category = kernel
severity = low
scope = host
fact = sysctl:kernel.panic_on_oops
expect = eq 1
if-absent = skip
rationale = Site policy.
remediation = Set kernel.panic_on_oops = 1.
EOT
expect_exit 0 "site check is listed" -- "$K" checks --checks "$WORK/site-good"
expect_grep "$WORK/out" '^kernel.site-panic-on-oops' "site check appears in checks"
printf '[kernel.x]\ntitle = t\ncategory = kernel\nseverity = low\nscope = host\nfact = sysctl:a\nexpect = eq 1\nrationale = r\nremediaton = typo\n' >"$WORK/site-bad/a.check"
expect_exit 2 "unknown key in a site check" -- "$K" scan --checks "$WORK/site-bad"
expect_grep "$WORK/err" 'a.check:9: unknown key "remediaton"' "unknown key named with file:line"
printf '[kernel.y]\ntitle = t\ncategory = kernel\nseverity = low\nscope = host\nfact = bogus:a\nexpect = eq 1\nrationale = r\nremediation = r\n' >"$WORK/site-bad/a.check"
expect_exit 2 "unknown namespace" -- "$K" checks --checks "$WORK/site-bad"
expect_grep "$WORK/err" 'a.check:6: unknown fact namespace' "unknown namespace named with file:line"
printf '[kernel.y]\ntitle = t\ncategory = kernel\nseverity = low\nscope = host\nfact = sysctl:a\nexpect = sounds-good 1\nrationale = r\nremediation = r\n' >"$WORK/site-bad/a.check"
expect_exit 2 "unknown operator" -- "$K" checks --checks "$WORK/site-bad"
expect_grep "$WORK/err" 'a.check:7: unknown operator "sounds-good"' "unknown operator named with file:line"
printf '[kernel.y]\ntitle = t\ncategory = kernel\nseverity = low\nscope = host\nfact = sysctl:a\nexpect = eq 1\nrationale = r\n' >"$WORK/site-bad/a.check"
expect_exit 2 "missing remediation" -- "$K" checks --checks "$WORK/site-bad"
expect_grep "$WORK/err" 'a.check:1: check "kernel.y" has no "remediation"' "missing remediation named"
sed 's/kernel.site-panic-on-oops/kernel.kaslr/' "$WORK/site-good/site.check" >"$WORK/site-bad/a.check"
expect_exit 2 "duplicate id" -- "$K" checks --checks "$WORK/site-bad"
expect_grep "$WORK/err" 'duplicate check id "kernel.kaslr"' "duplicate id named"
printf 'garbage\0binary' >"$WORK/site-bad/a.check"
expect_exit 2 "NUL bytes in a site check" -- "$K" checks --checks "$WORK/site-bad"
rm -f "$WORK/site-bad/a.check"
expect_exit 2 "empty --checks directory" -- "$K" checks --checks "$WORK/site-bad"

if [ "$(id -u)" = 0 ]; then
        # Gates and exit codes on fixture hosts.
        expect_exit 0 "hardened host passes --fail-on low" -- "$K" scan --root "$H" --fail-on low
        expect_exit 1 "insecure host fails --fail-on critical" -- "$K" scan --root "$I" --fail-on critical
        expect_exit 1 "insecure host fails --fail-under 50" -- "$K" scan --root "$I" --fail-under 50
        expect_exit 0 "insecure host passes without a gate" -- "$K" scan --root "$I"
        expect_exit 0 "hardened host passes --fail-under 100" -- "$K" scan --root "$H" --fail-under 100
        expect_exit 0 "--only kvm" -- "$K" scan --root "$I" --only kvm --format json
        /usr/bin/python3 - "$WORK/out" <<'EOT' && ok "--only kvm gives only kvm results" || bad "--only kvm leaked other categories"
import json, sys
rep = json.load(open(sys.argv[1]))
sys.exit(0 if rep["results"] and all(r["category"] == "kvm" for r in rep["results"]) else 1)
EOT
        expect_exit 0 "--skip an id" -- "$K" scan --root "$I" --skip kernel.kaslr --format json
        grep -q '"id": "kernel.kaslr"' "$WORK/out" && bad "--skip kernel.kaslr still reports it" || ok "--skip removes the check"
        expect_exit 0 "--output FILE" -- "$K" scan --root "$H" --format json --output "$WORK/report.json"
        [ -s "$WORK/report.json" ] && [ ! -s "$WORK/out" ] && ok "--output writes the file, not stdout" || bad "--output"
        expect_exit 2 "--output into a missing directory" -- "$K" scan --root "$H" --output "$WORK/no/such/dir/r.json"
        expect_exit 1 "--quiet keeps the exit code" -- "$K" scan --root "$I" --quiet --fail-on high
        [ ! -s "$WORK/out" ] && ok "--quiet prints no report" || bad "--quiet printed a report"
        expect_exit 0 "text report, not a terminal" -- "$K" scan --root "$I"
        grep -q $'\033' "$WORK/out" && bad "escape codes when not on a terminal" || ok "no colour when not a terminal"
        expect_grep "$WORK/out" '^Score: [0-9.]+/100  pass [0-9]+, fail [0-9]+, skip [0-9]+, error [0-9]+, waived [0-9]+$' "summary line"
        [ "$(tail -n1 "$WORK/out" | cut -c1-6)" = "Score:" ] && ok "summary line is last" || bad "summary line is not last"
        if command -v script >/dev/null; then
                NO_COLOR=1 script -qec "$K scan --root $I" /dev/null >"$WORK/tty" 2>&1
                grep -q $'\033\[' "$WORK/tty" && bad "NO_COLOR ignored on a terminal" || ok "NO_COLOR honoured on a terminal"
                script -qec "$K scan --root $I" /dev/null >"$WORK/tty" 2>&1
                grep -q $'\033\[' "$WORK/tty" && ok "colour on a terminal" || bad "no colour on a terminal"
        fi

        # collect -> scan --facts gives the same report, byte for byte.
        expect_exit 0 "collect --root" -- "$K" collect --root "$I" --output "$WORK/facts.json"
        /usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/report/schema/facts.schema.json" "$WORK/facts.json" >/dev/null \
                && ok "facts validate against the schema" || bad "facts do not validate"
        "$K" scan --root "$I" --reproducible --format json >"$WORK/live.json"
        "$K" scan --facts "$WORK/facts.json" --reproducible --format json >"$WORK/offline.json"
        cmp -s "$WORK/live.json" "$WORK/offline.json" && ok "scan --facts equals the scan of the root" \
                || { bad "scan --facts differs"; diff "$WORK/live.json" "$WORK/offline.json" | head -10; }
        expect_exit 0 "offline image root" -- "$K" scan --root "$WORK/offline-image" --format json
        expect_grep "$WORK/out" 'runtime state not available' "offline image: runtime checks skip with the reason"
        expect_grep "$WORK/out" '"kconfig_source": "/boot/config-6.1.0-13-amd64"' "offline image: newest /boot/config by version"
fi

# Bad facts files.
printf '{"schema_version": 1, "facts": {"kconfig:CONFIG_KVM": "y",' >"$WORK/trunc.json"
expect_exit 2 "truncated facts file" -- "$K" scan --facts "$WORK/trunc.json"
expect_grep "$WORK/err" 'trunc.json: not valid JSON' "truncated facts file is named"
echo '{"schema_version": 2, "facts": {}}' >"$WORK/v2.json"
expect_exit 2 "facts file from a newer schema" -- "$K" scan --facts "$WORK/v2.json"
expect_grep "$WORK/err" 'schema_version 2 is not supported' "newer schema is named"
echo '{"schema_version": 1, "facts": {"stat:/dev/kvm": {"stat": {"type": "chr", "mode": "9999", "uid": 0, "gid": 0}}}}' >"$WORK/mode.json"
expect_exit 2 "facts file with a bad mode" -- "$K" scan --facts "$WORK/mode.json"
expect_grep "$WORK/err" 'stat:/dev/kvm' "bad fact is named"
expect_exit 2 "facts file that is a directory" -- "$K" scan --facts "$WORK"
echo '{"schema_version": 1, "facts": {}}' >"$WORK/empty.json"
expect_exit 0 "empty facts: every check errors or skips, none passes" -- "$K" scan --facts "$WORK/empty.json" --format json
/usr/bin/python3 - "$WORK/out" <<'EOT' && ok "no silent pass from an empty facts file" || bad "a check passed on no facts"
import json, sys
rep = json.load(open(sys.argv[1]))
sys.exit(0 if all(r["status"] in ("error", "skip") for r in rep["results"]) else 1)
EOT

# --debug: kvmaudit's own seccomp filter says it is installed (and would
# name each denied call); a build without libseccomp says why not
expect_exit 0 "scan --debug" -- "$K" scan --debug --only kernel.kaslr -o "$WORK/debug.json"
expect_grep "$WORK/err" 'sandbox: installed|built without libseccomp' "--debug reports kvmaudit's own sandbox"
expect_exit 2 "--debug is not an option of report" -- "$K" report --debug "$WORK/debug.json"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
