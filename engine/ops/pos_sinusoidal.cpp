// pos_sinusoidal: y[..., t, d] = x[..., t, d] + PE[p, d] with p = offset + t and
// PE[p, 2i] = sin(p * base^(-2i/D)), PE[p, 2i+1] = cos(p * base^(-2i/D)) (Vaswani et al. 2017).
// The table is computed once per call in double; rows of D run across threads.
#include "ops/common.h"

#include <cmath>
#include <vector>

namespace archscope::ops {

const OpDef& op_pos_sinusoidal() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "pos_sinusoidal";
        d.displayName = "Sinusoidal Positions";
        d.category = "Position";
        d.doc = "Adds the fixed sin/cos position table of the original Transformer to [..., T, D]; no parameters.";
        d.inputs = {{"x", PortType::F32, "[..., T, D]"}};
        d.outputs = {{"y", PortType::F32, "x + PE[offset : offset + T]"}};
        d.attrs = {attrFloat("base", 10000.0, 1.0, 1e12, "wavelength base"),
                   attrInt("offset", 0, 0, 1e12, "position of the first row (KV-cache decoding)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 2)) return false;
            c.out(c.shape(0));
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int64_t dm = x.dim(-1), t = x.dim(-2), rows = x.numel() / std::max<int64_t>(dm, 1);
            double base = k.attrs.f("base"), off = double(k.attrs.i("offset"));
            std::vector<float> pe(size_t(t * dm));
            for (int64_t p = 0; p < t; ++p)
                for (int64_t i = 0; i < dm; ++i) {
                    double ang = (off + double(p)) * std::pow(base, -double(i - i % 2) / double(dm));
                    pe[size_t(p * dm + i)] = float(i % 2 == 0 ? std::sin(ang) : std::cos(ang));
                }
            const float* xp = x.f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(dm, 1)), [&](int64_t b, int64_t e) {
                for (int64_t r = b; r < e; ++r) {
                    const float* pr = pe.data() + (r % t) * dm;
                    for (int64_t i = 0; i < dm; ++i) y[r * dm + i] = xp[r * dm + i] + pr[i];
                }
            });
        };
        d.flops = [](const InferCtx& c) { return inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
