// Vulkan kernel for clamp: y = min(max(x, min), max) (shaders/unary.comp variant "clamp").
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_clamp() {
    static const VulkanKernel k = unaryKernel("clamp", act::Clamp, [](const Attrs& a) {
        return std::pair<float, float>{float(a.f("min")), float(a.f("max"))};
    });
    return k;
}

}  // namespace archscope::vk
