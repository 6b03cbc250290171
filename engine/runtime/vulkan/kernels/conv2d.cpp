// Vulkan kernel for conv2d (stride, padding, dilation, groups): shaders/conv.comp.
#include "runtime/vulkan/conv.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_conv2d() {
    static const VulkanKernel k{"conv2d", [](KernelBuild& b) {
        const auto& x = b.inputs[0].shape;
        const auto& y = b.outputs[0].shape;
        auto pair = [&](const char* n) {
            const auto& v = b.attrs.ints(n);
            return std::array<int64_t, 2>{v.empty() ? 1 : v[0], v.empty() ? 1 : v.size() > 1 ? v[1] : v[0]};
        };
        ConvDesc g;
        g.n = x[0], g.c = x[1], g.h = x[2], g.w = x[3], g.o = y[1], g.ho = y[2], g.wo = y[3];
        g.groups = b.attrs.i("groups");
        auto k = pair("kernel"), s = pair("stride"), d = pair("dilation");
        const auto& pv = b.attrs.ints("padding");
        g.kh = k[0], g.kw = k[1], g.sh = s[0], g.sw = s[1], g.dh = d[0], g.dw = d[1];
        g.pt = pv.empty() ? 0 : pv[0], g.pl = pv.empty() ? 0 : pv.size() > 1 ? pv[1] : pv[0];
        return dispatchConv(b, g, b.attrs.b("bias"));
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
