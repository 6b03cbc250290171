// tanh: y = tanh(x).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_tanh() {
    static const OpDef d = unaryOp("tanh", "Tanh", "Activation", "Hyperbolic tangent.",
                                   [](float x) { return std::tanh(x); }, 5);
    return d;
}

}  // namespace archscope::ops
