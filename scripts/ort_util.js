// safetensors reading/writing for the ONNX Runtime scripts (bench_ort.js, ort_run.js).
"use strict";
const fs = require("fs");

// name -> {dtype: "F32"|"I64", shape, data: Float32Array|BigInt64Array}
function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString("utf8"));
  const out = {};
  for (const [name, t] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const [a, b] = t.data_offsets;
    const copy = new Uint8Array(buf.subarray(8 + n + a, 8 + n + b)).buffer;  // aligned copy
    const Ctor = { F32: Float32Array, I64: BigInt64Array }[t.dtype];
    if (!Ctor) throw new Error(`${file}: ${name}: dtype ${t.dtype} is not handled`);
    out[name] = { dtype: t.dtype, shape: t.shape, data: new Ctor(copy) };
  }
  return out;
}

// tensors: name -> {shape, data: Float32Array | BigInt64Array}
function writeSafetensors(file, tensors, metadata) {
  const header = { __metadata__: metadata || {} };
  const parts = [];
  let offset = 0;
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    const bytes = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: t.data instanceof BigInt64Array ? "I64" : "F32", shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  while ((json.length + 8) % 8 !== 0) json += " ";
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  fs.writeFileSync(file, Buffer.concat([len, Buffer.from(json, "utf8"), ...parts]));
}

// Feeds for `session` from tensors named "in.<input>".
function feedsFor(ort, session, io, what) {
  const feeds = {};
  for (const name of session.inputNames) {
    const t = io[`in.${name}`];
    if (!t) throw new Error(`${what} has no "in.${name}"`);
    feeds[name] = new ort.Tensor(t.dtype === "F32" ? "float32" : "int64", t.data, t.shape);
  }
  return feeds;
}

module.exports = { readSafetensors, writeSafetensors, feedsFor };
