// Shared dispatches of the convolution and pooling kernels (shaders/conv.comp,
// shaders/pool.comp) for the 1-d and 2-d ops; geometry as in ops/spatial_util.h.
#pragma once

#include "runtime/vulkan/kernel.h"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace archscope::vk {

struct ConvDesc {
    int64_t n = 1, c = 1, h = 1, w = 1, o = 1, groups = 1;
    int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1, pt = 0, pl = 0, ho = 1, wo = 1;
};

inline bool dispatchConv(KernelBuild& b, const ConvDesc& g, bool bias) {
    const int64_t total = g.n * g.o * g.ho * g.wo;
    if (total >= (int64_t(1) << 31) || b.inputs[0].numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
    if (total == 0) return true;
    // CPU devices: one output per invocation; GPUs: 64 pixels of one (n, o) per workgroup
    // with the filter staged in shared memory (a quarter of it at most, <= 4096 floats).
    const bool tiled = b.family == Family::Tiled;
    // ARCHSCOPE_VK_CONV_CHUNK=N overrides the chunk (tests use a small one to force many chunks).
    const char* env = std::getenv("ARCHSCOPE_VK_CONV_CHUNK");
    const int64_t pix = g.ho * g.wo, chunk = env && std::atoi(env) > 0 ? std::min(std::atoi(env), 4096)
                                                                          : std::clamp<int64_t>(int64_t(b.device.maxSharedMemory) / 16, 64, 4096);
    Dispatch d;
    d.shader = tiled ? "conv_tiled" : "conv_direct";
    d.bindings = {{b.inputs[0].slot, BindKind::TexelR32F}, {b.params[0].slot, BindKind::TexelR32F},
                  {bias ? b.params[1].slot : b.params[0].slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
    d.spec = {bias ? 1u : 0u, uint32_t(chunk)};
    for (int64_t v : {total, g.c, g.h, g.w, g.o, g.groups, g.kh, g.kw, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl, g.ho, g.wo}) d.push.u(uint32_t(v));
    grid1d(b.device, tiled ? g.n * g.o * ceilDiv(pix, 64) : ceilDiv(total, 64), d.groups);
    b.dispatch(std::move(d));
    return true;
}

struct PoolDesc {
    int64_t planes = 1, h = 1, w = 1, kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0, ho = 1, wo = 1;
    bool max = true, countIncludePad = true;
};

inline bool dispatchPool(KernelBuild& b, const PoolDesc& g) {
    const int64_t total = g.planes * g.ho * g.wo;
    if (total >= (int64_t(1) << 31) || b.inputs[0].numel() >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
    Dispatch d;
    d.shader = "pool";
    d.bindings = {{b.inputs[0].slot, BindKind::TexelR32F}, {b.outputs[0].slot, BindKind::Storage}};
    d.spec = {g.max ? 1u : 0u, g.countIncludePad ? 1u : 0u};
    for (int64_t v : {total, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.ho, g.wo}) d.push.u(uint32_t(v));
    grid1d(b.device, ceilDiv(total, 64), d.groups);
    b.dispatch(std::move(d));
    return true;
}

// Pooling window of the pool ops, as [h, w] (1-d: h = 1); stride 0 / empty = kernel.
inline PoolDesc poolDesc(const KernelBuild& b, int rank, bool max) {
    PoolDesc p;
    const auto& x = b.inputs[0].shape;
    const auto& y = b.outputs[0].shape;
    auto pair = [&](const std::string& n, int64_t def) -> std::array<int64_t, 2> {
        const auto& v = b.attrs.ints(n);
        if (v.empty()) return {def, def};
        return {v[0], v.size() > 1 ? v[1] : v[0]};
    };
    if (rank == 1) {
        p.planes = x[0] * x[1], p.w = x[2], p.wo = y[2];
        p.kw = b.attrs.i("kernel"), p.pw = b.attrs.i("padding");
        p.sw = b.attrs.i("stride") > 0 ? b.attrs.i("stride") : p.kw;
    } else {
        p.planes = x[0] * x[1], p.h = x[2], p.w = x[3], p.ho = y[2], p.wo = y[3];
        auto k = pair("kernel", 1), pd = pair("padding", 0);
        auto s = b.attrs.ints("stride").empty() ? k : pair("stride", 1);
        p.kh = k[0], p.kw = k[1], p.ph = pd[0], p.pw = pd[1], p.sh = s[0], p.sw = s[1];
    }
    p.max = max;
    p.countIncludePad = max || b.attrs.b("count_include_pad");
    return p;
}

}  // namespace archscope::vk
