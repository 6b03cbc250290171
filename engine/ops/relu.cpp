// relu: y = max(x, 0).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_relu() {
    static const OpDef d = unaryOp("relu", "ReLU", "Activation", "Rectified linear unit, max(x, 0).",
                                   [](float x) { return x > 0 ? x : 0.0f; }, 1);
    return d;
}

}  // namespace archscope::ops
