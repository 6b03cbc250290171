// cumsum along `axis`: y_j = sum_{i <= j} x_i; exclusive drops x_j itself
// (y_0 = 0); reverse sums from the end (y_j = sum_{i >= j} x_i).
// Accumulates in double. Work split: parallelFor over rows (all positions except `axis`).
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_cumsum() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "cumsum";
        d.displayName = "Cumulative sum";
        d.category = "Core";
        d.doc = "Running sum along an axis; exclusive and reverse variants (prefix sums for scans and positions).";
        d.inputs = {{"x", PortType::F32, "input"}};
        d.outputs = {{"y", PortType::F32, "same shape as x"}};
        d.attrs = {attrInt("axis", -1, -64, 63, "axis to accumulate along (negative counts from the end)"),
                   attrBool("exclusive", false, "exclude the current element (the first output is 0)"),
                   attrBool("reverse", false, "accumulate from the last element towards the first")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            if (normAxis(c.attrs.i("axis"), c.rank(0)) < 0)
                return c.error(0, "attribute \"axis\" = " + std::to_string(c.attrs.i("axis")) + " is out of range for " + shapeStr(c.shape(0)));
            c.out(c.shape(0));
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& X = k.in(0);
            const int ax = normAxis(k.attrs.i("axis"), X.rank());
            const bool excl = k.attrs.b("exclusive"), rev = k.attrs.b("reverse");
            const int64_t L = X.dim(ax);
            int64_t inner = 1;
            for (int d = ax + 1; d < X.rank(); ++d) inner *= X.dim(d);
            const int64_t rows = L * inner != 0 ? X.numel() / L : 0;
            const float* x = X.f32();
            float* y = k.out(0).f32();
            parallelFor(rows, std::max<int64_t>(1, 4096 / std::max<int64_t>(L, 1)), [&](int64_t r0, int64_t r1) {
                for (int64_t r = r0; r < r1; ++r) {
                    const int64_t base = (r / inner) * L * inner + r % inner;
                    double acc = 0;
                    for (int64_t s = 0; s < L; ++s) {
                        const int64_t p = base + (rev ? L - 1 - s : s) * inner;
                        if (excl) { y[p] = float(acc); acc += x[p]; }
                        else { acc += x[p]; y[p] = float(acc); }
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
