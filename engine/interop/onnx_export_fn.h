// Ops without a 1:1 ONNX op, exported as calls of model-local ONNX functions
// (internal to the onnx_export*.cpp files; format in docs/interop.md#functions).
//
// Such an op becomes ONE node of domain "archscope.fn" in the main graph:
//   op_type    = "<op id>" or "<op id>.<variant>" (the variant names the body:
//                "scan.diag", "linear_mix.decay_g"; "_2", "_3" are appended if
//                two bodies would otherwise share a name);
//   attributes = every resolved attribute of the op (as plugin ops, onnx_plugin.h);
//   inputs     = the op's connected input ports in port order, then its
//                parameters (initializers "<node>.<param>", in infer order), then
//                auxiliary constants the body needs whose value depends on shapes
//                or attributes (initializers "<node>.<aux>": a zero state, an index map);
//   outputs    = the op's output ports.
// The ModelProto carries one FunctionProto per op_type (ModelProto.functions,
// IR 8): formal inputs named after the ports, parameters and aux constants,
// formal outputs named after the output ports, the body being the op's
// decomposition into opset-17 ops. ONNX Runtime inlines it; the importer maps
// the node back onto the op (formal names say which ports are connected) and
// ignores the body.
#pragma once

#if ARCHSCOPE_HAVE_ONNX

#include "interop/onnx_export_ctx.h"

#include <map>
#include <string>
#include <vector>

namespace archscope::onnxout {

inline const char* kFnDomain = "archscope.fn";

// The functions written so far, by op_type.
using FunctionSet = std::map<std::string, onnx::FunctionProto>;

// Writes the current node as a call (see the file comment). `body` adds the
// body's nodes to b.gp using the formal names (port names, parameter names,
// aux names) and b.op1/b.constF/...; it must name its results with the op's
// output port names (`y`). Constants created in the body become Constant nodes.
using BodyFn = std::function<void(Ex& b)>;
void writeCall(Ex& e, FunctionSet& fs, const std::string& variant, const std::vector<std::pair<std::string, Tensor>>& aux,
               const BodyFn& body);

using FnExportFn = std::function<void(Ex&, FunctionSet&)>;
// Ops written as function calls, by op id (onnx_export_fn.cpp; scan and
// linear_mix from onnx_export_scan.cpp).
const std::map<std::string, FnExportFn>& fnExportTable();
void scanFnEx(Ex& e, FunctionSet& fs);
void linearMixFnEx(Ex& e, FunctionSet& fs);
// The source element of every output element of a pure data-movement op
// (the kernel run on x[i] = i; onnx_export_more.cpp).
Tensor gatherIndexMap(Ex& e);

// Adds the functions and the "archscope.fn" opset import (when any) to m.
void addFunctions(onnx::ModelProto* m, const FunctionSet& fs);

}  // namespace archscope::onnxout

#endif
