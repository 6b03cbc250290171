// layer_scale: y[..., d] = x[..., d] * gamma[d], a learned per-channel scale over the last axis
// (CaiT / ConvNeXt layer scale; ConvNeXt trains from gamma = 1e-6, random designs start at 1).
// Work split: parallelFor over rows.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_layer_scale() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "layer_scale";
        d.displayName = "Layer Scale";
        d.category = "Normalization";
        d.doc = "Multiplies each channel of the last axis by a learned factor gamma (layer scale of CaiT and ConvNeXt, "
                "applied to a residual branch before the addition).";
        d.inputs = {{"x", PortType::F32, "[..., D]"}};
        d.outputs = {{"y", PortType::F32, "[..., D]"}};
        d.attrs = {attrFloat("init", 1e-6, -1e6, 1e6, "initial value of gamma (ConvNeXt 1e-6; CaiT 1e-5 to 0.1)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            c.out(c.shape(0));
            c.param("gamma", {c.shape(0).back().value()}, Init::Constant, float(c.attrs.f("init")));
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            const int64_t dm = x.dim(-1), rows = dm == 0 ? 0 : x.numel() / dm;
            const float* xp = x.f32();
            const float* g = k.param(0).f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(dm, 1)), [&](int64_t b, int64_t e) {
                for (int64_t r = b; r < e; ++r)
                    for (int64_t i = 0; i < dm; ++i) y[r * dm + i] = xp[r * dm + i] * g[i];
            });
        };
        d.flops = [](const InferCtx& c) { return inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
