// sigmoid: y = 1 / (1 + exp(-x)).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_sigmoid() {
    static const OpDef d = unaryOp("sigmoid", "Sigmoid", "Activation", "Logistic function 1 / (1 + exp(-x)).",
                                   [](float x) { return 1.0f / (1.0f + std::exp(-x)); }, 4);
    return d;
}

}  // namespace archscope::ops
