// Vulkan kernel for rel_bias (shaders/rel_bias.comp): the bucket of each relative distance
// comes from the CPU op's own bucket function (ops::t5Bucket), the table is the parameter.
#include "runtime/vulkan/kernel.h"

namespace archscope::ops {
int64_t t5Bucket(int64_t rel, bool bidirectional, int64_t numBuckets, int64_t maxDistance);  // ops/rel_bias.cpp
}

namespace archscope::vk {

const VulkanKernel& vk_kernel_rel_bias() {
    static const VulkanKernel k{"rel_bias", [](KernelBuild& b) {
        const TensorRef& y = b.outputs[0];
        const int64_t h = y.shape[1], tq = y.shape[2], tk = y.shape[3];
        const int64_t off = b.attrs.i("offset") + (b.has(1) ? b.inputs[1].shape[b.inputs[1].shape.size() - 2] : 0);
        if (y.numel() >= (int64_t(1) << 31) || tq + tk >= (int64_t(1) << 24)) return b.decline("tensor too large for 32-bit indexing");
        if (y.numel() == 0) return true;
        std::vector<float> bucket(size_t(tq + tk - 1));
        for (int64_t r = -(off + tq - 1); r < tk - off; ++r)
            bucket[size_t(r + off + tq - 1)] = float(ops::t5Bucket(r, b.attrs.b("bidirectional"), b.attrs.i("num_buckets"), b.attrs.i("max_distance")));
        const TensorRef bt = b.constant(std::move(bucket));
        Dispatch d;
        d.shader = "rel_bias";
        d.bindings = {{bt.slot, BindKind::TexelR32F}, {b.params[0].slot, BindKind::TexelR32F}, {y.slot, BindKind::Storage}};
        d.push.u(uint32_t(y.numel())).u(uint32_t(tq)).u(uint32_t(tk)).u(uint32_t(h));
        grid1d(b.device, ceilDiv(y.numel(), 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
