// Vulkan kernel for linear: y = act(x W^T + b), W [out, in], one GEMM with B' = W^T
// ("nt"); the bias and a following activation are fused into the epilogue.
// Low-rank linear (rank > 0) would need a scratch tensor for x A^T; it runs on the CPU.
#include "runtime/vulkan/gemm.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_linear() {
    static const VulkanKernel k{"linear", [](KernelBuild& b) {
        if (b.attrs.i("rank") > 0) return b.decline("low-rank linear has no Vulkan kernel yet");
        const TensorRef& x = b.inputs[0];
        const int64_t in = x.shape.back(), out = b.outputs[0].shape.back();
        GemmDesc g;
        g.a = x;
        g.b = b.params[0];
        g.c = b.outputs[0];
        g.biasSlot = b.attrs.b("bias") ? b.params[1].slot : -1;
        g.M = in ? x.numel() / in : 0;
        g.N = out;
        g.K = in;
        g.sam = in; g.sak = 1;   // x row-major [M, K]
        g.sbk = 1; g.sbn = in;   // W [N, K]: W^T(k, n) = W[n*K + k]
        g.act = b.act;
        return dispatchGemm(b, g);
    }, true, nullptr};
    return k;
}

}  // namespace archscope::vk
