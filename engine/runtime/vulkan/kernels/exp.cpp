// Vulkan kernel for exp: shaders/unary.comp variant "exp" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_exp() {
    static const VulkanKernel k = unaryKernel("exp", act::Exp);
    return k;
}

}  // namespace archscope::vk
