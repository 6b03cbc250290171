// exp: y = exp(x).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_exp() {
    static const OpDef d = unaryOp("exp", "Exp", "Activation", "Natural exponential e^x.",
                                   [](float x) { return std::exp(x); }, 1);
    return d;
}

}  // namespace archscope::ops
