// layernorm over the last axis (size D):
//   mu = mean(x), var = mean((x - mu)^2)   (biased, like PyTorch)
//   y = (x - mu) / sqrt(var + eps) * weight + bias      (weight, bias [D] when affine)
// Statistics accumulate in double. Work split: parallelFor over rows.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_layernorm() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "layernorm";
        d.displayName = "LayerNorm";
        d.category = "Normalization";
        d.doc = "Layer normalisation over the last axis: zero mean, unit variance, then a learned scale and shift.";
        d.inputs = {{"x", PortType::F32, "[..., D]"}};
        d.outputs = {{"y", PortType::F32, "[..., D]"}};
        d.attrs = {attrFloat("eps", 1e-5, 0.0, 1.0, "added to the variance"),
                   attrBool("affine", true, "learned weight (ones) and bias (zeros) over the last axis")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            c.out(c.shape(0));
            int64_t dim = c.shape(0).back().value();
            if (c.attrs.b("affine")) {
                c.param("weight", {dim}, Init::Ones);
                c.param("bias", {dim}, Init::Zeros);
            }
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const int64_t D = k.in(0).dim(-1), rows = D ? k.in(0).numel() / D : 0;
            const double eps = k.attrs.f("eps");
            const bool affine = k.attrs.b("affine");
            const float* w = affine ? k.param(0).f32() : nullptr;
            const float* b = affine ? k.param(1).f32() : nullptr;
            const float* x = k.in(0).f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(D, 1)), [&](int64_t r0, int64_t r1) {
                for (int64_t r = r0; r < r1; ++r) {
                    const float* xr = x + r * D;
                    float* yr = y + r * D;
                    double mu = 0, var = 0;
                    for (int64_t j = 0; j < D; ++j) mu += xr[j];
                    mu /= double(D);
                    for (int64_t j = 0; j < D; ++j) var += (xr[j] - mu) * (xr[j] - mu);
                    const float inv = float(1.0 / std::sqrt(var / double(D) + eps)), m = float(mu);
                    for (int64_t j = 0; j < D; ++j) {
                        float v = (xr[j] - m) * inv;
                        yr[j] = affine ? v * w[j] + b[j] : v;
                    }
                }
            });
        };
        // Per element: mean (1), variance (3), normalise (2), affine (2).
        d.flops = [](const InferCtx& c) { return (c.attrs.b("affine") ? 8 : 6) * inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
