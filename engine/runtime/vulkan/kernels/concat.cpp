// Vulkan kernel for concat: each connected input is copied into its range of
// y along the axis (one strided copy per input, shaders/gather.comp).
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_concat() {
    static const VulkanKernel k{"concat", [](KernelBuild& b) {
        const TensorRef& y = b.outputs[0];
        const int r = int(y.shape.size());
        const int a = int(b.attrs.i("axis") < 0 ? b.attrs.i("axis") + r : b.attrs.i("axis"));
        const auto ys = rowStrides(y.shape);
        int64_t off = 0;
        for (const TensorRef& x : b.inputs) {
            if (x.slot < 0) continue;
            StridedCopy c{x.shape, rowStrides(x.shape), ys};
            c.dst0 = off * ys[size_t(a)];
            off += x.shape[size_t(a)];
            if (!dispatchCopy(b, x, y, c)) return false;
        }
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
