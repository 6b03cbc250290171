// silu: y = x * sigmoid(x) = x / (1 + exp(-x)).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_silu() {
    static const OpDef d = unaryOp("silu", "SiLU", "Activation", "Sigmoid linear unit (Swish), x * sigmoid(x).",
                                   [](float x) { return x / (1.0f + std::exp(-x)); }, 5);
    return d;
}

}  // namespace archscope::ops
