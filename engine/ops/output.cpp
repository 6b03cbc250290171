// output: marks a tensor as a graph output (written by `archscope run --output`).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_output() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "output";
        d.displayName = "Output";
        d.category = "Graph";
        d.doc = "A graph output; its node id names the result.";
        d.inputs = {{"x", PortType::Any, "the tensor to return"}};
        d.infer = [](InferCtx&) { return true; };
        d.cpu = [](KernelCtx&) {};
        d.bytes = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
