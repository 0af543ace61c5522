#!/usr/bin/env bash
# Scans the machine the suite runs on, validates the report against the
# schema, and compares verdicts with values read here independently of
# kvmaudit.  Usage: scan-this-host.sh KVMAUDIT SOURCE_ROOT
set -u
K=$1 SRC=$2
T=$(mktemp -d) && trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }

"$K" scan --format json --output "$T/r.json"; rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 1 ]; } && ok "scan of this host ran (exit $rc)" || bad "scan exited $rc"
/usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/report/schema/report.schema.json" "$T/r.json" && ok "report validates" \
        || bad "report does not validate"

# Declared inputs (issue 13): a check that read a fact its "fact =" lines
# do not declare is an error "check bug: reads ..."; on a live host paths run
# that no fixture reaches (securityfs unmounted, libvirt up), so none may occur.
bugs=$(/usr/bin/python3 - "$T/r.json" <<'EOT'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["observed"].startswith("check bug"):
        print("%s [%s]: %s" % (r["id"], r["subject"], r["observed"]))
EOT
)
[ -z "$bugs" ] && ok "no check read an undeclared fact" || bad "undeclared reads: $bugs"

status() { # status ID [SUBJECT]
        /usr/bin/python3 - "$T/r.json" "$1" "${2:-}" <<'EOT'
import json, sys
rep = json.load(open(sys.argv[1]))
for r in rep["results"]:
    if r["id"] == sys.argv[2] and (not sys.argv[3] or r["subject"] == sys.argv[3]):
        print(r["status"]); break
else:
    print("missing")
EOT
}
expect() { # expect ID SUBJECT WANT WHY
        local got; got=$(status "$1" "$2")
        [ "$got" = "$3" ] && ok "$1${2:+ [$2]} is $3 ($4)" || bad "$1${2:+ [$2]} is $got, expected $3 ($4)"
}

# kernel.cmdline-mitigations-not-off from /proc/cmdline
m=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^mitigations=//p' | tail -n1)
if echo ",$m," | grep -qE ',(off|no_guest_host|no_guest_guest|no_cross_thread),'; then
        expect kernel.cmdline-mitigations-not-off "" fail "mitigations=$m"
else
        expect kernel.cmdline-mitigations-not-off "" pass "mitigations=${m:-(none)}"
fi
# sysctls
v=$(cat /proc/sys/kernel/kptr_restrict)
[ "$v" -ge 1 ] && w=pass || w=fail; expect kernel.kptr-restrict "" $w "kptr_restrict=$v"
v=$(cat /proc/sys/kernel/dmesg_restrict)
[ "$v" = 1 ] && w=pass || w=fail; expect kernel.dmesg-restrict "" $w "dmesg_restrict=$v"
v=$(cat /proc/sys/fs/protected_symlinks)
[ "$v" = 1 ] && w=pass || w=fail; expect kernel.fs-protected sysctl:fs.protected_symlinks $w "protected_symlinks=$v"
# /dev/kvm
if [ -e /dev/kvm ]; then
        mode=$(stat -c %a /dev/kvm)
        [ $((0$mode & ~0660)) = 0 ] && w=pass || w=fail
        command -v getfacl >/dev/null && getfacl -cp /dev/kvm 2>/dev/null | grep -qE '^(user|group):[^:]+:' && w=fail
        expect devices.kvm-node-mode "" $w "/dev/kvm mode $mode"
        expect hw.kvm-device-usable /dev/kvm pass "/dev/kvm exists and this script's host has KVM"
fi
# CPU vulnerabilities: retbleed text
if [ -r /sys/devices/system/cpu/vulnerabilities/retbleed ]; then
        t=$(cat /sys/devices/system/cpu/vulnerabilities/retbleed)
        case "$t" in "Not affected"*|Mitigation*) echo "$t" | grep -qi vulnerable && w=fail || w=pass ;; *) w=fail ;; esac
        expect cpu.retbleed-mitigated "" $w "retbleed: $t"
fi
# every vulnerability entry appears in the report, under its own check or the catch-all
for f in /sys/devices/system/cpu/vulnerabilities/*; do
        n=$(basename "$f")
        grep -q "cpuvuln:$n" "$T/r.json" && ok "cpuvuln:$n is reported" || bad "cpuvuln:$n is missing from the report"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
