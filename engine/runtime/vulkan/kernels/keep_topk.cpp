// Vulkan kernel for keep_topk: y = x where x is among the k largest of its row (last
// axis; NaN as +inf, ties to the lower index), else 0. shaders/topk.comp variant "keep":
// each element counts the elements before it in its row, O(L^2) per row.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_keep_topk() {
    static const VulkanKernel k{"keep_topk", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int64_t L = x.shape.back(), rows = L ? x.numel() / L : 0;
        if (rows == 0) return true;
        const int64_t keep = std::min<int64_t>(b.attrs.i("k"), L);
        Dispatch d;
        d.shader = "topk_keep";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {1u};
        d.push.u(uint32_t(rows)).u(uint32_t(L)).u(1).u(uint32_t(keep));
        grid1d(b.device, ceilDiv(rows * L, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
