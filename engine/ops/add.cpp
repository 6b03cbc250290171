// add: y = a + b with NumPy broadcasting.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_add() {
    static const OpDef d = binaryOp("add", "Add", "Elementwise sum with broadcasting (residual connections).",
                                    [](float a, float b) { return a + b; });
    return d;
}

}  // namespace archscope::ops
