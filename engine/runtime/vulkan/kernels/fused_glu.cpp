// Fused kernel "fused_glu" (fusion pass pattern glu): y = (x Wa^T + ba) * act(x Wb^T + bb)
// in one dispatch of shaders/glu.comp (CPU devices: 4 x 4 register blocks over texels;
// GPUs: glu_tiled, 16 x 16 shared-memory tiles). Inputs {x}; params {Wa, [ba], Wb, [bb]};
// attrs bias_a, bias_b; the gate activation in b.act.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_fused_glu() {
    static const VulkanKernel k{"fused_glu", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const bool ba = b.attrs.b("bias_a"), bb = b.attrs.b("bias_b");
        const TensorRef& wa = b.params[0];
        const TensorRef& wb = b.params[ba ? 2 : 1];
        const int64_t K = x.shape.back(), N = b.outputs[0].shape.back(), M = K ? x.numel() / K : 0;
        if (x.numel() >= (int64_t(1) << 31) || b.outputs[0].numel() >= (int64_t(1) << 31) || wa.numel() >= (int64_t(1) << 31))
            return b.decline("tensor too large for 32-bit indexing");
        if (M == 0 || N == 0) return b.decline("empty product");
        const bool tiled = b.family == Family::Tiled;  // GPUs: shared-memory tiles (glu_tiled)
        const bool vec4 = !tiled && K % 4 == 0;
        const BindKind in = vec4 ? BindKind::TexelRGBA32F : BindKind::TexelR32F;
        Dispatch d;
        d.shader = tiled ? "glu_tiled" : vec4 ? "glu_vec4" : "glu_scalar";
        d.bindings = {{x.slot, in}, {wa.slot, in}, {ba ? b.params[1].slot : x.slot, BindKind::TexelR32F}, {wb.slot, in},
                      {bb ? b.params.back().slot : x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {ba ? 1u : 0u, bb ? 1u : 0u, uint32_t(b.act.code)};
        d.push.u(uint32_t(M)).u(uint32_t(N)).u(uint32_t(K)).f(b.act.p0).f(b.act.p1);
        d.groups[0] = tiled ? ceilDiv(N, 16) : ceilDiv(ceilDiv(N, 4), 8);
        d.groups[1] = tiled ? ceilDiv(M, 16) : ceilDiv(ceilDiv(M, 4), 8);
        if (d.groups[0] > b.device.maxWorkGroupCount[0] || d.groups[1] > b.device.maxWorkGroupCount[1])
            return b.decline("grid exceeds the device's workgroup count limit");
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
