// Vulkan kernel for relu6: shaders/unary.comp variant "relu6" (formula in the op file
// and shaders/activation.glsl); fusable into a preceding linear/matmul.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_relu6() {
    static const VulkanKernel k = unaryKernel("relu6", act::Relu6);
    return k;
}

}  // namespace archscope::vk
