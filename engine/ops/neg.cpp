// neg: y = -x.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_neg() {
    static const OpDef d = unaryOp("neg", "Negate", "Elementwise", "y = -x.", [](float x) { return -x; }, 1);
    return d;
}

}  // namespace archscope::ops
