// Vulkan kernel for maxpool2d: shaders/pool.comp (geometry as ops/spatial_util.cpp).
#include "runtime/vulkan/conv.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_maxpool2d() {
    static const VulkanKernel k{"maxpool2d", [](KernelBuild& b) { return dispatchPool(b, poolDesc(b, 2, true)); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
