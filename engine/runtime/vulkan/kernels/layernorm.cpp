// Vulkan kernel for layernorm (shaders/layernorm.comp): one row per invocation (CPU devices) or
// per workgroup with a shared-memory tree reduction (GPUs, layernorm_tree); a following
// activation (scale, clamp, gelu, ...) is applied in the epilogue when the fusion pass fuses it.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_layernorm() {
    static const VulkanKernel k{"layernorm", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int64_t D = x.shape.back(), rows = D ? x.numel() / D : 0;
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const bool affine = b.attrs.b("affine");
        Dispatch d;
        d.shader = b.family == Family::Tiled ? "layernorm_tree" : "layernorm_rows";
        d.bindings = {{x.slot, BindKind::TexelR32F},
                      {affine ? b.params[0].slot : x.slot, BindKind::TexelR32F},
                      {affine ? b.params[1].slot : x.slot, BindKind::TexelR32F},
                      {b.outputs[0].slot, BindKind::Storage}};
        d.push.u(uint32_t(rows)).u(uint32_t(D)).u(affine ? 1 : 0).f(float(b.attrs.f("eps"))).f(b.act.p0).f(b.act.p1);
        d.spec = {uint32_t(b.act.code)};
        grid1d(b.device, b.family == Family::Tiled ? rows : ceilDiv(rows, 64), d.groups);  // tree: one row per workgroup
        b.dispatch(std::move(d));
        return true;
    }, true, nullptr};
    return k;
}

}  // namespace archscope::vk
