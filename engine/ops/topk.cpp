// topk: the k largest (or smallest) entries along `axis`, sorted (descending
// for largest, ascending otherwise, like torch.topk), with their indices.
// Ties keep the lower index first; NaN counts as larger than any number.
// Work split: parallelFor over rows (all positions except `axis`), partial sort per row.
#include "ops/common.h"

#include <algorithm>
#include <numeric>

namespace archscope::ops {

namespace {

bool greaterNan(float a, float b) { return std::isnan(a) ? !std::isnan(b) : (!std::isnan(b) && a > b); }

void topkKernel(KernelCtx& k) {
    const Tensor& X = k.in(0);
    const int ax = normAxis(k.attrs.i("axis"), X.rank());
    const int64_t K = k.attrs.i("k"), L = X.dim(ax);
    const bool largest = k.attrs.b("largest");
    int64_t inner = 1;
    for (int d = ax + 1; d < X.rank(); ++d) inner *= X.dim(d);
    const int64_t rows = L * inner != 0 ? X.numel() / L : 0;
    const float* x = X.f32();
    float* vals = k.out(0).f32();
    int64_t* idx = k.out(1).i64();
    parallelFor(rows, std::max<int64_t>(1, 2048 / std::max<int64_t>(L, 1)), [&](int64_t r0, int64_t r1) {
        std::vector<int64_t> order(static_cast<size_t>(L));
        for (int64_t r = r0; r < r1; ++r) {
            const int64_t o = r / inner, i = r % inner;
            const float* xr = x + o * L * inner + i;
            std::iota(order.begin(), order.end(), 0);
            auto before = [&](int64_t p, int64_t q) {
                float a = xr[p * inner], b = xr[q * inner];
                bool ab = largest ? greaterNan(a, b) : greaterNan(b, a);
                bool ba = largest ? greaterNan(b, a) : greaterNan(a, b);
                return ab || (!ba && p < q);
            };
            std::partial_sort(order.begin(), order.begin() + K, order.end(), before);
            for (int64_t j = 0; j < K; ++j) {
                vals[o * K * inner + j * inner + i] = xr[order[size_t(j)] * inner];
                idx[o * K * inner + j * inner + i] = order[size_t(j)];
            }
        }
    });
}

}  // namespace

const OpDef& op_topk() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "topk";
        d.displayName = "Top-k";
        d.category = "Core";
        d.doc = "The k largest (or smallest) values along an axis, sorted, with their indices (MoE routing, sampling).";
        d.inputs = {{"x", PortType::F32, "input"}};
        d.outputs = {{"values", PortType::F32, "x's shape with axis of size k"},
                     {"indices", PortType::I64, "positions along axis of each value"}};
        d.attrs = {attrInt("k", 1, 1, 1e9, "number of entries kept"),
                   attrInt("axis", -1, -64, 63, "axis to select along (negative counts from the end)"),
                   attrBool("largest", true, "true: largest first (descending); false: smallest first (ascending)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            int ax = normAxis(c.attrs.i("axis"), c.rank(0));
            if (ax < 0)
                return c.error(0, "attribute \"axis\" = " + std::to_string(c.attrs.i("axis")) + " is out of range for " + shapeStr(c.shape(0)));
            Shape s = c.shape(0);
            if (c.attrs.i("k") > s[size_t(ax)].value())
                return c.error(0, "attribute \"k\" = " + std::to_string(c.attrs.i("k")) + " exceeds the size " + s[size_t(ax)].str() +
                                      " of axis " + std::to_string(ax) + " of " + shapeStr(s));
            s[size_t(ax)] = Dim(c.attrs.i("k"));
            c.out(s);
            c.out(s, DType::I64);
            return true;
        };
        d.cpu = topkKernel;
        // About L*log2(k) comparisons per row, counted as one op each.
        d.flops = [](const InferCtx& c) {
            int64_t k = c.attrs.i("k"), lg = 1;
            while ((int64_t(1) << lg) < k) ++lg;
            return inNumel(c) * lg;
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
