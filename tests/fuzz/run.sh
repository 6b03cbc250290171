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
# (compile jobs, default 2), FUZZ_TARGETS (subset), FUZZ_NICE (default 10).
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

failed=0
summary=""
for t in $targets; do
  exe="$build/bin/fuzz_$t"
  work="$build/fuzz-corpus/$t"
  art="$build/fuzz-artifacts/$t/"
  mkdir -p "$work" "$art"
  opts=(-rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "-artifact_prefix=$art")
  reg="$root/tests/fuzz/regressions/$t"
  if compgen -G "$reg/*" >/dev/null; then
    echo "== fuzz_$t: replaying $(ls "$reg" | wc -l) regression inputs"
    if ! nice -n "$nice_level" "$exe" "${opts[@]}" "$reg"/* >"$build/fuzz-$t-regressions.log" 2>&1; then
      echo "fuzz_$t: a regression input fails again (log: $build/fuzz-$t-regressions.log)"
      failed=1
      continue
    fi
  fi
  echo "== fuzz_$t: ${secs}s from $(ls "$root/tests/fuzz/corpus/$t" | wc -l) seeds"
  log="$build/fuzz-$t.log"
  if nice -n "$nice_level" "$exe" "${opts[@]}" -max_total_time="$secs" "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    status=clean
  else
    status="FAILED (log: $log, input in $art)"
    failed=1
    tail -40 "$log"
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  summary+="fuzz_$t: $status, ${secs}s, ${runs} runs, coverage ${cov}, corpus $(ls "$work" | wc -l) files"$'\n'
done
echo
printf "%s" "$summary"
exit $failed
