#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for
# SECONDS (default 60), starting from the seed corpus in tests/fuzz/corpus/<t>.
# New inputs go to $BUILD/fuzz-corpus/<t> (the repository is not touched);
# a crash leaves its input in $BUILD/fuzz-artifacts/<t>/ and fails the script.
# Before fuzzing, every file in tests/fuzz/regressions/<t>/ is replayed.
#
#   tests/fuzz/run.sh 60                          # all targets, 60 s each
#   FUZZ_TARGETS="npy design" tests/fuzz/run.sh 600
# Environment: FUZZ_BUILD (build folder, default build-fuzz), FUZZ_JOBS
# (compile jobs, default 2), FUZZ_TARGETS (subset), FUZZ_NICE (default 10),
# FUZZ_PARALLEL (targets fuzzed at the same time, default 1; CI uses 2).
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$root/build-fuzz}
targets=${FUZZ_TARGETS:-design analyze npy safetensors plugin onnx}
nice_level=${FUZZ_NICE:-10}

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DARCHSCOPE_FUZZ=ON -DARCHSCOPE_BUILD_GUI=OFF -DARCHSCOPE_BUILD_TESTS=OFF >/dev/null
bins=""
for t in $targets; do
  if grep -q "build bin/fuzz_$t:" "$build/build.ninja"; then bins="$bins fuzz_$t"; fi
done
targets=$(echo $bins | sed 's/fuzz_//g')  # fuzz_onnx exists only with libonnx-dev
nice -n "$nice_level" cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target $bins

# One target: replay its regression inputs, then fuzz it for $secs from its seeds.
# Prints its summary line; returns non-zero on a failure.
fuzz_one() {
  local t=$1 exe="$build/bin/fuzz_$1" work="$build/fuzz-corpus/$1" art="$build/fuzz-artifacts/$1/"
  mkdir -p "$work" "$art"
  local opts=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "-artifact_prefix=$art")
  local reg="$root/tests/fuzz/regressions/$t"
  if compgen -G "$reg/*" >/dev/null; then
    echo "== fuzz_$t: replaying $(ls "$reg" | wc -l) regression inputs"
    if ! nice -n "$nice_level" "$exe" "${opts[@]}" "$reg"/* >"$build/fuzz-$t-regressions.log" 2>&1; then
      echo "fuzz_$t: FAILED, a regression input fails again (log: $build/fuzz-$t-regressions.log)"
      return 1
    fi
  fi
  echo "== fuzz_$t: ${secs}s from $(ls "$root/tests/fuzz/corpus/$t" | wc -l) seeds"
  local log="$build/fuzz-$t.log" status rc=0
  if nice -n "$nice_level" "$exe" "${opts[@]}" -max_total_time="$secs" "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    status=clean
  else
    status="FAILED (log: $log, input in $art)"
    rc=1
    tail -40 "$log"
  fi
  local runs cov
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  echo "fuzz_$t: $status, ${secs}s, ${runs} runs, coverage ${cov}, corpus $(ls "$work" | wc -l) files"
  return $rc
}

failed=0
parallel=${FUZZ_PARALLEL:-1}
: >"$build/fuzz-summary.txt"
running=0
for t in $targets; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  (fuzz_one "$t" | tee "$build/fuzz-$t-summary.txt" | grep -v '^fuzz_') &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done
echo
for t in $targets; do
  grep '^fuzz_' "$build/fuzz-$t-summary.txt" || { echo "fuzz_$t: no result"; failed=1; }
done | tee "$build/fuzz-summary.txt"
grep -q 'FAILED\|no result' "$build/fuzz-summary.txt" && failed=1
exit $failed
