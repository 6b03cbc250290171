// Vulkan kernel for erf: shaders/unary.comp variant "erf" (formula in ops/erf.cpp and
// shaders/activation.glsl); fusable into a preceding linear/matmul/norm epilogue.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_erf() {
    static const VulkanKernel k = unaryKernel("erf", act::Erf);
    return k;
}

}  // namespace archscope::vk
