// ONNX import: reads a model with the ONNX project's own protobuf definitions
// and checker (Debian's libonnx-dev) and builds a design plus its weights.
//
// Import runs in one pass over the (topologically sorted) ONNX nodes:
// constant inputs are folded on the host (shape arithmetic such as
// Shape/Gather/Concat/Unsqueeze/Range/ConstantOfShape chains disappears), the
// rest maps onto core ops, and recognisable subgraphs are lifted (LayerNorm and
// RMSNorm decompositions, exact GELU, SiLU, MatMul+Add into linear, the softmax
// of MatMul-Scale-(Mask)-Softmax-MatMul into attn_softmax). Every design node
// keeps the ONNX node name as its label. Input shapes are fixed at import
// (symbolic dims take the values in `bindings`, default 1). An op or construct
// that cannot be imported is reported by op, node and count; import then fails.
// The full reference is docs/interop.md.
#pragma once

#include "core/dim.h"
#include "graph/graph.h"
#include "interop/safetensors.h"

#include <map>
#include <string>
#include <vector>

namespace archscope {

struct OnnxImportOptions {
    Bindings bindings;  // values of symbolic input dims (ONNX dim_param) by name; others are 1
    bool lift = true;   // lift LayerNorm/RMSNorm/GELU/SiLU/linear/attention patterns
    bool check = true;  // run onnx::checker::check_model first
};

struct OnnxUnsupported {
    std::string op;                  // ONNX op type
    std::string why;                 // "" for an op the importer does not know; else the construct
    std::vector<std::string> nodes;  // ONNX node names
};

struct OnnxImportReport {
    int64_t opset = 0;
    std::string producer;  // "pytorch 1.13.0"
    int onnxNodes = 0;
    int foldedNodes = 0;  // evaluated at import time
    int designNodes = 0;
    std::map<std::string, int> lifted;  // lifted pattern -> count
    std::vector<OnnxUnsupported> unsupported;
    std::vector<std::string> warnings;
    // One line per entry: `2 nodes of unsupported op "NonZero": node "/a", node "/b"`.
    std::string unsupportedText() const;
};

// False when the build has no libonnx-dev (the functions below then fail with a message).
bool onnxAvailable();

// Imports an .onnx file (external data files are read relative to it). Weights
// are returned keyed "node.param" (WeightStore keys). On failure returns false
// with `err` naming the file and, for unsupported ops, every node concerned.
bool importOnnxFile(const std::string& path, const OnnxImportOptions& opt, Graph* g, TensorMap* weights,
                    OnnxImportReport* report, std::string* err);
bool importOnnxBytes(const std::string& bytes, const std::string& name, const std::string& baseDir,
                     const OnnxImportOptions& opt, Graph* g, TensorMap* weights, OnnxImportReport* report, std::string* err);

}  // namespace archscope
