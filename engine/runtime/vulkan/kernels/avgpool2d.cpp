// Vulkan kernel for avgpool2d: shaders/pool.comp (geometry as ops/spatial_util.cpp).
#include "runtime/vulkan/conv.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_avgpool2d() {
    static const VulkanKernel k{"avgpool2d", [](KernelBuild& b) { return dispatchPool(b, poolDesc(b, 2, false)); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
