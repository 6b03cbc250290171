// Vulkan kernel for moe_experts: shaders/moe_experts.comp in two dispatches, the hidden
// activations of the admitted (token, expert) pairs into a scratch h [N, E, H], then the
// gated sum of the expert outputs per token. Declines (CPU fallback) when h would not fit
// one storage buffer.
#include "runtime/vulkan/activation.h"
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_moe_experts() {
    static const VulkanKernel k{"moe_experts", [](KernelBuild& b) {
        const TensorRef &x = b.inputs[0], &g = b.inputs[1];
        const int64_t D = x.shape.back(), N = D ? x.numel() / D : 0, E = g.shape.back(), H = b.attrs.i("hidden");
        if (N * E * H * 4 > int64_t(b.device.maxStorageBufferRange) || N * E * H >= (int64_t(1) << 31))
            return b.decline("the hidden activations [tokens, experts, hidden] exceed one storage buffer");
        if (N == 0 || D == 0) return true;
        const std::string& a = b.attrs.s("act");
        const uint32_t act = a == "relu" ? act::Relu : a == "silu" ? act::Silu : act::Gelu;
        const TensorRef h = b.scratch({N, E, H});
        for (int phase : {1, 2}) {
            Dispatch d;
            d.shader = "moe_experts";
            d.bindings = {{x.slot, BindKind::TexelR32F}, {g.slot, BindKind::TexelR32F}};
            for (auto& p : b.params) d.bindings.push_back({p.slot, BindKind::TexelR32F});
            d.bindings.push_back({h.slot, BindKind::Storage});
            d.bindings.push_back({b.outputs[0].slot, BindKind::Storage});
            d.spec = {uint32_t(phase), act};
            d.push.u(uint32_t(N)).u(uint32_t(E)).u(uint32_t(D)).u(uint32_t(H));
            grid1d(b.device, ceilDiv(phase == 1 ? N * E * H : N * D, 64), d.groups);
            b.dispatch(std::move(d));
        }
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
