// equal: y = 1 where a == b, else 0, with NumPy broadcasting (booleans are 0/1 floats).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_equal() {
    static const OpDef d = binaryOp("equal", "Equal", "Elementwise comparison with broadcasting: 1 where a == b, else 0.",
                                    [](float a, float b) { return a == b ? 1.0f : 0.0f; });
    return d;
}

}  // namespace archscope::ops
