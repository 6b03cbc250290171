// Vulkan kernel for globalpool (avg | max over all spatial axes): shaders/globalpool.comp.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_globalpool() {
    static const VulkanKernel k{"globalpool", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int64_t planes = x.shape[0] * x.shape[1], inner = planes ? x.numel() / planes : 0;
        Dispatch d;
        d.shader = "globalpool";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {b.attrs.s("mode") == "max" ? 1u : 0u};
        d.push.u(uint32_t(planes)).u(uint32_t(inner));
        grid1d(b.device, ceilDiv(planes, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
