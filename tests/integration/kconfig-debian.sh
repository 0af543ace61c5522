#!/bin/bash
# kconfig-debian.sh KVMAUDIT_BINARY
#
# Checks the kconfig probe against real Debian kernel configurations
# (tests/fixtures/kconfig/<release>.config, taken from Debian 12 linux-image
# packages). For each config it builds a throw-away root and runs
# `KVMAUDIT collect --root ROOT --checks DIR`, where DIR holds one site check
# that declares kconfig:* (collect saves what the catalogue declares, and the
# built-in catalogue names a few dozen options), then compares the kconfig:*
# facts with what a plain regex finds in the file:
#
#   ^CONFIG_([A-Za-z0-9_]+)=(.*)$            -> "kconfig:CONFIG_\1": "\2" (as written,
#                                               quotes of string values included)
#   ^# CONFIG_([A-Za-z0-9_]+) is not set$    -> "kconfig:CONFIG_\1": "n"
#
# A kconfig fact that is null (absent) must be a symbol the file does not
# mention. Each config is tried in two layouts (CHECKS.md 1.4):
#   boot-only:  ROOT/boot/config-<release> and nothing else (the highest-versioned
#               /boot/config-* is used);
#   osrelease:  ROOT/proc/sys/kernel/osrelease names <release>, and a decoy
#               ROOT/boot/config-99.99.99-decoy with a higher version is present;
#               the probe must follow osrelease, not the decoy.
# The facts file is also validated against report/schema/facts.schema.json when
# python3-jsonschema is available.
#
# Exit: 0 all match, 1 a mismatch or a failed collect, 77 no fixtures (skip),
# 99 harness error (bad usage, missing binary).

set -u

if [ $# -ne 1 ]; then
	echo "usage: $0 KVMAUDIT_BINARY" >&2
	exit 99
fi
KVMAUDIT=$1
if [ ! -x "$KVMAUDIT" ]; then
	echo "$0: $KVMAUDIT: not an executable" >&2
	exit 99
fi

here=$(cd "$(dirname "$0")" && pwd)
fixtures=${KCONFIG_FIXTURES:-$here/../fixtures/kconfig}
schema=$here/../../report/schema/facts.schema.json
validator=$here/../validate-json.py

shopt -s nullglob
configs=("$fixtures"/*.config)
if [ ${#configs[@]} -eq 0 ]; then
	echo "SKIP: no kernel config fixtures in $fixtures"
	exit 77
fi

validate=1
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null || [ ! -f "$schema" ]; then
	echo "note: python3-jsonschema or facts.schema.json missing; not validating the facts files"
	validate=0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kconfig-debian.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# The site check that makes collect save every build option.
mkdir -p "$tmp/checks"
cat > "$tmp/checks/kconfig-all.check" <<'EOF'
[kernel.site-kconfig-recorded]
title = The kernel build configuration is recorded whole
category = kernel
severity = low
scope = host
fact = kconfig:*
expect = kconfig:CONFIG_KVM eq y
rationale = kconfig-debian.sh compares every build option "collect" saves with the file.
remediation = None: a test catalogue.
EOF

compare() {  # compare CONFIG FACTS.json LABEL
	/usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import json, re, sys

config, facts_path, label = sys.argv[1:4]
set_re = re.compile(r'^CONFIG_([A-Za-z0-9_]+)=(.*)$')
unset_re = re.compile(r'^# CONFIG_([A-Za-z0-9_]+) is not set$')

want = {}
with open(config, encoding="utf-8", errors="surrogateescape") as f:
    for line in f.read().split("\n"):
        m = set_re.match(line)
        if m:
            want["kconfig:CONFIG_" + m.group(1)] = m.group(2)
            continue
        m = unset_re.match(line)
        if m:
            want["kconfig:CONFIG_" + m.group(1)] = "n"

try:
    with open(facts_path, encoding="utf-8") as f:
        doc = json.load(f)
    facts = doc["facts"]
    if not isinstance(facts, dict):
        raise TypeError("\"facts\" is not an object")
except Exception as e:
    print("%s: cannot read the collect output: %s" % (label, e))
    sys.exit(1)

got = {k: v for k, v in facts.items() if k.startswith("kconfig:")}

problems = []
for k in sorted(want):
    if k not in got or got[k] is None:
        problems.append("missing   %s (file: %s)" % (k, json.dumps(want[k])))
    elif got[k] != want[k]:
        problems.append("differs   %s: got %s, file has %s"
                        % (k, json.dumps(got[k]), json.dumps(want[k])))
for k in sorted(got):
    if k not in want and got[k] is not None:
        problems.append("extra     %s = %s (not in the file)" % (k, json.dumps(got[k])))

if problems:
    print("%s: %d mismatches (file: %d symbols, collect: %d kconfig facts)"
          % (label, len(problems), len(want), len(got)))
    if any(k == "kconfig:CONFIG_KVMAUDIT_DECOY" for k in got):
        print("  (the decoy /boot/config-99.99.99-decoy was read: osrelease was ignored)")
    for p in problems[:20]:
        print("  " + p)
    if len(problems) > 20:
        print("  ... %d more" % (len(problems) - 20))
    sys.exit(1)
print("%s: ok (%d symbols)" % (label, len(want)))
PY
}

failed=0
n=0
for cfg in "${configs[@]}"; do
	release=$(basename "$cfg" .config)
	for layout in boot-only osrelease; do
		n=$((n + 1))
		root=$tmp/root-$n
		mkdir -p "$root/boot"
		cp "$cfg" "$root/boot/config-$release"
		if [ "$layout" = osrelease ]; then
			mkdir -p "$root/proc/sys/kernel"
			printf '%s\n' "$release" > "$root/proc/sys/kernel/osrelease"
			printf '#\n# decoy: must not be read\n#\nCONFIG_KVMAUDIT_DECOY=y\n' \
				> "$root/boot/config-99.99.99-decoy"
		fi
		label="$release [$layout]"
		out=$tmp/facts-$n.json
		"$KVMAUDIT" collect --root "$root" --checks "$tmp/checks" > "$out" 2> "$tmp/stderr-$n"
		rc=$?
		if [ $rc -ne 0 ]; then
			echo "$label: '$KVMAUDIT collect --root $root --checks $tmp/checks' exited $rc"
			sed -n '1,10s/^/  stderr: /p' "$tmp/stderr-$n"
			failed=1
			continue
		fi
		if [ $validate = 1 ] && ! /usr/bin/python3 "$validator" "$schema" "$out" > "$tmp/validate-$n" 2>&1; then
			echo "$label: collect output does not match facts.schema.json:"
			sed -n '1,10s/^/  /p' "$tmp/validate-$n"
			failed=1
		fi
		compare "$cfg" "$out" "$label" || failed=1
		# Without the site check, only the options the catalogue declares.
		if [ $layout = boot-only ]; then
			"$KVMAUDIT" collect --root "$root" > "$tmp/declared-$n.json" 2> "$tmp/stderr-$n" || {
				echo "$label: '$KVMAUDIT collect --root $root' failed"; failed=1; continue; }
			/usr/bin/python3 - "$tmp/declared-$n.json" "$here/../../checks" "$label" <<'PY' || failed=1
import glob, json, re, sys
facts, checks, label = sys.argv[1:4]
declared = set()
for path in glob.glob(checks + "/*.check"):
    for line in open(path, encoding="utf-8"):
        if re.match(r"^(fact|expect|applies) *=", line):
            declared.update(re.findall(r"kconfig:CONFIG_[A-Za-z0-9_]+", line))
got = [k for k in json.load(open(facts))["facts"] if k.startswith("kconfig:")]
extra = sorted(set(got) - declared)
if extra or not got:
    print("%s: collect saved %d kconfig facts, %d not declared by the catalogue: %s"
          % (label, len(got), len(extra), ", ".join(extra[:5])))
    sys.exit(1)
print("%s: ok (%d declared kconfig facts saved)" % (label, len(got)))
PY
		fi
	done
done

if [ $failed -ne 0 ]; then
	echo "FAIL: kconfig facts differ from the Debian configs"
	exit 1
fi
echo "PASS: $n collect runs over ${#configs[@]} Debian kernel configs"
exit 0
