// Vulkan kernel for causal_mask: 0 where j <= offset + i, else -inf (shaders/mask.comp).
#include "runtime/vulkan/mask.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_causal_mask() {
    static const VulkanKernel k{"causal_mask", [](KernelBuild& b) { return dispatchMask(b, -1, {}); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
