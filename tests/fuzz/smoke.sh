#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Fuzz smoke test (meson suite "fuzz"): builds the libFuzzer harnesses with
# build.sh and runs each once over its seed corpus only (-runs=0: no
# mutation), so that CI notices a harness that no longer builds or a seed
# that crashes.  Exit 77 (skip) when clang's fuzzer runtime is missing.
# Usage: smoke.sh MESON_BUILD_DIR SOURCE_ROOT WORK_DIR
set -u
BUILD=$1 SRC=$2 WORK=$3
FUZZ=$SRC/tests/fuzz

mkdir -p "$WORK" || exit 1
sh "$FUZZ/build.sh" "$BUILD" "$WORK" >"$WORK/build.log" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
        cat "$WORK/build.log"
        [ $rc -eq 77 ] && echo "SKIP: clang -fsanitize=fuzzer unavailable"
        exit $rc
fi

fail=0
for corpus in "$FUZZ"/corpus/*/; do
        name=$(basename "$corpus")
        bin=$WORK/fuzz-$name
        if [ ! -x "$bin" ]; then
                echo "not ok - fuzz-$name: no harness for corpus/$name"
                fail=1
                continue
        fi
        if "$bin" -runs=0 -timeout=10 -rss_limit_mb=2048 "$corpus" >"$WORK/$name.log" 2>&1; then
                echo "ok - fuzz-$name: $(ls "$corpus" | wc -l) seeds"
        else
                echo "not ok - fuzz-$name"
                tail -40 "$WORK/$name.log"
                fail=1
        fi
done

# Every input the fuzzers once broke us with stays fixed.
for crash in "$FUZZ"/crashes/*-[0-9]*; do
        [ -f "$crash" ] || continue
        name=$(basename "$crash" | sed 's/-[0-9]*$//')
        bin=$WORK/fuzz-$name
        if "$bin" -timeout=10 -rss_limit_mb=2048 "$crash" >"$WORK/crash.log" 2>&1; then
                echo "ok - fuzz-$name: crashes/$(basename "$crash") stays fixed"
        else
                echo "not ok - fuzz-$name: crashes/$(basename "$crash") fails again"
                tail -40 "$WORK/crash.log"
                fail=1
        fi
done
exit $fail
