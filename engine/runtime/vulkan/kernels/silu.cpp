// Vulkan kernel for silu: shaders/unary.comp variant "silu" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_silu() {
    static const VulkanKernel k = unaryKernel("silu", act::Silu);
    return k;
}

}  // namespace archscope::vk
