// Vulkan kernel for topk: shaders/topk.comp ranks every element of a row
// against the others (the CPU kernel's order and tie rule), O(L^2) per row.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_topk() {
    static const VulkanKernel k{"topk", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 30)) return b.decline("tensor too large for 32-bit indexing");
        if (b.outputs.size() < 2 || b.outputs[1].slot < 0) return b.decline("indices output missing");
        const int r = int(x.shape.size());
        const int ax = int(b.attrs.i("axis") < 0 ? b.attrs.i("axis") + r : b.attrs.i("axis"));
        const int64_t L = x.shape[size_t(ax)];
        int64_t inner = 1;
        for (int i = ax + 1; i < r; ++i) inner *= x.shape[size_t(i)];
        const int64_t rows = L * inner != 0 ? x.numel() / L : 0;
        if (rows == 0) return true;
        Dispatch d;
        d.shader = "topk_select";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}, {b.outputs[1].slot, BindKind::Storage}};
        d.spec = {b.attrs.b("largest") ? 1u : 0u};
        d.push.u(uint32_t(rows)).u(uint32_t(L)).u(uint32_t(inner)).u(uint32_t(b.attrs.i("k")));
        grid1d(b.device, ceilDiv(rows * L, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
