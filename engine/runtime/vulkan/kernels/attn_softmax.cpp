// Vulkan kernel for attn_softmax: the softmax kernel (kernels/softmax.cpp);
// the op differs from softmax only in marking its output for the probes.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_softmax();

const VulkanKernel& vk_kernel_attn_softmax() {
    static const VulkanKernel k{"attn_softmax", [](KernelBuild& b) { return vk_kernel_softmax().build(b); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
