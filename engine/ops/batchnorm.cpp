// batchnorm (inference) over the channel axis 1 of x [N, C, ...]:
//   y = (x - running_mean[c]) / sqrt(running_var[c] + eps) * weight[c] + bias[c]
// weight/bias exist when affine. Work split: parallelFor over (n, c) planes.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_batchnorm() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "batchnorm";
        d.displayName = "BatchNorm";
        d.category = "Normalization";
        d.doc = "Batch normalisation in inference mode: per-channel (axis 1) running statistics, then scale and shift.";
        d.inputs = {{"x", PortType::F32, "[N, C, ...]"}};
        d.outputs = {{"y", PortType::F32, "[N, C, ...]"}};
        d.attrs = {attrFloat("eps", 1e-5, 0.0, 1.0, "added to the running variance"),
                   attrBool("affine", true, "learned per-channel weight (ones) and bias (zeros)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 2)) return false;
            c.out(c.shape(0));
            int64_t ch = c.shape(0)[1].value();
            if (c.attrs.b("affine")) {
                c.param("weight", {ch}, Init::Ones);
                c.param("bias", {ch}, Init::Zeros);
            }
            c.param("running_mean", {ch}, Init::Zeros);
            c.param("running_var", {ch}, Init::Ones);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& X = k.in(0);
            const int64_t C = X.dim(1), planes = X.dim(0) * C, plane = planes ? X.numel() / planes : 0;
            const bool affine = k.attrs.b("affine");
            const int p0 = affine ? 2 : 0;
            const float* mean = k.param(p0).f32();
            const float* var = k.param(p0 + 1).f32();
            const double eps = k.attrs.f("eps");
            const float* x = X.f32();
            float* y = k.out(0).f32();
            parallelFor(planes, std::max<int64_t>(1, 4096 / std::max<int64_t>(plane, 1)), [&](int64_t p, int64_t pe) {
                for (; p < pe; ++p) {
                    const int64_t ch = p % C;
                    float s = float(1.0 / std::sqrt(double(var[ch]) + eps));
                    float t = -mean[ch] * s;
                    if (affine) { s *= k.param(0).f32()[ch]; t = t * k.param(0).f32()[ch] + k.param(1).f32()[ch]; }
                    for (int64_t i = p * plane; i < (p + 1) * plane; ++i) y[i] = x[i] * s + t;
                }
            });
        };
        // Folded into one multiply-add per element.
        d.flops = [](const InferCtx& c) { return 2 * inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
