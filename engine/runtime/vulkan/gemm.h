// Shared SGEMM dispatch for the linear and matmul kernels: picks the shader
// (texel register-blocked nn/nt or generic for CPU devices, shared-memory
// tiled for GPUs), fills push constants and the grid.
#pragma once

#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

// C[z] = act(alpha * A[z] B[z] + bias) [+ R[z]], C contiguous [batch, M, N]. Element
// strides describe A (m, k) and B (k, n); batch z splits as (z / nb2, z % nb2)
// with strides sa1/sa2 (A) and sb1/sb2 (B).
struct GemmDesc {
    TensorRef a, b, c;
    int biasSlot = -1;
    int residualSlot = -1;  // C += R (same layout as C) after the activation
    int64_t M = 0, N = 0, K = 0, batch = 1, nb2 = 1;
    int64_t sa1 = 0, sa2 = 0, sb1 = 0, sb2 = 0;
    int64_t sam = 0, sak = 0, sbk = 0, sbn = 0;
    float alpha = 1.0f;
    Activation act;
};

// Appends the dispatch; false (with b.reason) if the sizes exceed 32-bit indexing.
bool dispatchGemm(KernelBuild& b, const GemmDesc& g);

// Collapses broadcast batch dims (out batch shape, per-input strides, 0 on
// broadcast) into at most two levels; false if that is impossible.
bool collapseBatch(const std::vector<int64_t>& shape, const std::vector<int64_t>& sa, const std::vector<int64_t>& sb, GemmDesc* g);

}  // namespace archscope::vk
