// Vulkan kernel for rope: shaders/rope.comp with a [T, half, 2] cos/sin table
// computed on the host in double at plan build (the CPU kernel's formula).
#include "runtime/vulkan/kernel.h"

#include <cmath>

namespace archscope::vk {

const VulkanKernel& vk_kernel_rope() {
    static const VulkanKernel k{"rope", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int64_t T = x.shape[2], dh = x.shape[3];
        const int64_t half = (b.attrs.i("rotary_dim") == 0 ? dh : b.attrs.i("rotary_dim")) / 2;
        const double base = b.attrs.f("base"), off = double(b.attrs.i("offset") + (b.has(1) ? b.inputs[1].shape[2] : 0));
        std::vector<float> tab(size_t(std::max<int64_t>(T * half * 2, 1)));
        for (int64_t p = 0; p < T; ++p)
            for (int64_t i = 0; i < half; ++i) {
                const double ang = (off + double(p)) * std::pow(base, -2.0 * double(i) / double(2 * half));
                tab[size_t((p * half + i) * 2)] = float(std::cos(ang));
                tab[size_t((p * half + i) * 2 + 1)] = float(std::sin(ang));
            }
        const TensorRef t = b.constant(std::move(tab));
        Dispatch d;
        d.shader = "rope";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {t.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.push.u(uint32_t(x.numel())).u(uint32_t(T)).u(uint32_t(dh)).u(uint32_t(half));
        grid1d(b.device, ceilDiv(x.numel(), 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
