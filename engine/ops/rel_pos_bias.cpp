// rel_pos_bias: adds the learned relative position bias of Swin / MaxViT window attention.
// For an M x M window (N = M*M tokens, token i at row r_i = i / M, column c_i = i % M):
//   y[.., h, i, j] = x[.., h, i, j] + table[(r_i - r_j + M - 1) * (2M - 1) + (c_i - c_j + M - 1), h]
// with table [(2M-1)^2, H] (Swin's relative_position_bias_table), x the attention scores.
// Work split: one task per score row (.., h, i).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_rel_pos_bias() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "rel_pos_bias";
        d.displayName = "Relative Position Bias";
        d.category = "Position";
        d.doc = "Adds the learned 2-d relative position bias of window attention (Swin, MaxViT) to scores of M x M windows: "
                "a (2M-1)^2 x heads table indexed by the row and column offsets of query and key.";
        d.inputs = {{"x", PortType::F32, "attention scores [..., heads, M*M, M*M]"}};
        d.outputs = {{"y", PortType::F32, "scores plus bias, same shape"}};
        d.attrs = {attrInt("window", 7, 1, 1 << 12, "window size M (the scores cover M*M tokens)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 3)) return false;
            const Shape& x = c.shape(0);
            const int64_t m = c.attrs.i("window"), n = m * m, r = c.rank(0);
            if (x[size_t(r - 1)].value() != n || x[size_t(r - 2)].value() != n)
                return c.error(0, "scores " + shapeStr(x) + " must end in [" + std::to_string(n) + ", " + std::to_string(n) +
                                      "] for window " + std::to_string(m) + " (M*M tokens per window)");
            c.out(x);
            c.param("table", {(2 * m - 1) * (2 * m - 1), x[size_t(r - 3)].value()}, Init::Normal, 0.02f);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            const int64_t heads = x.dim(-3), n = x.dim(-1), m = k.attrs.i("window"), span = 2 * m - 1;
            const float* t = k.param(0).f32();
            const float* xp = x.f32();
            float* yp = k.out(0).f32();
            parallelFor(x.numel() / n, std::max<int64_t>(1, 4096 / n), [&](int64_t b, int64_t e) {
                for (int64_t row = b; row < e; ++row) {
                    const int64_t h = (row / n) % heads, i = row % n;
                    for (int64_t j = 0; j < n; ++j) {
                        const int64_t idx = (i / m - j / m + m - 1) * span + (i % m - j % m + m - 1);
                        yp[row * n + j] = xp[row * n + j] + t[idx * heads + h];
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
