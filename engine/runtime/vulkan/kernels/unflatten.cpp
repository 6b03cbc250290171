// Vulkan kernel for unflatten: the data do not move, so a contiguous copy
// (shaders/gather.comp with unit stride), f32 and i64.
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_unflatten() {
    static const VulkanKernel k{"unflatten", [](KernelBuild& b) {
        return dispatchCopy(b, b.inputs[0], b.outputs[0], {{b.outputs[0].numel()}, {1}, {1}});
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
