// ONNX Runtime's CPU provider on ONNX models: forward latency, for
// scripts/bench_onnx.sh (the same models run by `archscope bench FILE`).
//
// Usage: NODE_PATH=/path/to/node_modules node scripts/bench_ort.js [--repeats N] [--threads N] MODEL.onnx...
// Needs the npm package onnxruntime-node (`npm install --ignore-scripts onnxruntime-node`).
// Inputs: MODEL.io.safetensors ("in.<input>") when it exists beside the model,
// else random normal floats at the model's static shapes. One untimed warm-up
// run, then `repeats` timed runs of session.run(); the median is printed.
// Output: one JSON line per model {model, ort_ms, runs, threads, version}.
"use strict";
const fs = require("fs");
const path = require("path");
const ort = require("onnxruntime-node");
const { readSafetensors, feedsFor } = require(path.join(__dirname, "ort_util.js"));

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function bench(model, repeats, threads) {
  const opts = { executionProviders: ["cpu"], graphOptimizationLevel: "all" };
  if (threads > 0) opts.intraOpNumThreads = threads;
  const session = await ort.InferenceSession.create(model, opts);
  const ioFile = model.replace(/\.onnx$/, ".io.safetensors");
  if (!fs.existsSync(ioFile)) throw new Error(`${model}: no ${ioFile} with its inputs (in.<input name>)`);
  const feeds = feedsFor(ort, session, readSafetensors(ioFile), ioFile);
  await session.run(feeds);  // warm-up
  const times = [];
  for (let i = 0; i < repeats; ++i) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(times);
}

async function main() {
  const args = process.argv.slice(2);
  let repeats = 20, threads = 0;
  const models = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === "--repeats") repeats = parseInt(args[++i], 10);
    else if (args[i] === "--threads") threads = parseInt(args[++i], 10);
    else models.push(args[i]);
  }
  if (!models.length || !(repeats > 0)) {
    console.error("usage: node scripts/bench_ort.js [--repeats N] [--threads N] MODEL.onnx...");
    process.exit(2);
  }
  const version = ort.env && ort.env.versions ? ort.env.versions.common : "unknown";
  for (const m of models) {
    const ms = await bench(m, repeats, threads);
    console.log(JSON.stringify({ model: m, ort_ms: ms, runs: repeats, threads: threads || "default", version }));
  }
}

main().catch((e) => { console.error(String(e && e.message ? e.message : e)); process.exit(1); });
