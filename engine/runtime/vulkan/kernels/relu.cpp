// Vulkan kernel for relu: shaders/unary.comp variant "relu" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_relu() {
    static const VulkanKernel k = unaryKernel("relu", act::Relu);
    return k;
}

}  // namespace archscope::vk
