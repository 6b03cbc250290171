// Vulkan kernel for batchnorm (inference, per-channel running statistics): shaders/batchnorm.comp.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_batchnorm() {
    static const VulkanKernel k{"batchnorm", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const bool affine = b.attrs.b("affine");
        const int p0 = affine ? 2 : 0;
        const int64_t C = x.shape[1], planes = x.shape[0] * C, plane = planes ? x.numel() / planes : 1;
        Dispatch d;
        d.shader = "batchnorm";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.params[size_t(p0)].slot, BindKind::TexelR32F},
                      {b.params[size_t(p0 + 1)].slot, BindKind::TexelR32F},
                      {b.params[affine ? 0 : size_t(p0)].slot, BindKind::TexelR32F},
                      {b.params[affine ? 1 : size_t(p0)].slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {affine ? 1u : 0u};
        d.push.u(uint32_t(x.numel())).u(uint32_t(C)).u(uint32_t(std::max<int64_t>(plane, 1))).f(float(b.attrs.f("eps")));
        grid1d(b.device, ceilDiv(x.numel(), 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
