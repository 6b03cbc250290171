// Vulkan kernel for linear: y = act(x W^T + b) [+ residual], W [out, in], one
// GEMM with B' = W^T ("nt"); bias, a fused activation and a fused residual add
// are applied in the epilogue. Low-rank (rank r > 0): h = x A^T into a scratch
// tensor [rows, r], then y = act(h B^T + b) [+ residual], two dispatches.
#include "runtime/vulkan/gemm.h"

namespace archscope::vk {

namespace {
// y [rows, out] = x [rows, in] W^T, W [out, in].
GemmDesc nt(const TensorRef& x, const TensorRef& w, const TensorRef& y, int64_t rows, int64_t in, int64_t out) {
    GemmDesc g;
    g.a = x;
    g.b = w;
    g.c = y;
    g.M = rows, g.N = out, g.K = in;
    g.sam = in; g.sak = 1;   // x row-major [M, K]
    g.sbk = 1; g.sbn = in;   // W [N, K]: W^T(k, n) = W[n*K + k]
    return g;
}
}  // namespace

const VulkanKernel& vk_kernel_linear() {
    static const VulkanKernel k{"linear", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int64_t in = x.shape.back(), out = b.outputs[0].shape.back(), rank = b.attrs.i("rank");
        const int64_t rows = in ? x.numel() / in : 0;
        GemmDesc g;
        if (rank > 0) {
            const TensorRef h = b.scratch({rows, rank});
            if (!dispatchGemm(b, nt(x, b.params[0], h, rows, in, rank))) return false;
            g = nt(h, b.params[1], b.outputs[0], rows, rank, out);
        } else {
            g = nt(x, b.params[0], b.outputs[0], rows, in, out);
        }
        g.biasSlot = b.attrs.b("bias") ? b.params[rank > 0 ? 2 : 1].slot : -1;
        g.act = b.act;
        g.residualSlot = b.residual.slot;
        return dispatchGemm(b, g);
    }, true, nullptr};
    return k;
}

}  // namespace archscope::vk
