#!/bin/sh
# Run the CTI fuzz target for a bounded time; exit non-zero on a crash.
#
#   tests/fuzz/run-fuzz.sh SECONDS [BUILD_DIR]
#
# Builds BUILD_DIR (default build-fuzz) with clang 14, libFuzzer, ASan and
# UBSan if needed, writes the seed corpus from the real baresip capture,
# and fuzzes in a scratch copy of the corpus. Crash inputs are kept in
# BUILD_DIR/fuzz-artifacts/.
set -eu

SECONDS_TO_RUN=${1:-60}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${2:-$SRC/build-fuzz}

if ! command -v clang-14 >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
  echo "run-fuzz: clang is not installed" >&2
  exit 77
fi
CC_BIN=$(command -v clang-14 || command -v clang)

if [ ! -f "$BUILD/build.ninja" ]; then
  CC="$CC_BIN" meson setup "$BUILD" "$SRC" -Dfuzzing=true \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
ninja -C "$BUILD" -j 2 tests/fuzz/fuzz-cti >/dev/null

SEEDS=$BUILD/fuzz-seeds
CORPUS=$(mktemp -d "${TMPDIR:-/tmp}/seatmate-fuzz-XXXXXX")
ARTIFACTS=$BUILD/fuzz-artifacts
trap 'rm -rf "$CORPUS"' EXIT INT TERM
mkdir -p "$ARTIFACTS"
/usr/bin/python3 "$SRC/tests/fuzz/make-corpus.py" "$SRC" "$SEEDS" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly

"$BUILD/tests/fuzz/fuzz-cti" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$ARTIFACTS/" "$CORPUS" "$SEEDS"
echo "run-fuzz: no crash in $SECONDS_TO_RUN s"
