// Vulkan kernel for pos_sinusoidal: y = x + PE[offset + t] (shaders/posadd.comp),
// the [T, D] table computed on the host in double at plan build, as on the CPU.
#include "runtime/vulkan/posadd.h"

#include <cmath>

namespace archscope::vk {

const VulkanKernel& vk_kernel_pos_sinusoidal() {
    static const VulkanKernel k{"pos_sinusoidal", [](KernelBuild& b) {
        const auto& s = b.inputs[0].shape;
        const int64_t dm = s.back(), t = s[s.size() - 2];
        const double base = b.attrs.f("base"), off = double(b.attrs.i("offset"));
        std::vector<float> pe(size_t(std::max<int64_t>(t * dm, 1)));
        for (int64_t p = 0; p < t; ++p)
            for (int64_t i = 0; i < dm; ++i) {
                const double ang = (off + double(p)) * std::pow(base, -double(i - i % 2) / double(dm));
                pe[size_t(p * dm + i)] = float(i % 2 == 0 ? std::sin(ang) : std::cos(ang));
            }
        return dispatchPosAdd(b, b.constant(std::move(pe)));
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
