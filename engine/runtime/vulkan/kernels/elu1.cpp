// Vulkan kernel for elu1: shaders/unary.comp variant "elu1" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_elu1() {
    static const VulkanKernel k = unaryKernel("elu1", act::Elu1);
    return k;
}

}  // namespace archscope::vk
