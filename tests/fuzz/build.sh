#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds the libFuzzer harnesses of tests/fuzz/ with clang,
# -fsanitize=fuzzer,address,undefined, from the project's sources.
#
# Usage: tests/fuzz/build.sh MESON_BUILD_DIR [OUT_DIR]
#   MESON_BUILD_DIR  a configured (and built: the generated sources
#                    src/profile-data.c, src/html-assets.c and
#                    src/catalog-embedded.c are taken from it) meson build
#                    directory; its config.h is used.
#   OUT_DIR          where the objects and fuzz-* binaries go
#                    (default: MESON_BUILD_DIR/fuzz)
# Environment: CC (default clang), JOBS (default nproc),
#   FUZZ_CFLAGS (extra flags, e.g. -O2).
# Exit 77 when clang or its fuzzer runtime is missing (meson's "skip").
set -eu

[ $# -ge 1 ] || { echo "usage: $0 MESON_BUILD_DIR [OUT_DIR]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
OUT=${2:-$BUILD/fuzz}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
FUZZ=$SRC/tests/fuzz
CC=${CC:-clang}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

[ -f "$BUILD/config.h" ] || { echo "$0: $BUILD/config.h missing: not a meson build dir?" >&2; exit 2; }
for g in profile-data.c html-assets.c catalog-embedded.c vmm-srg.c; do
        [ -f "$BUILD/src/$g" ] || { echo "$0: $BUILD/src/$g missing: run ninja -C $BUILD first" >&2; exit 2; }
done

mkdir -p "$OUT/obj"

# Is clang's libFuzzer runtime there?  (Debian: libclang-rt-NN-dev)
command -v "$CC" >/dev/null 2>&1 || { echo "$0: $CC not found" >&2; exit 77; }
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void) d; (void) n; return 0; }\n' \
        >"$OUT/obj/probe.c"
if ! "$CC" -fsanitize=fuzzer,address,undefined "$OUT/obj/probe.c" -o "$OUT/obj/probe" >"$OUT/obj/probe.log" 2>&1; then
        echo "$0: $CC cannot link -fsanitize=fuzzer (install libclang-rt-dev):" >&2
        cat "$OUT/obj/probe.log" >&2
        exit 77
fi

INC="-I$BUILD"
for d in "$SRC"/src/*/; do INC="$INC -I$d"; done
PKGS="libxml-2.0 json-c zlib"
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS="$(pkg-config --libs $PKGS) -lm"
# probe-virt.c includes libvirt's headers when the build found libvirt
# (it dlopen()s the library itself); the other optional libraries are
# linked when the build found them.
for p in libvirt; do
        pkg-config --exists $p && PKG_CFLAGS="$PKG_CFLAGS $(pkg-config --cflags $p)"
done
for p in libselinux libapparmor libseccomp; do
        pkg-config --exists $p && PKG_LIBS="$PKG_LIBS $(pkg-config --libs $p)"
done
PKG_LIBS="$PKG_LIBS -ldl"

SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-std=gnu11 -D_GNU_SOURCE -g -O1 -w $SAN $INC $PKG_CFLAGS ${FUZZ_CFLAGS:-}"

# The project's sources: every layer but the CLI and main.c, plus the
# generated data files (the CLI's embedded catalogue is used by fuzz-waiver).
SOURCES=$(ls "$SRC"/src/*/*.c | grep -v '/src/cli/')
SOURCES="$SOURCES $BUILD/src/profile-data.c $BUILD/src/html-assets.c $BUILD/src/catalog-embedded.c $BUILD/src/vmm-srg.c"

echo "compiling $(echo $SOURCES | wc -w) sources into $OUT/obj"
# An object is rebuilt when its source is newer; a changed header (a struct
# that grew) changes every object that includes it: then all are rebuilt.
headers=$(cat "$SRC"/src/*/*.h "$BUILD/config.h" 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ "$(cat "$OUT/obj/headers.sha256" 2>/dev/null)" != "$headers" ]; then
        rm -f "$OUT"/obj/*.o
        echo "$headers" >"$OUT/obj/headers.sha256"
fi
export CC CFLAGS OUT
# shellcheck disable=SC2086
printf '%s\n' $SOURCES | xargs -P "$JOBS" -I{} sh -c '
        f="{}"; o="$OUT/obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"
        if [ ! -f "$o" ] || [ "$f" -nt "$o" ]; then
                $CC $CFLAGS -fsanitize=fuzzer-no-link -c "$f" -o "$o" || exit 255
        fi'
OBJS=""
for f in $SOURCES; do OBJS="$OBJS $OUT/obj/$(basename "$(dirname "$f")")-$(basename "$f" .c).o"; done
rm -f "$OUT/libkvmaudit-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$OUT/libkvmaudit-fuzz.a" $OBJS

for h in "$FUZZ"/fuzz-*.c; do
        name=$(basename "$h" .c)
        echo "linking $name"
        # shellcheck disable=SC2086
        $CC $CFLAGS -fsanitize=fuzzer "$h" -o "$OUT/$name" "$OUT/libkvmaudit-fuzz.a" $PKG_LIBS
done
echo "harnesses in $OUT"
