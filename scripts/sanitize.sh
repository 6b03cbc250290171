#!/usr/bin/env bash
# The reliability pass (not CI's default; see README): install packages, build the test
# suite once with AddressSanitizer + UndefinedBehaviorSanitizer, run every test
# under them (GUI tests offscreen), then build the libFuzzer targets with clang
# and fuzz each for FUZZ_SECONDS (default 60). See docs/reliability.md.
#
# Environment: BUILD_DIR (sanitized build, default build-test), FUZZ_BUILD
# (default build-fuzz), FUZZ_SECONDS (0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export BUILD_DIR=${BUILD_DIR:-build-test}
# -O1: with gcc, ASan+UBSan at -O3 compiles about 3.8x slower than a Release
# build, at -O1 about 1.4x (docs/reliability.md, "CI time").
bash scripts/build.sh -DARCHSCOPE_SANITIZE=ON "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG"

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
export QT_QPA_PLATFORM=offscreen
supp="$PWD/tests/sanitizers"
# Leaks in third-party libraries (Mesa lavapipe, LLVM, the Vulkan loader, fontconfig) are
# suppressed by name in lsan.supp; everything in our code is reported.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
(cd "$BUILD_DIR" && ctest --output-on-failure --parallel "$(nproc)" --timeout 1500)

secs=${FUZZ_SECONDS:-60}
if [ "$secs" -gt 0 ]; then
  fuzz_build="${FUZZ_BUILD:-$PWD/build-fuzz}"
  # Engine and fuzz targets only; -O1 keeps the clang build short (run.sh keeps these flags).
  CC=clang CXX=clang++ cmake -S . -B "$fuzz_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -DNDEBUG" -DARCHSCOPE_FUZZ=ON -DARCHSCOPE_BUILD_GUI=OFF -DARCHSCOPE_BUILD_TESTS=OFF >/dev/null
  FUZZ_BUILD="$fuzz_build" FUZZ_NICE=0 FUZZ_JOBS="$(nproc)" bash tests/fuzz/run.sh "$secs"
fi
