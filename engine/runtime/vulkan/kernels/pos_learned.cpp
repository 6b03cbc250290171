// Vulkan kernel for pos_learned: y = x + W[t] (shaders/posadd.comp, the weight as table).
#include "runtime/vulkan/posadd.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_pos_learned() {
    static const VulkanKernel k{"pos_learned", [](KernelBuild& b) { return dispatchPosAdd(b, b.params[0]); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
