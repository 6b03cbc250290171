// Vulkan kernel for split: y_k = x[..., o_k : o_k + sizes[k], ...], one
// strided copy per output (shaders/gather.comp).
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_split() {
    static const VulkanKernel k{"split", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int r = int(x.shape.size());
        const int a = int(b.attrs.i("axis") < 0 ? b.attrs.i("axis") + r : b.attrs.i("axis"));
        const auto xs = rowStrides(x.shape);
        int64_t off = 0;
        for (const TensorRef& y : b.outputs) {
            if (y.slot < 0) continue;
            StridedCopy c{y.shape, xs, rowStrides(y.shape)};
            c.src0 = off * xs[size_t(a)];
            off += y.shape[size_t(a)];
            if (!dispatchCopy(b, x, y, c)) return false;
        }
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
