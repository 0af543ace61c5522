#!/usr/bin/env bash
# The Ansible collection (issue 17): contrib/ansible/playbooks/fleet.yml
# run by ansible-playbook against this machine under two inventory names
# (connection: local): each is scanned, its report fetched as
# reports/NAME.json, and the controller merges them into fleet.html, .md
# and .json; a second run keeps the first reports as previous/ and the
# fleet report shows the change.  Collect mode scores facts on the
# controller.
# Usage: ansible.sh KVMAUDIT SOURCE_ROOT WORK_DIR [DEB]
# With DEB (tests/integration/debian.sh passes the .deb it built), the
# role installs that package on both inventory hosts (kvmaudit_install=deb)
# and every scan and the merge run /usr/bin/kvmaudit from it: a machine goes
# from the .deb to a fleet report; the package is removed at the end.
set -u
K=$(realpath "$1") SRC=$2 WORK=$3 DEB=${4:-}
install_vars="kvmaudit_install=none
kvmaudit_binary=$K"
forks=5
if [ -n "$DEB" ]; then
        # both inventory hosts are this machine: one dpkg at a time
        forks=1
        K=/usr/bin/kvmaudit
        install_vars="kvmaudit_install=deb
kvmaudit_deb=$DEB
kvmaudit_binary=$K"
fi
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
if ! command -v ansible-playbook >/dev/null; then
        bad "ansible-playbook not found (scripts/setup-deps installs ansible-core)"
        echo "$pass passed, $fail failed, $skip skipped"; exit 1
fi
cat >"$WORK/inventory.ini" <<INV
[kvm_hosts]
hv-a ansible_connection=local kvmaudit_report_path=$WORK/remote/hv-a/report.json
hv-b ansible_connection=local kvmaudit_report_path=$WORK/remote/hv-b/report.json

[kvm_hosts:vars]
ansible_python_interpreter=/usr/bin/python3
$install_vars
INV
F=$WORK/fleet
play() {
        ANSIBLE_ROLES_PATH="$SRC/contrib/ansible/roles" ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
        ANSIBLE_LOCAL_TEMP="$WORK/tmp" ANSIBLE_REMOTE_TEMP="$WORK/tmp" \
                ansible-playbook --forks "$forks" -i "$WORK/inventory.ini" "$SRC/contrib/ansible/playbooks/fleet.yml" \
                -e kvmaudit_fleet_dir="$F" -e kvmaudit_controller_binary="$K" -e kvmaudit_become=false "$@"
}
if play >"$WORK/run1.log" 2>&1; then ok "ansible-playbook fleet.yml (first run)"; else
        bad "ansible-playbook fleet.yml failed"; tail -20 "$WORK/run1.log" | sed 's/^/    /'; fi
for n in hv-a hv-b; do
        [ -s "$F/reports/$n.json" ] && ok "reports/$n.json fetched" || bad "reports/$n.json missing"
done
for f in fleet.html fleet.md fleet.json; do [ -s "$F/$f" ] && ok "$f built" || bad "$f missing"; done
/usr/bin/python3 "$SRC/tests/validate-json.py" "$SRC/report/schema/fleet.schema.json" "$F/fleet.json" >/dev/null &&
        ok "fleet.json follows fleet.schema.json" || bad "fleet.json does not validate"
if play >"$WORK/run2.log" 2>&1; then ok "ansible-playbook fleet.yml (second run)"; else
        bad "second run failed"; tail -20 "$WORK/run2.log" | sed 's/^/    /'; fi
/usr/bin/python3 - "$F/fleet.json" >"$WORK/check.log" 2>&1 <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
names = [h["name"] for h in f["hosts"]]
assert names == ["hv-a", "hv-b"], names
assert all(h["change"] is not None for h in f["hosts"]), "no change since the previous run"
assert all(h["score"] is not None for h in f["hosts"])
print("ok")
PY
[ $? = 0 ] && ok "fleet: two inventory hosts, each with its change since the previous run" ||
        { bad "fleet content"; tail -3 "$WORK/check.log" | sed 's/^/    /'; }
[ -s "$F/previous/hv-a.json" ] && ok "the first report was kept as previous/hv-a.json" || bad "no previous report"
grep -q '<th scope="row">hv-b' "$F/fleet.html" && ok "fleet.html has a row per inventory host" || bad "fleet.html rows"
if play -e kvmaudit_mode=collect >"$WORK/run3.log" 2>&1; then ok "collect mode: facts scored on the controller"; else
        bad "collect mode failed"; tail -20 "$WORK/run3.log" | sed 's/^/    /'; fi
[ -s "$F/facts/hv-a.json" ] && ok "facts/hv-a.json fetched" || bad "facts/hv-a.json missing"
if [ -n "$DEB" ]; then
        dpkg-query -W -f='${Status} ${Version}' kvmaudit 2>/dev/null | grep -q "install ok installed" &&
                ok "the role installed $(basename "$DEB") ($(dpkg-query -W -f='${Version}' kvmaudit))" ||
                bad "kvmaudit is not installed after the deb run"
        dpkg -r kvmaudit >"$WORK/remove.log" 2>&1 && ok "dpkg -r kvmaudit (the machine as it was)" ||
                bad "dpkg -r kvmaudit failed: $(tail -2 "$WORK/remove.log")"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
