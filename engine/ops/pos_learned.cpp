// pos_learned: y[..., t, d] = x[..., t, d] + W[t, d], W a learned [max_len, D] table (GPT-2 wpe,
// initialised N(0, 0.02)). Work split: rows of D across threads.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_pos_learned() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "pos_learned";
        d.displayName = "Learned Positions";
        d.category = "Position";
        d.doc = "Adds a learned absolute position table W[t] to each position of [..., T, D] (GPT-2, BERT, ViT).";
        d.inputs = {{"x", PortType::F32, "[..., T, D]"}};
        d.outputs = {{"y", PortType::F32, "x + W[:T]"}};
        d.attrs = {attrInt("max_len", 1024, 1, 1 << 24, "rows of the table: the longest sequence supported")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 2)) return false;
            const Shape& x = c.shape(0);
            const Dim& t = x[x.size() - 2];
            int64_t maxLen = c.attrs.i("max_len");
            if (t.value() > maxLen) {
                std::string src = c.sources[0].empty() ? "" : " from \"" + c.sources[0] + "\"";
                return c.error(0, "sequence length " + t.str() + " = " + std::to_string(t.value()) + " of " + shapeStr(x) + src +
                                      " exceeds max_len = " + std::to_string(maxLen) + " (raise max_len or shorten the sequence)");
            }
            c.out(x);
            c.param("weight", {maxLen, x.back().value()}, Init::Normal, 0.02f);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int64_t dm = x.dim(-1), t = x.dim(-2), rows = x.numel() / std::max<int64_t>(dm, 1);
            const float* xp = x.f32();
            const float* w = k.param(0).f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(dm, 1)), [&](int64_t b, int64_t e) {
                for (int64_t r = b; r < e; ++r) {
                    const float* wr = w + (r % t) * dm;
                    for (int64_t i = 0; i < dm; ++i) y[r * dm + i] = xp[r * dm + i] + wr[i];
                }
            });
        };
        d.flops = [](const InferCtx& c) { return inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
