// erf: y = erf(x), the Gauss error function (building block of exact GELU).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_erf() {
    static const OpDef d = unaryOp("erf", "Error function", "Activation", "y = erf(x), the Gauss error function (building block of exact GELU).", [](float x) { return std::erf(x); }, 8);
    return d;
}

}  // namespace archscope::ops
