// gelu_tanh: y = 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))),
// the tanh approximation of GELU (GPT-2; torch gelu(approximate="tanh")).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_gelu_tanh() {
    static const OpDef d = unaryOp("gelu_tanh", "GELU (tanh)", "Activation",
                                   "GELU with the tanh approximation used by GPT-2 and BERT ports.",
                                   [](float x) {
                                       const float c = 0.7978845608028654f;  // sqrt(2/pi)
                                       return 0.5f * x * (1.0f + std::tanh(c * (x + 0.044715f * x * x * x)));
                                   },
                                   9);
    return d;
}

}  // namespace archscope::ops
