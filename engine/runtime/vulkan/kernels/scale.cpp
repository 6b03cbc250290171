// Vulkan kernel for scale: y = x * scale + bias (shaders/unary.comp variant "scale").
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_scale() {
    static const VulkanKernel k = unaryKernel("scale", act::Scale, [](const Attrs& a) {
        return std::pair<float, float>{float(a.f("scale")), float(a.f("bias"))};
    });
    return k;
}

}  // namespace archscope::vk
