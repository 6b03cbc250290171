// Vulkan kernel for window_reverse (inverse of window_partition): shaders/window.comp.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

bool dispatchWindow(KernelBuild& b, const std::vector<int64_t>& image, bool partition);  // window_partition.cpp

const VulkanKernel& vk_kernel_window_reverse() {
    static const VulkanKernel k{"window_reverse", [](KernelBuild& b) { return dispatchWindow(b, b.outputs[0].shape, false); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
