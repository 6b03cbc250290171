// Vulkan kernel for mul with broadcasting: shaders/binary.comp variant "mul".
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_mul() {
    static const VulkanKernel k = binaryKernel("mul", "mul");
    return k;
}

}  // namespace archscope::vk
