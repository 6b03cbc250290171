// Vulkan kernel for tanh: shaders/unary.comp variant "tanh" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_tanh() {
    static const VulkanKernel k = unaryKernel("tanh", act::Tanh);
    return k;
}

}  // namespace archscope::vk
