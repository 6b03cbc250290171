// Vulkan kernel for patch_merge: y[b, i, j, (dw*2 + dh)*C + c] = x[b, 2i + dh, 2j + dw, c],
// a six-axis strided copy (shaders/gather.comp).
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_patch_merge() {
    static const VulkanKernel k{"patch_merge", [](KernelBuild& b) {
        const auto& x = b.inputs[0].shape;
        const int64_t B = x[0], H = x[1], W = x[2], C = x[3];
        StridedCopy c;
        c.shape = {B, H / 2, W / 2, 2, 2, C};  // (b, i, j, dw, dh, c)
        c.src = {H * W * C, 2 * W * C, 2 * C, C, W * C, 1};
        c.dst = rowStrides(c.shape);
        return dispatchCopy(b, b.inputs[0], b.outputs[0], c);
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
