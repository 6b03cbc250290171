// softmax along `axis`:
//   z_j = x_j / temperature + mask_j          (mask optional, broadcast to x)
//   y_j = exp(z_j - max z) / sum_k exp(z_k - max z)
// Clipped softmax (Bondarenko et al. 2023), active unless zeta = 1 and gamma = 0:
//   y_j = clamp((zeta - gamma) * y_j + gamma, 0, 1)
// An entry is dropped when its mask value is -inf or <= -1e9; a row whose
// entries are all dropped (or all -inf) gives zeros instead of NaN.
// Work split: parallelFor over rows (all positions except `axis`).
#include "ops/common.h"

#include <limits>

namespace archscope::ops {

namespace {

constexpr float kDropped = -1e9f;

struct Layout {
    int64_t len = 1, inner = 1, rows = 1;
    std::vector<int64_t> xs, ms;  // x strides; mask strides aligned to x (0 on broadcast axes)
    std::vector<int64_t> shape;
};

Layout layout(const KernelCtx& k, int ax) {
    Layout l;
    const Tensor& x = k.in(0);
    l.shape = x.shape();
    l.len = x.dim(ax);
    for (int d = ax + 1; d < x.rank(); ++d) l.inner *= x.dim(d);
    l.rows = l.len * l.inner == 0 ? 0 : x.numel() / l.len;
    l.xs = strides(x.shape());
    l.ms.assign(size_t(x.rank()), 0);
    if (k.has(1)) {
        const Tensor& m = k.in(1);
        auto s = strides(m.shape());
        for (int i = 0; i < m.rank(); ++i)
            if (m.shape()[size_t(i)] != 1) l.ms[size_t(x.rank() - m.rank() + i)] = s[size_t(i)];
    }
    return l;
}

// Softmax of one row of z in place; returns false if every entry is dropped.
bool softmaxRow(std::vector<float>& z, bool allDropped) {
    float mx = -std::numeric_limits<float>::infinity();
    for (float v : z) mx = std::max(mx, v);
    if (allDropped || mx == -std::numeric_limits<float>::infinity()) return false;
    double sum = 0;
    for (float& v : z) { v = std::exp(v - mx); sum += v; }
    const float inv = float(1.0 / sum);
    for (float& v : z) v *= inv;
    return true;
}

void softmaxKernel(KernelCtx& k) {
    const int ax = normAxis(k.attrs.i("axis"), k.in(0).rank());
    const float temp = float(k.attrs.f("temperature"));
    const float zeta = float(k.attrs.f("zeta")), gamma = float(k.attrs.f("gamma"));
    const bool clip = zeta != 1.0f || gamma != 0.0f;
    const Layout l = layout(k, ax);
    const float* x = k.in(0).f32();
    const float* m = k.has(1) ? k.in(1).f32() : nullptr;
    float* y = k.out(0).f32();
    parallelFor(l.rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(l.len, 1)), [&](int64_t r0, int64_t r1) {
        std::vector<float> z(size_t(l.len));
        for (int64_t r = r0; r < r1; ++r) {
            const int64_t base = (r / l.inner) * l.len * l.inner + r % l.inner;
            int64_t moff = 0;
            for (size_t d = 0; d < l.shape.size(); ++d) moff += (base / l.xs[d]) % l.shape[d] * l.ms[d];
            const int64_t mstep = l.ms[size_t(ax)];
            bool allDropped = m != nullptr;
            for (int64_t j = 0; j < l.len; ++j) {
                z[size_t(j)] = x[base + j * l.inner] / temp;
                if (m) {
                    const float mv = m[moff + j * mstep];
                    allDropped = allDropped && mv <= kDropped;
                    z[size_t(j)] += mv;
                }
            }
            const bool ok = softmaxRow(z, allDropped);
            for (int64_t j = 0; j < l.len; ++j) {
                float v = ok ? z[size_t(j)] : 0.0f;
                if (clip && ok) v = std::clamp((zeta - gamma) * v + gamma, 0.0f, 1.0f);
                y[base + j * l.inner] = v;
            }
        }
    });
}

}  // namespace

const OpDef& op_softmax() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "softmax";
        d.displayName = "Softmax";
        d.category = "Activation";
        d.doc = "Normalised exponential along an axis, with temperature, an optional additive mask "
                "(0 keep, -inf drop; fully masked rows give zeros) and optional clipping (clipped softmax).";
        d.inputs = {{"x", PortType::F32, "logits"},
                    {"mask", PortType::F32, "additive mask broadcast to x: 0 keeps, -inf (or <= -1e9) drops", true}};
        d.outputs = {{"y", PortType::F32, "probabilities, same shape as x", false, "attention"}};
        d.attrs = {attrInt("axis", -1, -64, 63, "axis to normalise over (negative counts from the end)"),
                   attrFloat("temperature", 1.0, 1e-6, 1e6, "logits are divided by this before the mask is added"),
                   attrFloat("zeta", 1.0, -1e6, 1e6, "clipped softmax stretch upper end (1 with gamma 0: off)"),
                   attrFloat("gamma", 0.0, -1e6, 1e6, "clipped softmax stretch lower end, usually slightly negative")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            if (normAxis(c.attrs.i("axis"), c.rank(0)) < 0)
                return c.error(0, "attribute \"axis\" = " + std::to_string(c.attrs.i("axis")) + " is out of range for " +
                                      shapeStr(c.shape(0)));
            if (c.has(1)) {
                Shape s;
                if (!broadcastShapes(c, 0, 1, &s)) return false;
                if (s != c.shape(0))
                    return c.error(1, "mask " + shapeStr(c.shape(1)) + " must broadcast to x " + shapeStr(c.shape(0)) +
                                          " without enlarging it (broadcast gives " + shapeStr(s) + ")");
            }
            c.out(c.shape(0));
            return true;
        };
        d.cpu = softmaxKernel;
        // Per element: max, subtract, exp, sum, divide (5); +1 temperature, +1 mask, +2 clip.
        d.flops = [](const InferCtx& c) {
            int64_t per = 5 + (c.attrs.f("temperature") != 1.0 ? 1 : 0) + (c.has(1) ? 1 : 0) +
                          (c.attrs.f("zeta") != 1.0 || c.attrs.f("gamma") != 0.0 ? 2 : 0);
            return per * inNumel(c);
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
