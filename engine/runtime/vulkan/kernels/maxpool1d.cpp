// Vulkan kernel for maxpool1d: shaders/pool.comp (geometry as ops/spatial_util.cpp).
#include "runtime/vulkan/conv.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_maxpool1d() {
    static const VulkanKernel k{"maxpool1d", [](KernelBuild& b) { return dispatchPool(b, poolDesc(b, 1, true)); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
