// Vulkan kernel for permute: y.shape[k] = x.shape[perm[k]], a strided gather
// (shaders/gather.comp), f32 and i64.
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_permute() {
    static const VulkanKernel k{"permute", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int r = int(x.shape.size());
        const std::vector<int64_t> xs = rowStrides(x.shape);
        StridedCopy c{b.outputs[0].shape, {}, rowStrides(b.outputs[0].shape)};
        for (int64_t a : b.attrs.ints("perm")) c.src.push_back(xs[size_t(a < 0 ? a + r : a)]);
        return dispatchCopy(b, x, b.outputs[0], c);
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
