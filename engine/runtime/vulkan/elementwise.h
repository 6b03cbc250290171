// Factories for the elementwise kernel families (one shader each, the op by
// define): unary activations (shaders/unary.comp) and broadcasting binary and
// ternary ops (shaders/binary.comp). Kernel files under kernels/ call these.
#pragma once

#include "runtime/vulkan/activation.h"
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

// y = act(x); `params` maps attrs to (p0, p1) for parameterised activations.
VulkanKernel unaryKernel(const std::string& op, int code, std::function<std::pair<float, float>(const Attrs&)> params = nullptr);

// y = a OP b with broadcasting, shader "binary_<variant>"; `gateAct` gives
// the activation code applied to b (gate only).
VulkanKernel binaryKernel(const std::string& op, const std::string& variant, std::function<int(const Attrs&)> gateAct = nullptr);

// y = f(a, b, c) with broadcasting of all three, shader "binary_<variant>" (a TERNARY variant: where).
VulkanKernel ternaryKernel(const std::string& op, const std::string& variant);

}  // namespace archscope::vk
