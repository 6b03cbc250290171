// Shared dispatch of shaders/posadd.comp: y = x + table[t] over [..., T, D]
// (pos_learned with its weight, pos_sinusoidal with a host-computed table).
#pragma once

#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

inline bool dispatchPosAdd(KernelBuild& b, const TensorRef& table) {
    const TensorRef& x = b.inputs[0];
    if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
    const int64_t D = x.shape.back(), T = x.shape[x.shape.size() - 2];
    if (x.numel() == 0) return true;
    Dispatch d;
    d.shader = "posadd";
    d.bindings = {{x.slot, BindKind::TexelR32F}, {table.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
    d.push.u(uint32_t(x.numel())).u(uint32_t(T)).u(uint32_t(D));
    grid1d(b.device, ceilDiv(x.numel(), 64), d.groups);
    b.dispatch(std::move(d));
    return true;
}

}  // namespace archscope::vk
