// Vulkan kernel for linear_mix: the parallel/chunked forms compute the recurrences of
// `scan` (modes decay and delta) exactly (ops/linear_mix.cpp), so the node runs the
// chunked-parallel scan kernel (kernels/scan.cpp, shaders/scan.comp) with its inputs
// mapped onto scan's ports: q, k, v, g (decay) or beta (delta), and gamma.
#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

const VulkanKernel& vk_kernel_scan();

const VulkanKernel& vk_kernel_linear_mix() {
    static const VulkanKernel k{"linear_mix", [](KernelBuild& b) {
        enum { Q, K, V, G, BETA };                  // linear_mix ports
        enum { SQ = 4, SK, SV, SG, SBETA, SCOUNT };  // scan ports (x, dt, Bm, Cm first)
        Attrs attrs;
        attrs.set("mode", b.attrs.s("kind"));
        attrs.set("gamma", b.attrs.f("gamma"));
        KernelBuild s(b.node, attrs, b.family, b.device);
        s.inputs.assign(SCOUNT, TensorRef{});
        const int map[] = {SQ, SK, SV, SG, SBETA};
        for (int p = Q; p <= BETA; ++p)
            if (b.has(p)) s.inputs[size_t(map[p])] = b.inputs[size_t(p)];
        s.outputs = b.outputs;
        s.newTensor = b.newTensor;
        const bool ok = vk_kernel_scan().build(s);
        for (auto& d : s.dispatches) b.dispatch(std::move(d));
        return ok || b.decline(s.reason);
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
