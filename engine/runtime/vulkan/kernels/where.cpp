// Vulkan kernel for where: y = cond != 0 ? a : b, all three broadcast, shaders/binary.comp
// variant "where" (the ternary form of the elementwise broadcast shader).
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_where() {
    static const VulkanKernel k = ternaryKernel("where", "where");
    return k;
}

}  // namespace archscope::vk
