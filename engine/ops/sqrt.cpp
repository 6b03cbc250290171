// sqrt: y = sqrt(x) (NaN for negative x).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_sqrt() {
    static const OpDef d = unaryOp("sqrt", "Square root", "Elementwise", "y = sqrt(x) (NaN for negative x).", [](float x) { return std::sqrt(x); }, 1);
    return d;
}

}  // namespace archscope::ops
