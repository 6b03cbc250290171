// Vulkan kernel for cumsum (exclusive, reverse): shaders/cumsum.comp, one row per invocation.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_cumsum() {
    static const VulkanKernel k{"cumsum", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int r = int(x.shape.size());
        const int ax = int(b.attrs.i("axis") < 0 ? b.attrs.i("axis") + r : b.attrs.i("axis"));
        const int64_t L = x.shape[size_t(ax)];
        int64_t inner = 1;
        for (int i = ax + 1; i < r; ++i) inner *= x.shape[size_t(i)];
        const int64_t rows = L * inner != 0 ? x.numel() / L : 0;
        if (rows == 0) return true;
        Dispatch d;
        d.shader = "cumsum";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {b.attrs.b("exclusive") ? 1u : 0u, b.attrs.b("reverse") ? 1u : 0u};
        d.push.u(uint32_t(rows)).u(uint32_t(L)).u(uint32_t(inner));
        grid1d(b.device, ceilDiv(rows, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
