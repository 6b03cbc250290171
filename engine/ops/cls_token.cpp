// cls_token: prepends learned tokens to a sequence (ViT/DeiT class token, register tokens):
//   y[b, i, :] = token[i, :]             for i < count
//   y[b, i, :] = x[b, i - count, :]      otherwise
// token is [count, D], initialised N(0, 0.02). Work split: one row copy per (b, i) across threads.
#include "ops/common.h"

#include <cstring>

namespace archscope::ops {

const OpDef& op_cls_token() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "cls_token";
        d.displayName = "Class Token";
        d.category = "Position";
        d.doc = "Prepends `count` learned tokens to [..., N, D] (the ViT/DeiT class token; 2 for DeiT's distillation token).";
        d.inputs = {{"x", PortType::F32, "[..., N, D]"}};
        d.outputs = {{"y", PortType::F32, "[..., count + N, D]"}};
        d.attrs = {attrInt("count", 1, 1, 1 << 16, "number of learned tokens put in front")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 2)) return false;
            Shape y = c.shape(0);
            const int64_t n = c.attrs.i("count");
            y[y.size() - 2] = y[y.size() - 2] + Dim(n);
            c.out(y);
            c.param("token", {n, c.shape(0).back().value()}, Init::Normal, 0.02f);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            const int64_t dm = x.dim(-1), n = x.dim(-2), cnt = k.attrs.i("count"), rows = n + cnt;
            const int64_t batches = x.numel() / std::max<int64_t>(1, n * dm);
            const float* xp = x.f32();
            const float* tp = k.param(0).f32();
            float* y = k.out(0).f32();
            parallelFor(batches * rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(dm, 1)), [&](int64_t r0, int64_t r1) {
                for (int64_t r = r0; r < r1; ++r) {
                    const int64_t b = r / rows, i = r % rows;
                    const float* src = i < cnt ? tp + i * dm : xp + (b * n + i - cnt) * dm;
                    std::memcpy(y + r * dm, src, size_t(dm) * sizeof(float));
                }
            });
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
