// Vulkan kernel for rel_pos_bias: y = x + table[rel(i, j), h] (formula in ops/rel_pos_bias.cpp),
// shaders/binary.comp variant "relpos": one score per invocation, the table index from the
// query and key positions in the M x M window.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_rel_pos_bias() {
    static const VulkanKernel k{"rel_pos_bias", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        const int64_t n = x.numel(), r = int64_t(x.shape.size());
        if (n >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        if (n == 0) return true;
        const int64_t heads = x.shape[size_t(r - 3)], tokens = x.shape[size_t(r - 1)], m = b.attrs.i("window");
        Dispatch d;
        d.shader = "binary_relpos";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.params[0].slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {0u, 0u};
        d.push.u(uint32_t(n)).u(uint32_t(tokens)).u(uint32_t(m)).u(uint32_t(heads)).u(1);
        grid1d(b.device, ceilDiv(n, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
