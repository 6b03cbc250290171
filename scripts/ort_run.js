// Runs an ONNX model once with ONNX Runtime's CPU provider (npm onnxruntime-node):
//   NODE_PATH=DIR node scripts/ort_run.js MODEL.onnx IN.safetensors OUT.safetensors
// IN holds "in.<graph input>"; OUT gets "out.<graph output>" (f32 or i64) and the
// runtime version in its metadata. Exit 1 with the runtime's message when the
// model does not load or run (e.g. an op the runtime rejects).
"use strict";
const path = require("path");
const ort = require("onnxruntime-node");
const { readSafetensors, writeSafetensors, feedsFor } = require(path.join(__dirname, "ort_util.js"));

async function main() {
  const [model, input, output] = process.argv.slice(2);
  if (!output) { console.error("usage: node scripts/ort_run.js MODEL.onnx IN.safetensors OUT.safetensors"); process.exit(2); }
  const session = await ort.InferenceSession.create(model, { executionProviders: ["cpu"], graphOptimizationLevel: "disabled", intraOpNumThreads: 1 });
  const results = await session.run(feedsFor(ort, session, readSafetensors(input), input));
  const outs = {};
  for (const name of session.outputNames) outs[`out.${name}`] = { shape: results[name].dims.map(Number), data: results[name].data };
  writeSafetensors(output, outs, { onnxruntime: String(ort.env.versions.common), provider: "cpu" });
}

main().catch((e) => { console.error(String(e && e.message ? e.message : e)); process.exit(1); });
