// Vulkan kernel for div with broadcasting: shaders/binary.comp variant "div".
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_div() {
    static const VulkanKernel k = binaryKernel("div", "div");
    return k;
}

}  // namespace archscope::vk
