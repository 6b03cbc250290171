// Symbolic sizes for imported ONNX models (called by importOnnxBytes).
//
// A graph input dim with a dim_param ("batch", "seq") becomes a design symbol
// when the import can prove how every size depends on it: the model is imported
// again with that symbol one larger, and each design size that changes must
// change as c*S (or S+k); those sizes are rewritten as expressions ("batch,
// seq, 32", "batch*seq, 4, 8") so the GUI's sizes panel and --set reflow them.
// A symbol that changes anything else (a folded constant such as a causal mask
// built from seq, an integer attribute, the graph's structure) stays fixed at
// its import value, with a warning naming the node that depends on it.
#pragma once

#include "interop/onnx_import.h"

#include <onnx/onnx_pb.h>

namespace archscope::onnxin {

// `g` is the import of `graph` at `opt`; rewrites it in place and adds warnings to `rep`.
void makeSymbolic(const onnx::GraphProto& graph, const OnnxImportOptions& opt, const std::string& baseDir, Graph* g,
                  OnnxImportReport* rep);

}  // namespace archscope::onnxin
