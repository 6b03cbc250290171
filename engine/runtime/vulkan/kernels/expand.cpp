// Vulkan kernel for expand: y = x broadcast to `shape`, a strided gather (shaders/gather.comp)
// with stride 0 on the broadcast axes; f32 and i64.
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_expand() {
    static const VulkanKernel k{"expand", [](KernelBuild& b) {
        const TensorRef &x = b.inputs[0], &y = b.outputs[0];
        const size_t lead = y.shape.size() - x.shape.size();
        const std::vector<int64_t> xs = rowStrides(x.shape);
        StridedCopy c{y.shape, std::vector<int64_t>(y.shape.size(), 0), rowStrides(y.shape)};
        for (size_t i = 0; i < x.shape.size(); ++i)
            if (x.shape[i] != 1) c.src[lead + i] = xs[i];
        return dispatchCopy(b, x, y, c);
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
