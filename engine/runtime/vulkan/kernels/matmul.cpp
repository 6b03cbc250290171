// Vulkan kernel for matmul: y[z] = act(alpha * op(a[z]) op(b[z])), batch dims
// broadcast; transposes become strides; a following activation and residual add are fused.
#include "runtime/vulkan/gemm.h"

namespace archscope::vk {

namespace {
// Per output batch dim, the element stride of `t`'s matrices (0 where broadcast).
std::vector<int64_t> batchStrides(const TensorRef& t, size_t outBatchRank) {
    std::vector<int64_t> st(outBatchRank, 0);
    const size_t tr = t.shape.size() - 2;
    int64_t acc = t.shape[tr] * t.shape[tr + 1];
    for (size_t i = tr; i-- > 0;) {
        if (t.shape[i] != 1) st[outBatchRank - tr + i] = acc;
        acc *= t.shape[i];
    }
    return st;
}
}  // namespace

const VulkanKernel& vk_kernel_matmul() {
    static const VulkanKernel k{"matmul", [](KernelBuild& b) {
        const TensorRef& a = b.inputs[0];
        const TensorRef& bt = b.inputs[1];
        const TensorRef& y = b.outputs[0];
        const bool ta = b.attrs.b("transpose_a"), tb = b.attrs.b("transpose_b");
        const size_t ra = a.shape.size(), rb = bt.shape.size(), ry = y.shape.size();
        GemmDesc g;
        g.a = a;
        g.b = bt;
        g.c = y;
        g.M = y.shape[ry - 2];
        g.N = y.shape[ry - 1];
        g.K = ta ? a.shape[ra - 2] : a.shape[ra - 1];
        const int64_t acols = a.shape[ra - 1], bcols = bt.shape[rb - 1];
        g.sam = ta ? 1 : acols; g.sak = ta ? acols : 1;
        g.sbk = tb ? 1 : bcols; g.sbn = tb ? bcols : 1;
        g.alpha = float(b.attrs.f("alpha"));
        g.act = b.act;
        g.residualSlot = b.residual.slot;
        std::vector<int64_t> yb(y.shape.begin(), y.shape.end() - 2);
        if (!collapseBatch(yb, batchStrides(a, yb.size()), batchStrides(bt, yb.size()), &g))
            return b.decline("batch broadcast pattern needs more than two batch levels");
        return dispatchGemm(b, g);
    }, true, nullptr};
    return k;
}

}  // namespace archscope::vk
