// mul: y = a * b with NumPy broadcasting.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_mul() {
    static const OpDef d = binaryOp("mul", "Multiply", "Elementwise product a * b with broadcasting (gating, masking).",
                                    [](float a, float b) { return a * b; });
    return d;
}

}  // namespace archscope::ops
