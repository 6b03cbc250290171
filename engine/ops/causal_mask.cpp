// causal_mask: y[i, j] = 0 if j <= offset + i else -inf (see mask_util.h).
#include "ops/mask_util.h"

namespace archscope::ops {

const OpDef& op_causal_mask() {
    static const OpDef d = maskOpDef(
        "causal_mask", "Causal Mask",
        "Additive mask that hides future keys (decoder self-attention); add it to the scores before softmax.", {},
        [](int64_t q, const Attrs&) { return std::pair<int64_t, int64_t>(0, q); });
    return d;
}

}  // namespace archscope::ops
