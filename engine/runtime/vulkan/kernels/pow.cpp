// Vulkan kernel for pow: y = x^exponent, shaders/unary.comp variant "pow" (p0 = exponent;
// 2, 1 and 0.5 computed as x*x, x and sqrt like the CPU kernel); fusable into an epilogue.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_pow() {
    static const VulkanKernel k = unaryKernel("pow", act::Pow, [](const Attrs& a) {
        return std::pair<float, float>{float(a.f("exponent")), 0.0f};
    });
    return k;
}

}  // namespace archscope::vk
