#!/usr/bin/env bash
# Forward latency of imported ONNX models: Archscope's CPU and Vulkan backends
# (`archscope bench FILE`, the model imported on the fly) beside ONNX Runtime's
# CPU provider (scripts/bench_ort.js, npm onnxruntime-node). Prints a Markdown
# table with the machine, the load average before and after, and the method.
#
# Usage: scripts/bench_onnx.sh [--archscope BIN] [--node-path DIR] [--repeats N] [MODEL.onnx...]
#   BIN        default build/bin/archscope
#   DIR        node_modules holding onnxruntime-node (default $NODE_PATH, else /work/ortnode/node_modules)
#   MODEL      default: every tests/fixtures/onnx/*.onnx that has a NAME.ort.safetensors reference
# Run it as `nice -n -20 scripts/bench_onnx.sh` (root) so other jobs disturb it less.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bin/archscope
NODE_DIR=${NODE_PATH:-/work/ortnode/node_modules}
REPEATS=20
MODELS=()
while (($#)); do
  case "$1" in
    --archscope) BIN=$2; shift 2 ;;
    --node-path) NODE_DIR=$2; shift 2 ;;
    --repeats) REPEATS=$2; shift 2 ;;
    -h|--help) sed -n 2,10p "$0"; exit 0 ;;
    *) MODELS+=("$1"); shift ;;
  esac
done
if ((${#MODELS[@]} == 0)); then
  for f in tests/fixtures/onnx/*.ort.safetensors; do MODELS+=("${f%.ort.safetensors}.onnx"); done
fi
[[ -x $BIN ]] || { echo "bench_onnx.sh: no archscope binary at $BIN (use --archscope BIN)" >&2; exit 2; }
[[ -d $NODE_DIR/onnxruntime-node ]] || { echo "bench_onnx.sh: no onnxruntime-node under $NODE_DIR (npm install --ignore-scripts onnxruntime-node)" >&2; exit 2; }

fig() {  # fig JSON NAME -> value of the figure NAME of `archscope bench --json`
  python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(next((f["value"] for f in d["figures"] if f["name"]==sys.argv[2]), "n/a"))' "$1" "$2"
}
ort() {  # ort MODEL THREADS -> median ms
  NODE_PATH=$NODE_DIR node scripts/bench_ort.js --repeats "$REPEATS" --threads "$2" "$1" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["ort_ms"])'
}
r3() { python3 -c 'import sys; v=sys.argv[1]; print(v if v=="n/a" else "%.3f" % float(v))' "$1"; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
VERSION=$(NODE_PATH=$NODE_DIR node -e 'const o=require("onnxruntime-node"); console.log(o.env.versions.common)')
echo "| model | Archscope CPU, $(nproc) threads | same, OMP_WAIT_POLICY=passive | Archscope CPU, 1 thread | Vulkan fused | Vulkan unfused | ORT CPU, default threads | ORT CPU, 1 thread |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for m in "${MODELS[@]}"; do
  all=$("$BIN" bench "$m" --json --repeats "$REPEATS")
  passive=$(OMP_WAIT_POLICY=passive "$BIN" bench "$m" --json --repeats "$REPEATS" --no-fuse)
  one=$(OMP_NUM_THREADS=1 "$BIN" bench "$m" --json --repeats "$REPEATS" --no-fuse)
  echo "| $(basename "$m" .onnx) | $(r3 "$(fig "$all" "cpu latency")") | $(r3 "$(fig "$passive" "cpu latency")") | $(r3 "$(fig "$one" "cpu latency")") | $(r3 "$(fig "$all" "vulkan latency (fused)")") | $(r3 "$(fig "$all" "vulkan latency (--no-fuse)")") | $(r3 "$(ort "$m" 0)") | $(r3 "$(ort "$m" 1)") |"
done
echo
echo "Milliseconds, median of $REPEATS runs after a warm-up (inputs in, outputs out; Vulkan: one submit, setup excluded)."
echo "Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores, $(python3 -c 'import sys; print(sys.argv[1])' "$("$BIN" bench "${MODELS[0]}" --json --repeats 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["device"])')"); onnxruntime-node $VERSION."
echo "Load average (1, 5, 15 min) before: $LOAD0; after: $(cut -d' ' -f1-3 /proc/loadavg). Priority: nice $(nice)."
