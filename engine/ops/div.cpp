// div: y = a / b with NumPy broadcasting (IEEE semantics: x/0 = ±inf, 0/0 = NaN).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_div() {
    static const OpDef d = binaryOp("div", "Divide", "Elementwise quotient a / b with broadcasting.",
                                    [](float a, float b) { return a / b; });
    return d;
}

}  // namespace archscope::ops
