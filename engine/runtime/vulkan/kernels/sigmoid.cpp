// Vulkan kernel for sigmoid: shaders/unary.comp variant "sigmoid" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_sigmoid() {
    static const VulkanKernel k = unaryKernel("sigmoid", act::Sigmoid);
    return k;
}

}  // namespace archscope::vk
