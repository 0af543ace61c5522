#!/usr/bin/env bash
# The Debian package (issue 17): "dpkg-buildpackage -us -uc -b" on a copy of
# the tree builds a .deb that holds the binary, the catalogue, the gates,
# the JSON schemas, the man page and the bash completion, declares what the
# binary links and recommends what it dlopen()s (libvirt0), and lintian
# reports no error.  The .deb's binary runs.
# Usage: debian.sh SOURCE_ROOT WORK_DIR
set -u
SRC=$1 WORK=$2
rm -rf "$WORK" && mkdir -p "$WORK/src"
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
skipped() { skip=$((skip + 1)); echo "ok - # SKIP $*"; }
for tool in dpkg-buildpackage dh lintian; do
        if ! command -v $tool >/dev/null; then
                bad "$tool not found (scripts/setup-deps installs debhelper, dpkg-dev and lintian)"
                echo "$pass passed, $fail failed, $skip skipped"; exit 1
        fi
done
# The tracked files as they are in the work tree (uncommitted edits too).
(cd "$SRC" && git ls-files -z --cached --others --exclude-standard | tar --null --no-recursion -T - -cf -) | tar -xf - -C "$WORK/src"
if (cd "$WORK/src" && dpkg-buildpackage -us -uc -b) >"$WORK/build.log" 2>&1; then
        ok "dpkg-buildpackage -us -uc -b"
else
        bad "dpkg-buildpackage failed"; tail -20 "$WORK/build.log" | sed 's/^/    /'
        echo "$pass passed, $fail failed, $skip skipped"; exit 1
fi
DEB=$(ls "$WORK"/kvmaudit_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] && ok "built $(basename "$DEB")" || bad "no .deb in $WORK"
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$WORK/files"
for f in /usr/bin/kvmaudit /usr/share/man/man1/kvmaudit.1.gz /usr/share/bash-completion/completions/kvmaudit \
        /usr/share/kvmaudit/schema/report.schema.json /usr/share/kvmaudit/schema/fleet.schema.json \
        /usr/share/kvmaudit/schema/checks.schema.json /usr/share/kvmaudit/schema/facts.schema.json \
        /usr/share/kvmaudit/checks/kernel.check /usr/share/kvmaudit/gates/baseline.profile; do
        grep -qx "$f" "$WORK/files" && ok "the .deb holds $f" || bad "the .deb lacks $f"
done
deps=$(dpkg-deb -f "$DEB" Depends) recs=$(dpkg-deb -f "$DEB" Recommends)
for lib in libxml2 libjson-c5 zlib1g libc6; do
        echo "$deps" | grep -q "$lib" && ok "Depends: $lib" || bad "Depends lacks $lib: $deps"
done
echo "$recs" | grep -q libvirt0 && ok "Recommends: libvirt0 (dlopen()ed)" || bad "Recommends lacks libvirt0: $recs"
lintian --no-tag-display-limit "$DEB" >"$WORK/lintian.log" 2>&1
if grep -q '^E:' "$WORK/lintian.log"; then
        bad "lintian reports errors"; grep '^E:' "$WORK/lintian.log" | head -10 | sed 's/^/    /'
else
        ok "lintian: no errors ($(grep -c '^W:' "$WORK/lintian.log") warnings)"
fi
mkdir -p "$WORK/root" && dpkg-deb -x "$DEB" "$WORK/root"
"$WORK/root/usr/bin/kvmaudit" --version >/dev/null && ok "the packaged binary runs" || bad "the packaged binary does not run"
"$WORK/root/usr/bin/kvmaudit" checks --format json >"$WORK/checks.json" &&
        /usr/bin/python3 "$SRC/tests/validate-json.py" "$WORK/root/usr/share/kvmaudit/schema/checks.schema.json" \
                "$WORK/checks.json" >/dev/null && ok "its catalogue validates against its installed schema" ||
        bad "the packaged catalogue JSON does not validate"
# From the .deb to a fleet report: the Ansible role installs it on two
# inventory hosts (connection: local, root), scans, and merges (ansible.sh).
if [ -n "$DEB" ] && [ "$(id -u)" = 0 ] && ! dpkg-query -W kvmaudit >/dev/null 2>&1; then
        if bash "$SRC/tests/integration/ansible.sh" "$WORK/root/usr/bin/kvmaudit" "$SRC" "$WORK/fleet" "$DEB" \
                >"$WORK/fleet.log" 2>&1; then
                ok "from the .deb to a fleet report through the Ansible role ($(tail -1 "$WORK/fleet.log"))"
        else
                bad "the .deb through the Ansible role: $(grep '^not ok' "$WORK/fleet.log" | head -3 | tr '\n' ' ')"
        fi
elif dpkg-query -W kvmaudit >/dev/null 2>&1; then
        bad "a kvmaudit package is already installed on this machine: the .deb fleet run would replace it"
else
        bad "the .deb fleet run needs root (dpkg -i)"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
