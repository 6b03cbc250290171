// sliding_window_mask: y[i, j] = 0 if q - window < j <= q (q = offset + i) else -inf
// (Mistral / Longformer-style local causal attention; see mask_util.h).
#include "ops/mask_util.h"

namespace archscope::ops {

const OpDef& op_sliding_window_mask() {
    static const OpDef d = maskOpDef(
        "sliding_window_mask", "Sliding Window Mask",
        "Additive causal mask that also hides keys more than window-1 positions back (local attention).",
        {attrInt("window", 4096, 1, 1e12, "keys visible per query, itself included")},
        [](int64_t q, const Attrs& a) { return std::pair<int64_t, int64_t>(q - a.i("window") + 1, q); });
    return d;
}

}  // namespace archscope::ops
