// Vulkan kernel for cls_token: y[b, :count] = token, y[b, count:] = x[b] (formula in
// ops/cls_token.cpp): two strided copies (shaders/gather.comp), the token rows with
// stride 0 over the batch, then x's rows at row offset count.
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_cls_token() {
    static const VulkanKernel k{"cls_token", [](KernelBuild& b) {
        const TensorRef &x = b.inputs[0], &t = b.params[0], &y = b.outputs[0];
        const int64_t dm = x.shape.back(), n = x.shape[x.shape.size() - 2], cnt = b.attrs.i("count");
        const int64_t batches = dm * n != 0 ? x.numel() / (n * dm) : 1;
        const int64_t rows = n + cnt;
        // Token rows: [batches, cnt, dm] from token [cnt, dm] (stride 0 over batches).
        if (!dispatchCopy(b, t, y, {{batches, cnt, dm}, {0, dm, 1}, {rows * dm, dm, 1}})) return false;
        StridedCopy c{{batches, n, dm}, {n * dm, dm, 1}, {rows * dm, dm, 1}};
        c.dst0 = cnt * dm;
        return dispatchCopy(b, x, y, c);
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
