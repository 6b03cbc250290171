// Vulkan kernel for conv1d (causal, groups, dilation): shaders/conv.comp with H = 1.
#include "runtime/vulkan/conv.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_conv1d() {
    static const VulkanKernel k{"conv1d", [](KernelBuild& b) {
        const auto& x = b.inputs[0].shape;
        const auto& y = b.outputs[0].shape;
        ConvDesc g;
        g.n = x[0], g.c = x[1], g.w = x[2], g.o = y[1], g.wo = y[2];
        g.groups = b.attrs.i("groups");
        g.kw = b.attrs.i("kernel"), g.sw = b.attrs.i("stride"), g.dw = b.attrs.i("dilation");
        g.pl = b.attrs.b("causal") ? g.dw * (g.kw - 1) : b.attrs.i("padding");
        return dispatchConv(b, g, b.attrs.b("bias"));
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
