// gelu: y = 0.5 * x * (1 + erf(x / sqrt(2))) (exact GELU).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_gelu() {
    static const OpDef d = unaryOp("gelu", "GELU", "Activation", "Gaussian error linear unit, exact form x * Phi(x) with the error function.",
                                   [](float x) { return 0.5f * x * (1.0f + std::erf(x * float(M_SQRT1_2))); }, 6);
    return d;
}

}  // namespace archscope::ops
