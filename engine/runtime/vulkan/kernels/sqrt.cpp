// Vulkan kernel for sqrt: shaders/unary.comp variant "sqrt" (formula in ops/sqrt.cpp and
// shaders/activation.glsl); fusable into a preceding linear/matmul/norm epilogue.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_sqrt() {
    static const VulkanKernel k = unaryKernel("sqrt", act::Sqrt);
    return k;
}

}  // namespace archscope::vk
