#!/usr/bin/env bash
# What a packager and a user of the installed tool get: "meson install" puts
# every file in its FHS place, the man page renders without warnings and
# documents every option and command, the bash completion completes, and
# --profile, --fail-on-error and the progress line behave, with their exit
# codes, on fixture hosts.
# Usage: packaging.sh BUILD_DIR SOURCE_ROOT WORK_DIR
set -u
BUILD=$1 SRC=$2 WORK=$3
K=$BUILD/kvmaudit
rm -rf "$WORK" && mkdir -p "$WORK"
pass=0 fail=0 skip=0

ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
skipped() { skip=$((skip + 1)); echo "ok - # SKIP $*"; }

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
# ids FILE.json: the check ids of a JSON report, sorted, one a line
ids() { /usr/bin/python3 -c 'import json, sys
print("\n".join(sorted({r["id"] for r in json.load(open(sys.argv[1]))["results"]})))' "$1"; }

# --- meson install: every file in its FHS place --------------------------
DEST=$WORK/dest
if meson install -C "$BUILD" --destdir "$DEST" --no-rebuild >"$WORK/install.log" 2>&1; then
        ok "meson install --destdir"
else
        bad "meson install --destdir"; tail -5 "$WORK/install.log" | sed 's/^/    /'
fi
option() { # the value of a meson option of the build
        meson introspect "$BUILD" --buildoptions |
                /usr/bin/python3 -c 'import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$1"
}
prefix=$(option prefix) bindir=$(option bindir) datadir=$(option datadir) mandir=$(option mandir)
abs() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }
BIN=$DEST$(abs "$bindir")/kvmaudit
MAN=$DEST$(abs "$mandir")/man1/kvmaudit.1
SHARE=$DEST$(abs "$datadir")/kvmaudit
COMPL=$DEST$(abs "$datadir")/bash-completion/completions/kvmaudit
if pkg-config --exists bash-completion 2>/dev/null; then
        COMPL=$DEST$(pkg-config --variable=completionsdir \
                --define-variable=datadir="$(abs "$datadir")" bash-completion)/kvmaudit
fi

[ -x "$BIN" ] && ok "binary in bindir ($bindir)" || bad "no executable $BIN"
[ -x "$BIN" ] && "$BIN" --version >/dev/null && ok "the installed binary runs" || bad "the installed binary does not run"
[ -f "$COMPL" ] && ok "bash completion in ${COMPL#"$DEST"}" || bad "no bash completion at $COMPL"
# The installed catalogue is the embedded one: the same ids, file for file.
n_files=$(ls "$SHARE"/checks/*.check 2>/dev/null | wc -l)
[ "$n_files" -gt 0 ] && ok "$n_files catalogue files in datadir/kvmaudit/checks" || bad "no catalogue in $SHARE/checks"
installed_ids=$(cat "$SHARE"/checks/*.check 2>/dev/null | sed -n 's/^\[\([^]]*\)\].*/\1/p' | sort)
embedded_ids=$("$K" checks | awk '{ print $1 }' | sort)
[ "$installed_ids" = "$embedded_ids" ] && ok "installed catalogue = embedded catalogue" ||
        bad "installed catalogue differs from the embedded one"
for f in "$SRC"/gates/*.profile; do
        cmp -s "$f" "$SHARE/gates/$(basename "$f")" && ok "profile $(basename "$f") in datadir/kvmaudit/gates" ||
                bad "profile $(basename "$f") not installed"
done

for f in "$SRC"/report/schema/*.schema.json; do
        cmp -s "$f" "$SHARE/schema/$(basename "$f")" && ok "schema $(basename "$f") in datadir/kvmaudit/schema" ||
                bad "schema $(basename "$f") not installed"
done

# --- the man page ---------------------------------------------------------
if ! command -v scdoc >/dev/null; then
        skipped "man page: scdoc is not installed"
elif [ ! -f "$MAN" ]; then
        bad "no man page at $MAN although scdoc is installed"
else
        ok "man page in mandir/man1"
        if command -v man >/dev/null; then
                LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$MAN" >"$WORK/man.txt" 2>"$WORK/man.err"
                [ ! -s "$WORK/man.err" ] && ok "man -l renders the page without warnings" ||
                        { bad "man -l warns"; head -5 "$WORK/man.err" | sed 's/^/    /'; }
        else
                skipped "man -l: man-db is not installed"
        fi
        # Every option of --help and every command is in the page.
        sed 's/\\f[BIR]//g; s/\\-/-/g' "$MAN" >"$WORK/man.roff"
        "$K" --help >"$WORK/help"
        missing=""
        for opt in $(grep -oE -- '(^|[ ,])--?[a-z][a-z-]*' "$WORK/help" | tr -d ' ,' | sort -u); do
                grep -qE -- "(^|[^a-z-])$opt([^a-z-]|$)" "$WORK/man.roff" || missing="$missing $opt"
        done
        [ -z "$missing" ] && ok "every option of --help is in the man page" || bad "not in the man page:$missing"
        missing=""
        for verb in $(awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }' "$WORK/help"); do
                grep -qE "^\.?$verb( |$)" "$WORK/man.roff" || missing="$missing $verb"
        done
        [ -z "$missing" ] && ok "every command is in the man page" || bad "commands not in the man page:$missing"
fi

# --- the bash completion --------------------------------------------------
# complete WORD...: what the completion offers for the last word
complete_words() {
        local init=$1; shift
        bash --norc --noprofile -c '
                [ -n "$1" ] && [ -f "$1" ] && . "$1"
                . "$2"; shift 2
                COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
                COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
                _kvmaudit
                printf "%s\n" "${COMPREPLY[@]}"' _ "$init" "$SRC/completion/kvmaudit.bash" "$@" 2>&1
}
for init in "" /usr/share/bash-completion/bash_completion; do
        if [ -n "$init" ] && [ ! -f "$init" ]; then skipped "completion with bash-completion loaded"; continue; fi
        how=${init:+, bash-completion loaded}
        got=$(complete_words "$init" "$K" sc)
        [ "$got" = scan ] && ok "completes kvmaudit sc -> scan$how" || bad "kvmaudit sc completes to \"$got\"$how"
        got=$(complete_words "$init" "$K" explain kernel.ka)
        [ "$got" = kernel.kaslr ] && ok "completes kvmaudit explain kernel.ka -> kernel.kaslr$how" ||
                bad "kvmaudit explain kernel.ka completes to \"$got\"$how"
        got=$(complete_words "$init" "$K" scan --fail-on-e)
        [ "$got" = --fail-on-error ] && ok "completes scan --fail-on-e$how" || bad "scan --fail-on-e completes to \"$got\"$how"
        got=$(complete_words "$init" "$K" scan --profile b)
        [ "$got" = baseline ] && ok "completes --profile b -> baseline$how" || bad "--profile b completes to \"$got\"$how"
        got=$(complete_words "$init" "$K" scan --skip dev)
        echo "$got" | grep -qx devices && echo "$got" | grep -qx devices.kvm-node-mode &&
                ok "completes --skip with categories and ids$how" || bad "--skip dev completes to \"$got\"$how"
done
# The static lists of the completion follow the binary.
. /dev/stdin <<<"$(grep -E '^_kvmaudit_(formats|profiles)=' "$SRC/completion/kvmaudit.bash")"
"$K" scan --format nosuch 2>"$WORK/err"
known=$(sed -n 's/.*(known: \(.*\))$/\1/p' "$WORK/err" | tr -d ',')
[ "$(printf '%s\n' $known | sort)" = "$(printf '%s\n' $_kvmaudit_formats | sort)" ] &&
        ok "completion formats = the binary's formats ($known)" ||
        bad "completion formats \"$_kvmaudit_formats\" differ from the binary's \"$known\""
shipped=$(cd "$SRC/gates" && ls *.profile | sed 's/\.profile$//' | sort)
[ "$shipped" = "$(printf '%s\n' $_kvmaudit_profiles | sort)" ] &&
        ok "completion profiles = gates/*.profile" ||
        bad "completion profiles \"$_kvmaudit_profiles\" differ from gates/: $shipped"

# --- --profile ------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
        skipped "fixture hosts need root (device nodes, owners)"
        echo "$pass passed, $fail failed, $skip skipped"
        [ "$fail" = 0 ]; exit
fi
mk() { /usr/bin/python3 "$SRC/tests/mkfixture.py" "$SRC/tests/fixtures/hosts/$1" "$WORK/$1" >/dev/null; }
mk hardened-intel; mk insecure-intel
H=$WORK/hardened-intel I=$WORK/insecure-intel

# Every shipped profile loads: each of its lines names a check or category
# of the catalogue (a typo fails here, not on a user's host).
for name in $shipped; do
        expect_exit 0 "--profile $name loads and the hardened host passes it" -- \
                "$K" scan --root "$H" --profile "$name" --fail-on high --quiet
        [ -s "$WORK/err" ] && bad "--profile $name: stderr: $(head -1 "$WORK/err")"
done
expect_exit 2 "unknown profile" -- "$K" scan --root "$H" --profile nosuch
expect_grep "$WORK/err" 'no such profile.*known: baseline, ci-image, strict' "an unknown profile lists the known ones"
printf '# a site gate\n\nkernel.kaslr\nkernel.kalsr\n' >"$WORK/typo.profile"
expect_exit 2 "a profile naming an unknown check" -- "$K" scan --root "$H" --profile "$WORK/typo.profile"
expect_grep "$WORK/err" 'typo\.profile:4: no such check id "kernel\.kalsr"' "the unknown id is named with file:line"
printf 'category:kernal\n' >"$WORK/cat.profile"
expect_exit 2 "a profile naming an unknown category" -- "$K" scan --root "$H" --profile "$WORK/cat.profile"
expect_grep "$WORK/err" 'cat\.profile:1: no such category "kernal"' "the unknown category is named with file:line"
printf 'kernel.kaslr kernel.ksm-off\n' >"$WORK/two.profile"
expect_exit 2 "a profile line with two words" -- "$K" scan --root "$H" --profile "$WORK/two.profile"
expect_exit 2 "--profile is not an option of collect" -- "$K" collect --root "$H" --profile baseline

scan_ids() { "$K" scan --root "$H" -f json -q -o "$WORK/r.json" "$@" && ids "$WORK/r.json"; }
all=$(scan_ids)
[ "$(scan_ids --profile strict)" = "$all" ] && ok "strict selects every check" || bad "strict misses checks"
base=$(scan_ids --profile baseline)
sev=$("$K" checks | awk '$2 == "critical" || $2 == "high" { print $1 }' | sort)
[ -z "$(comm -23 <(echo "$base") <(echo "$sev"))" ] && ok "baseline holds only critical and high checks" ||
        bad "baseline holds lower checks: $(comm -23 <(echo "$base") <(echo "$sev") | tr '\n' ' ')"
not_in=$(comm -13 <(echo "$base") <(echo "$sev") | tr '\n' ' ')
[ -n "$not_in" ] && echo "# note: critical or high checks not in baseline: $not_in"
ci=$(scan_ids --profile ci-image)
echo "$ci" | grep -qx kernel.kaslr && ! echo "$ci" | grep -qE '^(cpu|hw|kvm)\.|process-' &&
        ! echo "$ci" | grep -qx kernel.kptr-restrict &&
        ok "ci-image has kconfig checks, no CPU, module, sysctl or process state" || bad "ci-image selection: $(echo $ci)"
got=$(scan_ids --profile baseline --only kernel --skip kernel.kvm-built)
want=$(echo "$base" | grep '^kernel\.' | grep -vx kernel.kvm-built)
[ -n "$got" ] && [ "$got" = "$want" ] && ok "--profile, then --only narrows, then --skip removes" ||
        bad "--profile baseline --only kernel --skip kernel.kvm-built selected: $(echo $got)"
expect_exit 1 "the insecure host fails the baseline gate" -- "$K" scan --root "$I" --profile baseline --fail-on high -q
expect_exit 0 "the insecure host passes a gate without --fail-on" -- "$K" scan --root "$I" --profile baseline -q

# --- --fail-on-error --------------------------------------------------------
# A sysctl that is a directory cannot be read: that check is an error.
E=$WORK/error-host
cp -a "$H" "$E" && rm "$E/proc/sys/kernel/kptr_restrict" && mkdir "$E/proc/sys/kernel/kptr_restrict"
expect_exit 0 "a check in error does not fail a gate by default" -- "$K" scan --root "$E" --fail-on high
expect_grep "$WORK/out" 'error 1,' "the text summary counts the error"
expect_grep "$WORK/out" 'skip [0-9]+,' "the text summary counts the skips"
expect_exit 1 "--fail-on-error fails the gate on a check in error" -- "$K" scan --root "$E" --fail-on-error -q
expect_exit 0 "--fail-on-error passes a host without errors" -- "$K" scan --root "$H" --fail-on-error -q
expect_exit 0 "--fail-on-error with --skip of the errored check" -- \
        "$K" scan --root "$E" --fail-on-error --skip kernel.kptr-restrict -q
expect_exit 2 "--fail-on-error is not an option of collect" -- "$K" collect --root "$H" --fail-on-error

# --- progress on stderr -----------------------------------------------------
KVMAUDIT_PROGRESS_AFTER_MS=0 "$K" scan --root "$H" -o /dev/null 2>"$WORK/err"
[ ! -s "$WORK/err" ] && ok "no progress when stderr is not a terminal" ||
        bad "progress on a non-terminal stderr: $(head -c 80 "$WORK/err")"
if command -v script >/dev/null; then
        # script gives the command a terminal; what it wrote there comes out.
        tty_run() { script -qec "$*" /dev/null </dev/null; }
        tty_run "KVMAUDIT_PROGRESS_AFTER_MS=0 $K scan --root $H -o /dev/null" >"$WORK/tty"
        grep -q 'kvmaudit: [0-9]*/[0-9]* checks' "$WORK/tty" && ok "progress on a terminal after the delay" ||
                bad "no progress on a terminal: $(head -c 80 "$WORK/tty" | od -c | head -2)"
        tail -c 200 "$WORK/tty" | tr '\r' '\n' | tail -1 | grep -q '[^ ]' &&
                bad "the progress line is not cleared at the end" || ok "the progress line is cleared at the end"
        tty_run "KVMAUDIT_PROGRESS_AFTER_MS=0 $K scan --root $H --quiet" >"$WORK/tty"
        ! grep -q 'checks' "$WORK/tty" && ok "no progress with --quiet" || bad "progress with --quiet"
        tty_run "$K scan --root $H -o /dev/null" >"$WORK/tty"
        ! grep -q 'checks' "$WORK/tty" && ok "no progress for a scan shorter than a second" ||
                bad "progress for a fast scan"
else
        skipped "progress on a terminal: script(1) is not installed"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
