// Vulkan kernel for neg: shaders/unary.comp variant "neg" (formula in ops/neg.cpp and
// shaders/activation.glsl); fusable into a preceding linear/matmul/norm epilogue.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_neg() {
    static const VulkanKernel k = unaryKernel("neg", act::Neg);
    return k;
}

}  // namespace archscope::vk
