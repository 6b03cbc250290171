// Vulkan kernel for gelu_tanh: shaders/unary.comp variant "gelu_tanh" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_gelu_tanh() {
    static const VulkanKernel k = unaryKernel("gelu_tanh", act::GeluTanh);
    return k;
}

}  // namespace archscope::vk
