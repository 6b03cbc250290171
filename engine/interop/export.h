// Design exports: ONNX (opset 17), PyTorch code, safetensors weights.
//
// Each export works on the analysed design (composite blocks flattened into
// primitives) and its weights. An op without a mapping is reported with its
// node and op id; nothing is written then. See docs/interop.md.
#pragma once

#include "graph/analysis.h"
#include "interop/safetensors.h"
#include "runtime/weights.h"

#include <string>

namespace archscope {

// ONNX opset 17 model: one or a few ONNX nodes per primitive, parameters as
// initializers, graph inputs/outputs named after the design's input/output
// nodes. The result passes onnx::checker before it is returned.
bool exportOnnx(const Graph& g, const Analysis& a, const WeightStore& w, std::string* bytes, std::string* err);

// A Python file defining `class <Name>(nn.Module)` with one nn.Module class
// per composite block or node group (named after the design's nodes), and
// the matching state dict written to `weightsPath` (safetensors, read by the
// generated code without extra packages). `weightsName` is the file name the
// code refers to. Running the file (`python3 model.py --inputs in.safetensors
// --outputs out.safetensors`) reproduces the explorer's outputs.
bool exportPyTorch(const Graph& g, const Analysis& a, const WeightStore& w, const std::string& weightsName, std::string* code,
                   TensorMap* stateDict, std::string* err);

}  // namespace archscope
