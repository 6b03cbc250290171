// Fused kernel "fused_attention" (fusion pass pattern attention): softmax
// attention in one dispatch of shaders/attention.comp with online softmax.
// Inputs {q [.., Tq, dk], k [.., Tk, dk] (transpose_k) or [.., dk, Tk], v [.., Tk, dv],
// mask (optional, broadcast to [.., Tq, Tk])}; batch dims broadcast as matmul's.
// attrs: transpose_k, c1, c0, inv_temp, alpha_out, mask_mode, mask_after_temp, offset, window.
// Family::Texel runs attention_texel (one row per invocation, texel reads); Family::Tiled
// runs attention_tiled (64 rows of one batch entry per workgroup, K/V tiles in shared memory).
#include "runtime/vulkan/kernel.h"

#include <algorithm>

namespace archscope::vk {

namespace {
// Strides of `t` aligned to `full` (right-aligned), 0 on broadcast dims; `inner` = trailing matrix dims skipped.
std::vector<int64_t> aligned(const std::vector<int64_t>& t, size_t rank, size_t inner) {
    std::vector<int64_t> st(rank, 0);
    int64_t acc = 1;
    for (size_t i = t.size(); i-- > 0;) {
        const size_t at = rank - t.size() + i;
        if (t[i] != 1 || at >= rank - inner) st[at] = t[i] == 1 ? 0 : acc;
        acc *= t[i];
    }
    return st;
}
}  // namespace

const VulkanKernel& vk_kernel_fused_attention() {
    static const VulkanKernel k{"fused_attention", [](KernelBuild& b) {
        const TensorRef &q = b.inputs[0], &kk = b.inputs[1], &v = b.inputs[2], &y = b.outputs[0];
        const size_t ry = y.shape.size();
        if (ry < 2 || q.shape.size() < 2 || kk.shape.size() < 2 || v.shape.size() < 2) return b.decline("attention needs matrices");
        const bool tk = b.attrs.b("transpose_k");
        const int64_t Tq = y.shape[ry - 2], dv = y.shape[ry - 1], dk = q.shape.back();
        const int64_t Tk = v.shape[v.shape.size() - 2];
        if (dv > 512) return b.decline("value width above 512");
        for (auto* t : {&q, &kk, &v, &y})
            if (t->numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
        const int mode = int(b.attrs.i("mask_mode"));
        const bool hasMask = mode == 1 && b.has(3);
        // Batch dims: strides of q, k, v, mask per output batch dim, collapsed to <= 3 levels.
        const size_t nb = ry - 2;
        std::vector<std::vector<int64_t>> st;
        for (auto* t : {&q, &kk, &v}) {
            auto s = aligned(t->shape, ry, 2);
            st.push_back(std::vector<int64_t>(s.begin(), s.begin() + long(nb)));
        }
        std::vector<int64_t> ms = hasMask ? aligned(b.inputs[3].shape, ry, 0) : std::vector<int64_t>(ry, 0);
        if (hasMask && b.inputs[3].shape.size() > ry) return b.decline("mask has more dims than the scores");
        st.push_back(std::vector<int64_t>(ms.begin(), ms.begin() + long(nb)));
        std::vector<int64_t> n;
        std::vector<std::vector<int64_t>> cs(4);
        for (size_t d = 0; d < nb; ++d) {
            const int64_t sz = y.shape[d];
            if (sz == 1) continue;
            bool merge = !n.empty();
            for (int t = 0; t < 4 && merge; ++t) merge = cs[size_t(t)].back() == st[size_t(t)][d] * sz;
            if (merge) {
                n.back() *= sz;
                for (int t = 0; t < 4; ++t) cs[size_t(t)].back() = st[size_t(t)][d];
                continue;
            }
            n.push_back(sz);
            for (int t = 0; t < 4; ++t) cs[size_t(t)].push_back(st[size_t(t)][d]);
        }
        if (n.size() > 3) return b.decline("batch broadcast needs more than 3 levels");
        while (n.size() < 3) {
            n.insert(n.begin(), 1);
            for (auto& c : cs) c.insert(c.begin(), 0);
        }
        const int64_t rows = n[0] * n[1] * n[2] * Tq;
        if (rows == 0 || dv == 0) return true;
        const int64_t off = b.attrs.i("offset"), win = b.attrs.i("window");
        if (mode == 2 && off + Tq + Tk >= (int64_t(1) << 30)) return b.decline("positions beyond 2^30");
        // GPU family: K/V tiles in shared memory, as many keys per tile as fit (<= 16).
        const bool tiled = b.family == Family::Tiled;
        const int64_t tileKeys = tiled ? std::clamp<int64_t>(int64_t(b.device.maxSharedMemory) / (4 * (dk + dv)), 1, 16) : 8;
        const int64_t batches = n[0] * n[1] * n[2], qBlocks = (Tq + 63) / 64;
        if (tiled && int64_t(b.device.maxSharedMemory) < 4 * (dk + dv)) return b.decline("one key and value row exceed shared memory");
        Dispatch d;
        d.shader = tiled ? "attention_tiled" : "attention_texel";
        d.bindings = {{q.slot, BindKind::TexelR32F}, {kk.slot, BindKind::TexelR32F}, {v.slot, BindKind::TexelR32F},
                      {hasMask ? b.inputs[3].slot : q.slot, BindKind::TexelR32F}, {y.slot, BindKind::Storage}};
        d.spec = {uint32_t(hasMask ? 1 : mode == 2 ? 2 : 0), b.attrs.b("mask_after_temp") ? 1u : 0u, uint32_t((dv + 3) / 4),
                  uint32_t(tileKeys), uint32_t(tiled ? dk : 1), uint32_t(tiled ? dv : 1)};
        d.push.u(uint32_t(rows)).u(uint32_t(n[1])).u(uint32_t(n[2]));
        d.push.u(uint32_t(Tq)).u(uint32_t(Tk)).u(uint32_t(dk)).u(uint32_t(dv));
        d.push.u(uint32_t(tk ? dk : 1)).u(uint32_t(tk ? 1 : Tk));
        d.push.u(uint32_t(ms[ry - 2])).u(uint32_t(ms[ry - 1]));
        d.push.u(uint32_t(off)).u(uint32_t(win < 0 ? (int64_t(1) << 30) : std::min<int64_t>(win, int64_t(1) << 30)));
        d.push.f(float(b.attrs.f("c1"))).f(float(b.attrs.f("c0"))).f(float(b.attrs.f("inv_temp"))).f(float(b.attrs.f("alpha_out")));
        for (auto& c : cs)
            for (auto x : c) d.push.u(uint32_t(x));
        grid1d(b.device, tiled ? batches * qBlocks : ceilDiv(rows, 64), d.groups);
        b.dispatch(std::move(d));
        return true;
    }, false, nullptr};
    return k;
}

}  // namespace archscope::vk
