// Vulkan kernel for reciprocal: shaders/unary.comp variant "reciprocal" (formula in ops/reciprocal.cpp and
// shaders/activation.glsl); fusable into a preceding linear/matmul/norm epilogue.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_reciprocal() {
    static const VulkanKernel k = unaryKernel("reciprocal", act::Reciprocal);
    return k;
}

}  // namespace archscope::vk
