// dispatchGemm / collapseBatch (see gemm.h).
#include "runtime/vulkan/gemm.h"

#include <cstdlib>

namespace archscope::vk {

namespace {
// Tuning overrides for benchmarks: ARCHSCOPE_VK_GEMM_BM (rows per invocation
// of the texel kernels), ARCHSCOPE_VK_GEMM_LX / _LY (workgroup shape).
uint32_t envOr(const char* name, uint32_t def) {
    const char* v = std::getenv(name);
    const int x = v ? std::atoi(v) : 0;
    return x >= 1 && x <= 64 ? uint32_t(x) : def;
}
uint32_t texelRows(uint32_t def) {
    const uint32_t bm = envOr("ARCHSCOPE_VK_GEMM_BM", def);
    return bm == 1 || bm == 2 || bm == 4 || bm == 8 ? bm : 4;
}
}  // namespace

bool dispatchGemm(KernelBuild& b, const GemmDesc& g) {
    const int64_t limit = int64_t(1) << 31;
    if (g.a.numel() >= limit || g.b.numel() >= limit || g.c.numel() >= limit) return b.decline("tensor too large for 32-bit indexing");
    if (g.M == 0 || g.N == 0) return b.decline("empty product");
    Dispatch d;
    const bool texel = b.family == Family::Texel;
    const bool aRowMajor = g.sak == 1 && g.sam == g.K;
    const bool nn = g.sbn == 1 && g.sbk == g.N, nt = g.sbk == 1 && g.sbn == g.K;
    const bool vec4 = texel && aRowMajor && g.K % 4 == 0 && ((nn && g.N % 4 == 0) || nt) &&
                      g.sa1 % 4 == 0 && g.sa2 % 4 == 0 && g.sb1 % 4 == 0 && g.sb2 % 4 == 0;
    uint32_t bm = 4, lx = envOr("ARCHSCOPE_VK_GEMM_LX", 8), ly = envOr("ARCHSCOPE_VK_GEMM_LY", 8);
    if (!texel) {
        d.shader = "matmul_tiled";
        bm = 1;
    } else if (vec4) {
        // Measured on lavapipe (docs/PERFORMANCE.md): the 8 x 8 block (nn8) beats 4 x 4 by ~35%.
        const bool wide = nn && g.N % 8 == 0 && envOr("ARCHSCOPE_VK_GEMM_WIDE", 1) == 1;
        d.shader = wide ? "matmul_texel_nn8" : (nn && g.N % 4 == 0 ? "matmul_texel_nn" : "matmul_texel_nt");
        bm = texelRows(wide ? 8 : 4);
        // Rows of A shared through subgroup shuffles (ARCHSCOPE_VK_GEMM_SG=0 turns it off;
        // =2 uses the BM x 4 block even when N % 8 == 0). Measured in docs/PERFORMANCE.md.
        const uint32_t sg = b.device.subgroupSize;
        const uint32_t mode = std::getenv("ARCHSCOPE_VK_GEMM_SG") ? uint32_t(std::atoi(std::getenv("ARCHSCOPE_VK_GEMM_SG"))) : 1;
        const bool shuffles = b.device.subgroupShuffle && sg > 0 && lx % sg == 0;
        if (shuffles && nt && !nn && mode >= 1) {
            bm = texelRows(8);  // 8 rows shared, 4 columns (rows of W) per lane
            if (sg >= bm) d.shader = "matmul_texel_ntsg";
            else bm = texelRows(4);
        } else if (shuffles && nn && g.N % 4 == 0 && sg >= bm) {
            if (mode == 1) d.shader = wide ? "matmul_texel_nn8sg" : "matmul_texel_nnsg";
            else if (mode == 2) d.shader = "matmul_texel_nnsg";
        }
    } else {
        d.shader = "matmul_generic";
    }
    const BindKind in = texel ? (vec4 ? BindKind::TexelRGBA32F : BindKind::TexelR32F) : BindKind::Storage;
    const BindKind biasKind = texel ? BindKind::TexelR32F : BindKind::Storage;
    d.bindings = {{g.a.slot, in}, {g.b.slot, in}, {g.biasSlot >= 0 ? g.biasSlot : g.a.slot, biasKind}, {g.c.slot, BindKind::Storage},
                  {g.residualSlot >= 0 ? g.residualSlot : g.a.slot, biasKind}};
    d.spec = {bm, g.biasSlot >= 0 ? 1u : 0u, uint32_t(g.act.code), lx, ly, g.residualSlot >= 0 ? 1u : 0u};
    d.push.u(uint32_t(g.M)).u(uint32_t(g.N)).u(uint32_t(g.K)).u(uint32_t(g.nb2));
    d.push.u(uint32_t(g.sa1)).u(uint32_t(g.sa2)).u(uint32_t(g.sb1)).u(uint32_t(g.sb2));
    d.push.u(uint32_t(g.sam)).u(uint32_t(g.sak)).u(uint32_t(g.sbk)).u(uint32_t(g.sbn));
    d.push.f(g.alpha).f(g.act.p0).f(g.act.p1).u(uint32_t(g.batch));
    if (!texel) {
        d.groups[0] = ceilDiv(g.N, 16);
        d.groups[1] = ceilDiv(g.M, 16);
    } else {
        const bool eight = d.shader.rfind("matmul_texel_nn8", 0) == 0;
        d.groups[0] = ceilDiv(ceilDiv(g.N, eight ? 8 : 4), lx);
        d.groups[1] = ceilDiv(ceilDiv(g.M, bm), ly);
    }
    d.groups[2] = uint32_t(g.batch);
    if (g.batch > int64_t(b.device.maxWorkGroupCount[2]) || d.groups[1] > b.device.maxWorkGroupCount[1] ||
        d.groups[0] > b.device.maxWorkGroupCount[0])
        return b.decline("grid exceeds the device's workgroup count limit");
    b.dispatch(std::move(d));
    return true;
}

bool collapseBatch(const std::vector<int64_t>& shape, const std::vector<int64_t>& sa, const std::vector<int64_t>& sb, GemmDesc* g) {
    std::vector<int64_t> n, a, bb;  // kept dims, outermost first
    for (size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 1) continue;
        if (!n.empty() && a.back() == sa[i] * shape[i] && bb.back() == sb[i] * shape[i]) {
            n.back() *= shape[i];
            a.back() = sa[i];
            bb.back() = sb[i];
            continue;
        }
        n.push_back(shape[i]);
        a.push_back(sa[i]);
        bb.push_back(sb[i]);
    }
    if (n.size() > 2) return false;
    while (n.size() < 2) { n.insert(n.begin(), 1); a.insert(a.begin(), 0); bb.insert(bb.begin(), 0); }
    g->batch = n[0] * n[1];
    g->nb2 = n[1];
    g->sa1 = a[0]; g->sa2 = a[1];
    g->sb1 = bb[0]; g->sb2 = bb[1];
    return true;
}

}  // namespace archscope::vk
