// Vulkan kernel for layer_scale: y = x * gamma, the broadcasting binary "mul" shader
// (shaders/binary.comp) with the parameter gamma [D] as its second operand.
#include "runtime/vulkan/elementwise.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_layer_scale() {
    static const VulkanKernel k = [] {
        VulkanKernel mul = binaryKernel("layer_scale", "mul");
        mul.build = [inner = mul.build](KernelBuild& b) {
            b.inputs.push_back(b.params[0]);
            return inner(b);
        };
        return mul;
    }();
    return k;
}

}  // namespace archscope::vk
