// Shared dispatch of shaders/mask.comp for causal_mask, sliding_window_mask and alibi.
#pragma once

#include "runtime/vulkan/kernel.h"

#include <algorithm>

namespace archscope::vk {

// window < 0: causal (no lower bound); slopes: alibi's per-head slopes (empty for masks).
inline bool dispatchMask(KernelBuild& b, int64_t window, std::vector<float> slopes) {
    const TensorRef& y = b.outputs[0];
    const int64_t tk = y.shape.back(), tq = y.shape[y.shape.size() - 2], off = b.attrs.i("offset") + (b.has(1) ? b.inputs[1].shape[b.inputs[1].shape.size() - 2] : 0);
    if (y.numel() >= (int64_t(1) << 31) || off + tq + tk >= (int64_t(1) << 24))
        return b.decline("positions beyond 2^24 (offset + lengths) need 64-bit indexing");
    if (y.numel() == 0) return true;
    const bool alibi = !slopes.empty();
    const TensorRef s = b.constant(alibi ? std::move(slopes) : std::vector<float>{0.0f});
    Dispatch d;
    d.shader = "mask";
    d.bindings = {{s.slot, BindKind::TexelR32F}, {y.slot, BindKind::Storage}};
    d.spec = {alibi ? 1u : 0u};
    const int64_t w = window < 0 ? (int64_t(1) << 30) : std::min<int64_t>(window, int64_t(1) << 30);
    d.push.u(uint32_t(y.numel())).u(uint32_t(tq)).u(uint32_t(tk)).u(uint32_t(off)).u(uint32_t(w));
    grid1d(b.device, ceilDiv(y.numel(), 64), d.groups);
    b.dispatch(std::move(d));
    return true;
}

}  // namespace archscope::vk
