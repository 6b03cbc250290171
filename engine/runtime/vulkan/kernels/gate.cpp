// Vulkan kernel for gate: y = a * act(b) with broadcasting (shaders/binary.comp
// variant "gate", act by specialization constant).
#include "runtime/vulkan/elementwise.h"

#include <map>

namespace archscope::vk {

const VulkanKernel& vk_kernel_gate() {
    static const VulkanKernel k = binaryKernel("gate", "gate", [](const Attrs& a) {
        static const std::map<std::string, int> codes = {{"sigmoid", act::Sigmoid}, {"silu", act::Silu}, {"gelu", act::Gelu}, {"identity", act::None}};
        return codes.at(a.s("act"));
    });
    return k;
}

}  // namespace archscope::vk
