#!/usr/bin/env bash
# Prometheus rules and scheduled scans (issue 17): promtool check rules and
# promtool test rules on contrib/prometheus; systemd-analyze verify on the
# service and timer (where systemd-analyze exists); the service's and the
# cron line's scan command run as written (paths moved into WORK) write
# the textfile (promtool check metrics) and the JSON report, both replaced
# atomically.
# Usage: schedule.sh KVMAUDIT SOURCE_ROOT WORK_DIR
set -u
K=$(realpath "$1") SRC=$2 WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
skipped() { skip=$((skip + 1)); echo "ok - # SKIP $*"; }
P=$SRC/contrib/prometheus
if ! command -v promtool >/dev/null; then
        bad "promtool not found (scripts/setup-deps installs it)"
else
        promtool check rules "$P/kvmaudit.rules.yml" >"$WORK/check.log" 2>&1 && ok "promtool check rules" ||
                { bad "promtool check rules"; tail -5 "$WORK/check.log" | sed 's/^/    /'; }
        (cd "$P" && promtool test rules kvmaudit.rules.test.yml) >"$WORK/test.log" 2>&1 && ok "promtool test rules" ||
                { bad "promtool test rules"; tail -15 "$WORK/test.log" | sed 's/^/    /'; }
fi
# The units as shipped, with the binary of this build and without the
# man: link (the page is not installed here).
mkdir -p "$WORK/units"
for u in kvmaudit-scan.service kvmaudit-scan.timer; do
        sed -e "s|/usr/bin/kvmaudit|$K|" -e '/^Documentation=/d' "$SRC/contrib/systemd/$u" >"$WORK/units/$u"
done
if command -v systemd-analyze >/dev/null; then
        (cd "$WORK/units" && systemd-analyze verify ./kvmaudit-scan.service ./kvmaudit-scan.timer) \
                >"$WORK/verify.log" 2>&1 && ok "systemd-analyze verify" ||
                { bad "systemd-analyze verify"; head -5 "$WORK/verify.log" | sed 's/^/    /'; }
else
        skipped "systemd-analyze not installed"
fi
# The service's command line, with its output directories in WORK.
cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$WORK/units/kvmaudit-scan.service" | sed 's/^ExecStart=//; s/\\$//' | tr '\n' ' ')
cmd=${cmd//\/var\/lib\//$WORK\/var\/lib\/}
mkdir -p "$WORK/var/lib/prometheus/node-exporter" "$WORK/var/lib/kvmaudit"
echo stale >"$WORK/var/lib/kvmaudit/report.json"
ino=$(stat -c %i "$WORK/var/lib/kvmaudit/report.json")
eval "$cmd"; rc=$?
[ "$rc" -le 1 ] && ok "the service's scan runs (exit $rc, SuccessExitStatus=1)" || bad "the service's scan: exit $rc"
T=$WORK/var/lib/prometheus/node-exporter/kvmaudit.prom
[ -s "$T" ] && promtool check metrics <"$T" >/dev/null 2>&1 && ok "the textfile passes promtool check metrics" ||
        bad "the textfile is missing or fails promtool check metrics"
/usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/report/schema/report.schema.json" "$WORK/var/lib/kvmaudit/report.json" \
        >/dev/null && ok "the JSON report validates" || bad "the JSON report does not validate"
[ "$(stat -c %i "$WORK/var/lib/kvmaudit/report.json")" != "$ino" ] && ok "the report was replaced by rename" ||
        bad "the report was written in place"
# The cron line: the same two outputs.
line=$(grep -E '^[0-9*]' "$SRC/contrib/cron/kvmaudit" | cut -d' ' -f7-)
line=${line//\/var\/lib\//$WORK\/var\/lib\/}
rm -f "$T"
(PATH=$(dirname "$K"):$PATH; eval "$line") >"$WORK/cron.out" 2>&1
[ -s "$T" ] && [ ! -s "$WORK/cron.out" ] && ok "the cron line writes the textfile and mails nothing" ||
        { bad "the cron line"; head -3 "$WORK/cron.out" | sed 's/^/    /'; }
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
