// Vulkan kernel for softplus: y = log(1 + exp(beta x)) / beta, x where beta x > threshold
// (shaders/unary.comp variant "softplus", p0 = beta, p1 = threshold).
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_softplus() {
    static const VulkanKernel k = unaryKernel("softplus", act::Softplus, [](const Attrs& a) {
        return std::pair<float, float>{float(a.f("beta")), float(a.f("threshold"))};
    });
    return k;
}

}  // namespace archscope::vk
