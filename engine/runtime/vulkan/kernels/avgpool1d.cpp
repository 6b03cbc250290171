// Vulkan kernel for avgpool1d: shaders/pool.comp (geometry as ops/spatial_util.cpp).
#include "runtime/vulkan/conv.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_avgpool1d() {
    static const VulkanKernel k{"avgpool1d", [](KernelBuild& b) { return dispatchPool(b, poolDesc(b, 1, false)); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
