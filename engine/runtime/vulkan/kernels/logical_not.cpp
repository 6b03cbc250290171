// Vulkan kernel for logical_not: shaders/unary.comp variant "logical_not" (formula in ops/logical_not.cpp and
// shaders/activation.glsl); fusable into a preceding linear/matmul/norm epilogue.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_logical_not() {
    static const VulkanKernel k = unaryKernel("logical_not", act::LogicalNot);
    return k;
}

}  // namespace archscope::vk
