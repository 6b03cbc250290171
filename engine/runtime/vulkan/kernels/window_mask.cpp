// Vulkan kernel for window_mask: the mask depends only on shapes and attributes, so it is
// computed once at plan build (ops::fillWindowMask, as on the CPU), uploaded as a
// constant and copied into the output by shaders/gather.comp.
#include "ops/window_mask.h"
#include "runtime/vulkan/gather.h"

#include <vector>

namespace archscope::vk {

const VulkanKernel& vk_kernel_window_mask() {
    static const VulkanKernel k{"window_mask", [](KernelBuild& b) {
        const TensorRef& like = b.inputs[0];
        const TensorRef& y = b.outputs[0];
        const int64_t h = like.shape[1], w = like.shape[2], m = b.attrs.i("window"), s = b.attrs.i("shift");
        const int64_t n = m * m, windows = y.shape[0];
        if (windows * n * n >= (int64_t(1) << 28)) return b.decline("mask too large for a constant upload");
        std::vector<float> data(size_t(windows * n * n));
        ops::fillWindowMask(windows, h, w, m, s, data.data());
        TensorRef c = b.constant(y.shape, std::move(data));
        return dispatchCopy(b, c, y, {{y.numel()}, {1}, {1}});
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
