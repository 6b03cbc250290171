// patch_merge: Swin's 2x2 patch merging, [B, H, W, C] -> [B, H/2, W/2, 4C] with
//   y[b, i, j, k*C + c] = x[b, 2i + dh_k, 2j + dw_k, c],  (dh, dw)_k = (0,0), (1,0), (0,1), (1,1)
// i.e. cat(x0, x1, x2, x3) of the Swin reference (x1 = x[:, 1::2, 0::2]). Swin follows it
// with layer_norm and linear(4C -> 2C, no bias). Work split: one task per output row (b, i).
#include "ops/common.h"

#include <cstring>

namespace archscope::ops {

const OpDef& op_patch_merge() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "patch_merge";
        d.displayName = "Patch Merge";
        d.category = "Layout";
        d.doc = "Swin Transformer downsampling: concatenates each 2 x 2 patch of [B, H, W, C] into [B, H/2, W/2, 4C].";
        d.inputs = {{"x", PortType::F32, "[B, H, W, C], H and W even"}};
        d.outputs = {{"y", PortType::F32, "[B, H/2, W/2, 4C]"}};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 4)) return false;
            const Shape& x = c.shape(0);
            if (x[1].value() % 2 != 0 || x[2].value() % 2 != 0)
                return c.error(0, "H and W of " + shapeStr(x) + " must be even (pad the feature map first)");
            c.out({x[0], x[1].floorDiv(2), x[2].floorDiv(2), x[3] * Dim(4)});
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int64_t b = x.dim(0), h = x.dim(1), w = x.dim(2), ch = x.dim(3);
            const float* xp = x.f32();
            float* y = k.out(0).f32();
            const int dh[4] = {0, 1, 0, 1}, dw[4] = {0, 0, 1, 1};
            parallelFor(b * (h / 2), 1, [&](int64_t t0, int64_t t1) {
                for (int64_t t = t0; t < t1; ++t) {
                    int64_t bi = t / (h / 2), i = t % (h / 2);
                    for (int64_t j = 0; j < w / 2; ++j)
                        for (int q = 0; q < 4; ++q) {
                            const float* src = xp + ((bi * h + 2 * i + dh[q]) * w + 2 * j + dw[q]) * ch;
                            std::memcpy(y + ((t * (w / 2) + j) * 4 + q) * ch, src, size_t(ch) * sizeof(float));
                        }
                }
            });
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
