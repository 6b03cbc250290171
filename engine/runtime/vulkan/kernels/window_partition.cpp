// Vulkan kernel for window_partition (Swin, cyclic shift): shaders/window.comp.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

bool dispatchWindow(KernelBuild& b, const std::vector<int64_t>& image, bool partition) {
    const int64_t total = b.outputs[0].numel();
    if (total >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
    if (total == 0) return true;
    Dispatch d;
    d.shader = "window";
    d.bindings = {{b.inputs[0].slot, BindKind::Storage}, {b.outputs[0].slot, BindKind::Storage}};
    d.spec = {partition ? 1u : 0u};
    d.push.u(uint32_t(total)).u(uint32_t(image[1])).u(uint32_t(image[2])).u(uint32_t(image[3]));
    d.push.u(uint32_t(b.attrs.i("window"))).u(uint32_t(b.attrs.i("shift")));
    grid1d(b.device, ceilDiv(total, 64), d.groups);
    b.dispatch(std::move(d));
    return true;
}

const VulkanKernel& vk_kernel_window_partition() {
    static const VulkanKernel k{"window_partition", [](KernelBuild& b) { return dispatchWindow(b, b.inputs[0].shape, true); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
