// Vulkan kernel for sliding_window_mask: 0 where q - window < j <= q, else -inf (shaders/mask.comp).
#include "runtime/vulkan/mask.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_sliding_window_mask() {
    static const VulkanKernel k{"sliding_window_mask", [](KernelBuild& b) { return dispatchMask(b, b.attrs.i("window"), {}); },
                                false, nullptr};
    return k;
}

}  // namespace archscope::vk
