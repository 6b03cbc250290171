// relu6: y = min(max(x, 0), 6).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_relu6() {
    static const OpDef d = unaryOp("relu6", "ReLU6", "Activation", "Rectified linear unit capped at 6, min(max(x, 0), 6) (MobileNet).",
                                   [](float x) { return x <= 0 ? 0.0f : (x >= 6 ? 6.0f : x); }, 2);
    return d;
}

}  // namespace archscope::ops
