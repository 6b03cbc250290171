// Vulkan kernel for slice: y = x[..., start:end:step, ...] on one axis, a
// strided copy (shaders/gather.comp); bounds as in the op (Python rules, clamped).
#include "runtime/vulkan/gather.h"

#include <algorithm>

namespace archscope::vk {

const VulkanKernel& vk_kernel_slice() {
    static const VulkanKernel k{"slice", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int r = int(x.shape.size());
        const int a = int(b.attrs.i("axis") < 0 ? b.attrs.i("axis") + r : b.attrs.i("axis"));
        const int64_t len = x.shape[size_t(a)], s = b.attrs.i("start");
        const int64_t start = std::clamp<int64_t>(s < 0 ? len + s : s, 0, len);
        StridedCopy c{b.outputs[0].shape, rowStrides(x.shape), rowStrides(b.outputs[0].shape)};
        c.src0 = start * c.src[size_t(a)];
        c.src[size_t(a)] *= b.attrs.i("step");
        return dispatchCopy(b, x, b.outputs[0], c);
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
