// sub: y = a - b with NumPy broadcasting.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_sub() {
    static const OpDef d = binaryOp("sub", "Subtract", "Elementwise difference a - b with broadcasting.",
                                    [](float a, float b) { return a - b; });
    return d;
}

}  // namespace archscope::ops
