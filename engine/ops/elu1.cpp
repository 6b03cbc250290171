// elu1: y = ELU(x) + 1 = x > 0 ? x + 1 : exp(x) (positive feature map of linear attention).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_elu1() {
    static const OpDef d = unaryOp("elu1", "ELU + 1", "Activation", "ELU(x) + 1: x + 1 for x > 0, exp(x) otherwise; a positive feature map for linear attention (Katharopoulos et al. 2020).",
                                   [](float x) { return x > 0 ? x + 1.0f : std::exp(x); }, 2);
    return d;
}

}  // namespace archscope::ops
