// Vulkan kernel for equal: y = (a == b) as 0/1 with broadcasting, shaders/binary.comp variant "equal".
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_equal() {
    static const VulkanKernel k = binaryKernel("equal", "equal");
    return k;
}

}  // namespace archscope::vk
