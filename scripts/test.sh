#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install packages, build, run every test.
#
#   scripts/test.sh            what CI runs (.ci/run): the whole suite built once with
#                              gcc AddressSanitizer + UndefinedBehaviorSanitizer at -O1
#                              (build-test/), every test run under them, then the libFuzzer
#                              targets built with clang and fuzzed 60 s each, two at a time,
#                              after replaying tests/fuzz/regressions (scripts/sanitize.sh).
#   scripts/test.sh --release  the plain Release build (build/) and the same tests without
#                              sanitizers, e.g. before benchmarks.
#
# Environment: BUILD_DIR (build folder), FUZZ_SECONDS (sanitized mode; 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  --release)
    bash scripts/install-deps.sh
    bash scripts/build.sh
    export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
    export QT_QPA_PLATFORM=offscreen
    cd "${BUILD_DIR:-build}"
    exec ctest --output-on-failure --parallel "$(nproc)" --timeout 900 ;;
  "") exec bash scripts/sanitize.sh ;;
  *) echo "usage: scripts/test.sh [--release]" >&2; exit 2 ;;
esac
