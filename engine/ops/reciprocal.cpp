// reciprocal: y = 1 / x.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_reciprocal() {
    static const OpDef d = unaryOp("reciprocal", "Reciprocal", "Elementwise", "y = 1 / x.", [](float x) { return 1.0f / x; }, 1);
    return d;
}

}  // namespace archscope::ops
