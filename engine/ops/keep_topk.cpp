// keep_topk: top-k activation sparsity along the last axis (Lazy Neuron top-k transformer):
//   y[..., j] = x[..., j] if x[..., j] is among the k largest of its row, else 0.
// Ties keep the lower index first (as topk). k >= row length keeps everything.
// Work split: parallelFor over rows; nth_element on (value, index) pairs per row.
#include "ops/common.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace archscope::ops {

const OpDef& op_keep_topk() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "keep_topk";
        d.displayName = "Keep Top-k";
        d.category = "Activation";
        d.doc = "Keeps the k largest entries of each row (last axis) and zeroes the rest: top-k activation sparsity.";
        d.inputs = {{"x", PortType::F32, "[..., N]"}};
        d.outputs = {{"y", PortType::F32, "[..., N] with at most k non-zeros per row"}};
        d.attrs = {attrInt("k", 1, 1, 1e9, "entries kept per row")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            c.out(c.shape(0));
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            const int64_t n = x.dim(-1), rows = x.numel() / std::max<int64_t>(n, 1);
            const int64_t keep = std::min<int64_t>(k.attrs.i("k"), n);
            const float* xp = x.f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 1024 / std::max<int64_t>(n, 1)), [&](int64_t r0, int64_t r1) {
                std::vector<int64_t> idx(static_cast<size_t>(n));
                for (int64_t r = r0; r < r1; ++r) {
                    const float* row = xp + r * n;
                    std::iota(idx.begin(), idx.end(), int64_t(0));
                    auto val = [row](int64_t i) { return std::isnan(row[i]) ? std::numeric_limits<float>::infinity() : row[i]; };
                    auto before = [&val](int64_t a, int64_t b) { return val(a) > val(b) || (val(a) == val(b) && a < b); };
                    if (keep < n) std::nth_element(idx.begin(), idx.begin() + keep, idx.end(), before);
                    std::fill(y + r * n, y + (r + 1) * n, 0.0f);
                    for (int64_t i = 0; i < keep; ++i) y[r * n + idx[size_t(i)]] = row[idx[size_t(i)]];
                }
            });
        };
        d.flops = [](const InferCtx& c) { return inNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
