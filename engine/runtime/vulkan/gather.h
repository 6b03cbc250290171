// Shared dispatch of shaders/gather.comp for the layout kernels: copies the
// elements indexed by `shape` from x (strides `src`, offset `src0`, in
// elements) to y (strides `dst`, offset `dst0`). f32 and i64.
#pragma once

#include "runtime/vulkan/kernel.h"

namespace archscope::vk {

struct StridedCopy {
    std::vector<int64_t> shape, src, dst;
    int64_t src0 = 0, dst0 = 0;
};

// Row-major strides of a shape.
inline std::vector<int64_t> rowStrides(const std::vector<int64_t>& s) {
    std::vector<int64_t> st(s.size(), 1);
    for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
    return st;
}

inline bool dispatchCopy(KernelBuild& b, const TensorRef& x, const TensorRef& y, const StridedCopy& c) {
    std::vector<int64_t> n, s, t;  // merged where contiguous in both, size-1 dims dropped
    int64_t count = 1;
    for (size_t i = 0; i < c.shape.size(); ++i) {
        count *= c.shape[i];
        if (c.shape[i] == 1) continue;
        if (!n.empty() && s.back() == c.src[i] * c.shape[i] && t.back() == c.dst[i] * c.shape[i]) {
            n.back() *= c.shape[i];
            s.back() = c.src[i];
            t.back() = c.dst[i];
            continue;
        }
        n.push_back(c.shape[i]);
        s.push_back(c.src[i]);
        t.push_back(c.dst[i]);
    }
    if (n.size() > 6) return b.decline("more than 6 non-contiguous axes");
    const uint32_t words = y.dtype == DType::I64 ? 2 : 1;
    if (std::max(x.numel(), y.numel()) * words >= (int64_t(1) << 31)) return b.decline("tensor too large for 32-bit indexing");
    if (count == 0) return true;
    while (n.size() < 6) { n.insert(n.begin(), 1); s.insert(s.begin(), 0); t.insert(t.begin(), 0); }
    Dispatch d;
    d.shader = "gather";
    d.bindings = {{x.slot, BindKind::Storage}, {y.slot, BindKind::Storage}};
    d.push.u(uint32_t(count)).u(words).u(uint32_t(c.src0)).u(uint32_t(c.dst0));
    for (auto* v : {&n, &s, &t})
        for (auto e : *v) d.push.u(uint32_t(e));
    grid1d(b.device, ceilDiv(count * words, 64), d.groups);
    b.dispatch(std::move(d));
    return true;
}

}  // namespace archscope::vk
