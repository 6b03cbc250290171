// Vulkan kernel for moe_route: shaders/moe_route.comp in two dispatches, the top-k choices
// of every token (parallel over tokens), then admission under the capacity in the CPU's
// order (parallel over experts: expert e's admissions depend only on its own choices).
// Scratch: N*k choices and N normalisers.
#include "runtime/vulkan/kernel.h"

#include <cmath>

namespace archscope::vk {

const VulkanKernel& vk_kernel_moe_route() {
    static const VulkanKernel k{"moe_route", [](KernelBuild& b) {
        const TensorRef& p = b.inputs[0];
        const int64_t E = p.shape.back(), N = E ? p.numel() / E : 0, K = b.attrs.i("k");
        if (p.numel() >= (int64_t(1) << 31) || N * (K + 1) >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        if (E >= (int64_t(1) << 24)) return b.decline("more than 2^24 experts");
        if (N == 0 || E == 0) return true;
        const double cf = b.attrs.f("capacity_factor");
        const int64_t cap = cf <= 0 ? N * K : std::max<int64_t>(1, int64_t(std::ceil(cf * double(N) * double(K) / double(E))));
        const TensorRef s = b.scratch({N * (K + 1)});
        for (int phase : {1, 2}) {
            Dispatch d;
            d.shader = "moe_route";
            d.bindings = {{p.slot, BindKind::TexelR32F}, {s.slot, BindKind::Storage}, {b.outputs[0].slot, BindKind::Storage},
                          {b.outputs[1].slot, BindKind::Storage}, {b.outputs[2].slot, BindKind::Storage}};
            d.spec = {uint32_t(phase), b.attrs.b("normalize") ? 1u : 0u};
            d.push.u(uint32_t(N)).u(uint32_t(E)).u(uint32_t(K)).u(uint32_t(std::min<int64_t>(cap, UINT32_MAX)));
            grid1d(b.device, ceilDiv(phase == 1 ? N : E, 64), d.groups);
            b.dispatch(std::move(d));
        }
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
