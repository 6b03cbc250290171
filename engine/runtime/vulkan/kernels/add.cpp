// Vulkan kernel for add with broadcasting: shaders/binary.comp variant "add".
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_add() {
    static const VulkanKernel k = binaryKernel("add", "add");
    return k;
}

}  // namespace archscope::vk
