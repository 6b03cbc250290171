// rmsnorm over the last axis (size D):
//   y = x / sqrt(mean(x^2) + eps) * weight      (weight [D] when affine)
// The mean of squares accumulates in double. Work split: parallelFor over rows.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_rmsnorm() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "rmsnorm";
        d.displayName = "RMSNorm";
        d.category = "Normalization";
        d.doc = "Root-mean-square normalisation over the last axis with a learned scale (LLaMA, T5).";
        d.inputs = {{"x", PortType::F32, "[..., D]"}};
        d.outputs = {{"y", PortType::F32, "[..., D]"}};
        d.attrs = {attrFloat("eps", 1e-6, 0.0, 1.0, "added to the mean of squares"),
                   attrBool("affine", true, "learned weight (ones) over the last axis")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            c.out(c.shape(0));
            if (c.attrs.b("affine")) c.param("weight", {c.shape(0).back().value()}, Init::Ones);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const int64_t D = k.in(0).dim(-1), rows = D ? k.in(0).numel() / D : 0;
            const double eps = k.attrs.f("eps");
            const float* w = k.attrs.b("affine") ? k.param(0).f32() : nullptr;
            const float* x = k.in(0).f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(D, 1)), [&](int64_t r0, int64_t r1) {
                for (int64_t r = r0; r < r1; ++r) {
                    const float* xr = x + r * D;
                    float* yr = y + r * D;
                    double ss = 0;
                    for (int64_t j = 0; j < D; ++j) ss += double(xr[j]) * xr[j];
                    const float inv = float(1.0 / std::sqrt(ss / double(D) + eps));
                    for (int64_t j = 0; j < D; ++j) yr[j] = w ? xr[j] * inv * w[j] : xr[j] * inv;
                }
            });
        };
        // Per element: square and sum (2), scale (1), weight (1).
        d.flops = [](const InferCtx& c) { return (c.attrs.b("affine") ? 4 : 3) * inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
