// Vulkan kernel for gelu: shaders/unary.comp variant "gelu" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_gelu() {
    static const VulkanKernel k = unaryKernel("gelu", act::Gelu);
    return k;
}

}  // namespace archscope::vk
