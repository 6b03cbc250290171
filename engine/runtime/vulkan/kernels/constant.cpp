// Vulkan kernel for constant: y = value (the node's parameter, uploaded once with the
// weights), one contiguous copy (shaders/gather.comp).
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_constant() {
    static const VulkanKernel k{"constant", [](KernelBuild& b) {
        const TensorRef &w = b.params[0], &y = b.outputs[0];
        const std::vector<int64_t> st = rowStrides(y.shape);
        return dispatchCopy(b, w, y, {y.shape, st, st});
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
