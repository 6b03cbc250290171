// logical_not: y = 1 where x == 0, else 0 (booleans are 0/1 floats).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_logical_not() {
    static const OpDef d = unaryOp("logical_not", "Logical not", "Elementwise", "y = 1 where x == 0, else 0 (booleans are 0/1 floats).", [](float x) { return x == 0.0f ? 1.0f : 0.0f; }, 1);
    return d;
}

}  // namespace archscope::ops
