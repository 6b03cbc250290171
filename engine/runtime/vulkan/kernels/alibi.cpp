// Vulkan kernel for alibi: y[h, i, j] = m_h * (j - offset - i) (shaders/mask.comp),
// slopes computed on the host as the reference implementation (and ops/alibi.cpp).
#include "runtime/vulkan/mask.h"

#include <cmath>

namespace archscope::vk {

namespace {
std::vector<float> slopes(int64_t n) {
    auto pow2 = [](int64_t k) {
        std::vector<double> s;
        const double start = std::pow(2.0, -8.0 / double(k));
        for (int64_t i = 0; i < k; ++i) s.push_back(std::pow(start, double(i + 1)));
        return s;
    };
    int64_t p = 1;
    while (p * 2 <= n) p *= 2;
    std::vector<double> s = pow2(p), extra = pow2(2 * p);
    for (int64_t i = 0; p != n && int64_t(s.size()) < n; i += 2) s.push_back(extra[size_t(i)]);
    return std::vector<float>(s.begin(), s.end());
}
}  // namespace

const VulkanKernel& vk_kernel_alibi() {
    static const VulkanKernel k{"alibi", [](KernelBuild& b) { return dispatchMask(b, -1, slopes(b.outputs[0].shape[1])); }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
