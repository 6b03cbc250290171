// window_mask: the attention mask of Swin's shifted windows (SW-MSA). After the cyclic shift by
// s, windows on the bottom and right edges hold pieces of the map that were not neighbours.
// Each position of the shifted map gets a region label per axis,
//   label(p) = 0 if p < L - M, 1 if p < L - s, else 2      (L = H or W)
// and tokens i, j of one window see each other only when their (row, column) labels agree:
//   y[(b*(H/M) + wh)*(W/M) + ww, 0, i, j] = 0 if same region, else -inf.
// This is the img_mask construction of the Swin reference. Work split: one task per window.
#include "ops/window_mask.h"

#include "ops/common.h"

#include <limits>

namespace archscope::ops {

void fillWindowMask(int64_t windows, int64_t h, int64_t w, int64_t m, int64_t s, float* y) {
    const int64_t nw = w / m, n = m * m, perImage = (h / m) * nw;
    auto label = [m, s](int64_t p, int64_t len) { return p < len - m ? 0 : (p < len - s ? 1 : 2); };
    const float hidden = -std::numeric_limits<float>::infinity();
    parallelFor(windows, 1, [&](int64_t b, int64_t e) {
        std::vector<int> lab(size_t(n), 0);
        for (int64_t win = b; win < e; ++win) {
            const int64_t wh = (win % perImage) / nw, ww = win % nw;
            for (int64_t i = 0; i < n; ++i) lab[size_t(i)] = s == 0 ? 0 : 3 * label(wh * m + i / m, h) + label(ww * m + i % m, w);
            float* yw = y + win * n * n;
            for (int64_t i = 0; i < n; ++i)
                for (int64_t j = 0; j < n; ++j) yw[i * n + j] = lab[size_t(i)] == lab[size_t(j)] ? 0.0f : hidden;
        }
    });
}

const OpDef& op_window_mask() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "window_mask";
        d.displayName = "Shifted Window Mask";
        d.category = "Attention";
        d.doc = "Additive mask of Swin's shifted-window attention: within each M x M window of the shifted map, tokens from "
                "different original regions cannot attend to each other. Shaped [B*nW, 1, M*M, M*M] for the window_partition order.";
        d.inputs = {{"like", PortType::Any, "the [B, H, W, C] map being partitioned (only the shape is read)"}};
        d.outputs = {{"y", PortType::F32, "mask [B*(H/M)*(W/M), 1, M*M, M*M]: 0 visible, -inf hidden"}};
        d.attrs = {attrInt("window", 7, 1, 1 << 12, "window size M"),
                   attrInt("shift", 3, 0, 1 << 12, "cyclic shift s of the partition, < M (0 gives an all-zero mask)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 4)) return false;
            const Shape& x = c.shape(0);
            const int64_t m = c.attrs.i("window"), s = c.attrs.i("shift");
            if (s >= m) return c.error("shift " + std::to_string(s) + " must be smaller than the window " + std::to_string(m));
            if (x[1].value() % m != 0 || x[2].value() % m != 0)
                return c.error(0, "H and W of " + shapeStr(x) + " must be multiples of the window " + std::to_string(m));
            c.out({x[0] * x[1].floorDiv(m) * x[2].floorDiv(m), Dim(1), Dim(m * m), Dim(m * m)});
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            fillWindowMask(k.out(0).dim(0), x.dim(1), x.dim(2), k.attrs.i("window"), k.attrs.i("shift"), k.out(0).f32());
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
