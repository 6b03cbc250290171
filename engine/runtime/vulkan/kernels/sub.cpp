// Vulkan kernel for sub with broadcasting: shaders/binary.comp variant "sub".
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_sub() {
    static const VulkanKernel k = binaryKernel("sub", "sub");
    return k;
}

}  // namespace archscope::vk
