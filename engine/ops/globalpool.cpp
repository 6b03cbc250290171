// globalpool: y[n,c] = mean (or max) of x[n,c,...] over every axis after the first two.
// Work split: one task per (n, c) plane.
#include "ops/common.h"

#include <algorithm>
#include <limits>

namespace archscope::ops {

const OpDef& op_globalpool() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "globalpool";
        d.displayName = "Global Pool";
        d.category = "Pooling";
        d.doc = "Average or max over all spatial axes of [N, C, ...] (global average pooling before a classifier head).";
        d.inputs = {{"x", PortType::F32, "[N, C, d1, d2, ...]"}};
        d.outputs = {{"y", PortType::F32, "[N, C] or [N, C, 1, ...] with keepdims"}};
        d.attrs = {attrEnum("mode", "avg", {"avg", "max"}, "reduction"),
                   attrBool("keepdims", false, "keep the reduced axes as size 1")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 3)) return false;
            Shape y = c.shape(0);
            if (c.attrs.b("keepdims")) std::fill(y.begin() + 2, y.end(), Dim(1));
            else y.resize(2);
            c.out(y);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int64_t planes = x.dim(0) * x.dim(1), inner = x.numel() / std::max<int64_t>(planes, 1);
            bool avg = k.attrs.s("mode") == "avg";
            const float* xp = x.f32();
            float* y = k.out(0).f32();
            parallelFor(planes, 16, [&](int64_t b, int64_t e) {
                for (int64_t p = b; p < e; ++p) {
                    const float* v = xp + p * inner;
                    if (avg) {
                        double s = 0;
                        for (int64_t i = 0; i < inner; ++i) s += v[i];
                        y[p] = float(s / double(inner));
                    } else {
                        float m = -std::numeric_limits<float>::infinity();
                        for (int64_t i = 0; i < inner; ++i) m = std::max(m, v[i]);
                        y[p] = m;
                    }
                }
            });
        };
        d.flops = [](const InferCtx& c) { return inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
