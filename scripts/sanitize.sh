#!/usr/bin/env bash
# The test suite under the sanitizers; what CI runs (scripts/test.sh -> here).
# Installs packages, builds the whole suite once with gcc AddressSanitizer +
# UndefinedBehaviorSanitizer at -O1 into BUILD_DIR, runs every test under them
# (GUI tests offscreen, leak checking on), then builds only the libFuzzer
# targets with clang (-O1 -g0) and fuzzes each for FUZZ_SECONDS, two at a time,
# after replaying the committed regression inputs. See docs/reliability.md
# ("Sanitizers", "CI time").
#
# Environment: BUILD_DIR (sanitized build, default build-test), FUZZ_BUILD
# (default build-fuzz), FUZZ_SECONDS (default 60; 0 skips fuzzing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${BUILD_DIR:-build-test}
jobs=$(nproc)
t0=$SECONDS
# -O1: with gcc, ASan+UBSan at -O3 compiles about 3.8x slower than a Release
# build, at -O1 about 1.4x (docs/reliability.md, "CI time"). Configured every
# time, so that an existing Release folder cannot be reused unsanitized.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DARCHSCOPE_SANITIZE=ON \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" >/dev/null
cmake --build "$BUILD_DIR" --parallel "$jobs"
t_build=$((SECONDS - t0))

export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp}
export QT_QPA_PLATFORM=offscreen
supp="$PWD/tests/sanitizers"
# Leaks in third-party libraries (Mesa lavapipe, LLVM, the Vulkan loader, fontconfig) are
# suppressed by name in lsan.supp; everything in our code is reported.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
t0=$SECONDS
# GUI tests (label "gui") with full stacks (fast_unwind_on_malloc=0): Qt's libraries have
# no frame pointers, and the Qt Quick cache suppressions in lsan.supp need whole stacks.
status=0
(cd "$BUILD_DIR" && ctest --output-on-failure --parallel "$jobs" --timeout 1500 -LE gui) || status=1
(cd "$BUILD_DIR" && ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0" \
  ctest --output-on-failure --parallel "$jobs" --timeout 1500 -L gui) || status=1
[ "$status" -eq 0 ] || { echo "sanitize.sh: tests failed under the sanitizers" >&2; exit 1; }
t_test=$((SECONDS - t0))
echo "sanitize.sh: sanitized build ${t_build} s, tests ${t_test} s"

secs=${FUZZ_SECONDS:-60}
if [ "$secs" -gt 0 ]; then
  t0=$SECONDS
  fuzz_build="${FUZZ_BUILD:-$PWD/build-fuzz}"
  # Engine sources and fuzz targets only, at -O1 without debug info: the cheapest
  # build that still fuzzes at a useful speed (run.sh keeps these flags).
  CC=clang CXX=clang++ cmake -S . -B "$fuzz_build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g0 -DNDEBUG" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g0 -DNDEBUG" \
    -DARCHSCOPE_FUZZ=ON -DARCHSCOPE_BUILD_GUI=OFF -DARCHSCOPE_BUILD_TESTS=OFF >/dev/null
  FUZZ_BUILD="$fuzz_build" FUZZ_NICE=0 FUZZ_JOBS="$jobs" FUZZ_PARALLEL="$jobs" bash tests/fuzz/run.sh "$secs"
  echo "sanitize.sh: fuzz build and fuzzing $((SECONDS - t0)) s"
fi
