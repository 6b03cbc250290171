// rope: rotary position embedding, GPT-NeoX / LLaMA half-split convention, on x [B, H, T, Dh].
// With r = rotary_dim, h = r/2, p = offset + t and theta_i = p * base^(-2i/r) for i < h:
//   y[i]     = x[i] cos(theta_i) - x[i+h] sin(theta_i)
//   y[i+h]   = x[i+h] cos(theta_i) + x[i] sin(theta_i)
//   y[j]     = x[j] for j >= r (partial rotary, as GPT-NeoX rotary_pct).
// (HF: y = x*cos + rotate_half(x)*sin.) The GPT-J/Meta interleaved pairs (2i, 2i+1) are NOT used.
// cos/sin tables are built once per call in double; rows (b, h, t) run across threads.
#include "ops/common.h"

#include <cmath>
#include <vector>

namespace archscope::ops {
namespace {

int64_t rotaryDim(const Attrs& a, int64_t dh) { return a.i("rotary_dim") == 0 ? dh : a.i("rotary_dim"); }

void kernel(KernelCtx& k) {
    const Tensor& x = k.in(0);
    int64_t t = x.dim(2), dh = x.dim(3), half = rotaryDim(k.attrs, dh) / 2, rows = x.numel() / dh;
    double base = k.attrs.f("base"), off = double(k.attrs.i("offset") + pastLength(k, 1));
    std::vector<float> cs(size_t(t * half)), sn(size_t(t * half));
    for (int64_t p = 0; p < t; ++p)
        for (int64_t i = 0; i < half; ++i) {
            double ang = (off + double(p)) * std::pow(base, -2.0 * double(i) / double(2 * half));
            cs[size_t(p * half + i)] = float(std::cos(ang));
            sn[size_t(p * half + i)] = float(std::sin(ang));
        }
    const float* xp = x.f32();
    float* y = k.out(0).f32();
    parallelFor(rows, std::max<int64_t>(1, 2048 / dh), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
            const float* xr = xp + r * dh;
            float* yr = y + r * dh;
            const float* c = cs.data() + (r % t) * half;
            const float* s = sn.data() + (r % t) * half;
            for (int64_t i = 0; i < half; ++i) {
                yr[i] = xr[i] * c[i] - xr[i + half] * s[i];
                yr[i + half] = xr[i + half] * c[i] + xr[i] * s[i];
            }
            for (int64_t j = 2 * half; j < dh; ++j) yr[j] = xr[j];
        }
    });
}

}  // namespace

const OpDef& op_rope() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "rope";
        d.displayName = "RoPE";
        d.category = "Position";
        d.doc = "Rotary position embedding on queries or keys [B, H, T, Dh] (GPT-NeoX / LLaMA half-split pairs (i, i + r/2)); "
                "rotary_dim < Dh rotates only the first dims.";
        d.inputs = {{"x", PortType::F32, "[B, H, T, Dh]"}, {"past", PortType::F32, kPastDoc, true}};
        d.outputs = {{"y", PortType::F32, "rotated x, same shape"}};
        d.attrs = {attrFloat("base", 10000.0, 1.0, 1e12, "frequency base (theta); LLaMA 3 uses 500000"),
                   attrInt("rotary_dim", 0, 0, 1 << 16, "leading dims to rotate, even; 0 = all of Dh"),
                   attrInt("offset", 0, 0, 1e12, "position of the first row (KV-cache decoding)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 4)) return false;
            if (c.has(1) && !c.expectRank(1, 4)) return false;
            int64_t dh = c.shape(0)[3].value(), r = rotaryDim(c.attrs, dh);
            if (r % 2 != 0 || r > dh)
                return c.error(0, "rotary_dim " + std::to_string(r) + " must be even and at most the head size " + std::to_string(dh) +
                                      " of " + shapeStr(c.shape(0)));
            c.out(c.shape(0));
            return true;
        };
        d.cpu = kernel;
        d.flops = [](const InferCtx& c) {
            int64_t dh = c.shape(0)[3].value();
            return inNumel(c) / dh * rotaryDim(c.attrs, dh) * 3;  // 2 mul + 1 add per rotated element
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
