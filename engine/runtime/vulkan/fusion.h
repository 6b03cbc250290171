// Fusion pass: finds groups of nodes of an analysed graph that one Vulkan
// kernel computes in a single dispatch, before the plan is built.
//
// Patterns (each a function in fusion.cpp; docs/vulkan-backend.md lists them):
//   gemm epilogue   linear | matmul -> [unary activation] -> [add residual]
//   norm epilogue   layernorm | rmsnorm -> unary activation (scale, clamp, gelu, ...)
//   glu             linear a, linear b (same input) -> gate, or -> act -> mul (GLU, SwiGLU, GeGLU)
//   attention       matmul(q, k) -> [scale] -> [add mask | causal/sliding mask] -> softmax [mask]
//                   -> matmul(., v): one tiled online-softmax kernel (FlashAttention style)
// Every tensor inside a group has exactly one consumer, the next member, so
// nothing outside the group can observe it. The plan runs the group's kernel
// at the position of its last member (all its inputs exist by then); the other
// members show as "vulkan-fused". The plan asks for no fusion when it must keep
// intermediates (probes) or when the user passes --no-fuse.
#pragma once

#include "graph/analysis.h"
#include "runtime/vulkan/kernel.h"

#include <string>
#include <vector>

namespace archscope::vk {

struct FusionGroup {
    std::string kind;                 // "gemm+act", "gemm+residual", "norm+act", "glu", "attention", ...
    std::string kernel;               // kernel id for findKernel: an op id or "fused_glu", "fused_attention"
    std::vector<std::string> nodes;   // members in execution order; the kernel runs at the last one
    // Tensors are (node, output port) pairs, never "node.port" strings: node ids may
    // contain dots (imported models: "blocks.0.attn"), and so may plugin port names.
    std::vector<PortRef> inputs;      // tensors the kernel reads, in its input order (empty node = none)
    std::vector<std::string> params;  // weight keys (WeightStore::key), in the kernel's parameter order
    Attrs attrs;                      // kernel attributes: the head node's, plus what the pass adds
    Activation act;                   // epilogue activation (gemm, norm)
    PortRef residual;                 // residual tensor added in the gemm epilogue (empty node: none)
    const std::string& anchor() const { return nodes.back(); }
};

// All groups in `a`, disjoint; a group is kept only if its kernel accepts the
// shapes (a dry run of its build), so the plan can rely on it.
std::vector<FusionGroup> findFusions(const Analysis& a, const DeviceInfo& device, Family family);

}  // namespace archscope::vk
