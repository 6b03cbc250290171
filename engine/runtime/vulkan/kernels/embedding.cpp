// Vulkan kernel for embedding (shaders/embedding.comp): one output element per
// invocation. An out-of-range id sets a status word and the run fails with an
// error naming the node and the id, as on the CPU (never silently clamped).
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_embedding() {
    static const VulkanKernel k{"embedding", [](KernelBuild& b) {
        const TensorRef& y = b.outputs[0];
        const int64_t D = b.attrs.i("dim"), V = b.attrs.i("num_embeddings");
        if (y.numel() >= (int64_t(1) << 31) || V * D >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const TensorRef st = b.status("embedding id {v} is out of range for num_embeddings = " + std::to_string(V) +
                                      " (ids must be in [0, " + std::to_string(V) + "); raise num_embeddings or fix the ids)");
        Dispatch d;
        d.shader = "embedding";
        d.bindings = {{b.inputs[0].slot, BindKind::Storage}, {b.params[0].slot, BindKind::TexelR32F}, {y.slot, BindKind::Storage},
                      {st.slot, BindKind::Storage}};
        d.push.u(uint32_t(y.numel())).u(uint32_t(D)).u(uint32_t(V));
        grid1d(b.device, ceilDiv(y.numel(), 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
