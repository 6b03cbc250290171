// Vulkan kernel for reduce (mean, sum, max over axes): shaders/reduce.comp. Kept and
// reduced axes are collapsed (adjacent axes of one kind merge when contiguous in x),
// at most 4 of each. CPU devices: one output per invocation ("reduce_rows"); GPUs:
// one output per 64-wide workgroup with a shared-memory tree ("reduce_tree").
#include "runtime/vulkan/gather.h"

namespace archscope::vk {

namespace {
// Collapses the axes with red[d] == want into at most 4 (size, stride) pairs.
bool collapse(const std::vector<int64_t>& shape, const std::vector<int64_t>& st, const std::vector<bool>& red, bool want, uint32_t n[4],
              uint32_t s[4]) {
    std::vector<int64_t> ns, ss;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (red[d] != want || shape[d] == 1) continue;
        if (!ns.empty() && ss.back() == st[d] * shape[d]) { ns.back() *= shape[d]; ss.back() = st[d]; continue; }
        ns.push_back(shape[d]);
        ss.push_back(st[d]);
    }
    if (ns.size() > 4) return false;
    const size_t pad = 4 - ns.size();
    for (size_t i = 0; i < 4; ++i) {
        n[i] = i < pad ? 1u : uint32_t(ns[i - pad]);
        s[i] = i < pad ? 0u : uint32_t(ss[i - pad]);
    }
    return true;
}
}  // namespace

const VulkanKernel& vk_kernel_reduce() {
    static const VulkanKernel k{"reduce", [](KernelBuild& b) {
        const TensorRef& x = b.inputs[0];
        if (x.numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int rank = int(x.shape.size());
        std::vector<bool> red(size_t(rank), b.attrs.ints("axes").empty());
        for (int64_t a : b.attrs.ints("axes")) red[size_t(a < 0 ? a + rank : a)] = true;
        int64_t count = 1;
        for (int d = 0; d < rank; ++d)
            if (red[size_t(d)]) count *= x.shape[size_t(d)];
        const int64_t outs = b.outputs[0].numel();
        if (outs == 0) return true;
        uint32_t ks[4], kst[4], rs[4], rst[4];
        const auto st = rowStrides(x.shape);
        if (!collapse(x.shape, st, red, false, ks, kst) || !collapse(x.shape, st, red, true, rs, rst))
            return b.decline("more than 4 separate kept or reduced axes");
        const std::string& mode = b.attrs.s("mode");
        const bool tree = b.family == Family::Tiled;
        Dispatch d;
        d.shader = tree ? "reduce_tree" : "reduce_rows";
        d.bindings = {{x.slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
        d.spec = {mode == "sum" ? 0u : mode == "mean" ? 1u : 2u};
        d.push.u(uint32_t(outs)).u(uint32_t(count));
        for (auto* v : {ks, kst, rs, rst})
            for (int i = 0; i < 4; ++i) d.push.u(v[i]);
        grid1d(b.device, tree ? outs : ceilDiv(outs, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
