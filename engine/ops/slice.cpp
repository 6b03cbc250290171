// slice: y = x[..., start:end:step, ...] on one axis with Python index rules
// (negative start/end count from the end, out-of-range values clamp; step >= 1).
// Kernel: strided gather with offset start*stride and stride*step on the axis.
#include "ops/common.h"
#include "ops/layout_util.h"

#include <algorithm>
#include <limits>

namespace archscope::ops {
namespace {

// Python-normalised bound as a Dim: L + i for negative i, clamped to [0, L].
Dim bound(const Dim& len, int64_t i) {
    int64_t v = i < 0 ? i + len.value() : i;
    if (v <= 0) return Dim(0);
    if (v >= len.value()) return len;
    return i < 0 ? len + Dim(i) : Dim(i);
}

}  // namespace

const OpDef& op_slice() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "slice";
        d.displayName = "Slice";
        d.category = "Layout";
        d.doc = "Takes x[start:end:step] along one axis with Python index rules (start -1 is the last element).";
        d.inputs = {anyPort("x", "any shape")};
        d.outputs = {{"y", PortType::Any, "the selected range"}};
        d.attrs = {attrInt("axis", 1, -64, 63, "axis to slice (negative counts from the end)"),
                   attrInt("start", 0, -1e18, 1e18, "first index (negative counts from the end)"),
                   attrInt("end", std::numeric_limits<int64_t>::max(), -1e18, 1e19,
                           "one past the last index (negative counts from the end); the default runs to the end"),
                   attrInt("step", 1, 1, 1e18, "stride between taken elements")};
        d.infer = [](InferCtx& c) {
            const Shape& x = c.shape(0);
            int a = normAxis(c.attrs.i("axis"), c.rank(0));
            if (a < 0) return c.error(0, "axis " + std::to_string(c.attrs.i("axis")) + " is out of range for " + shapeStr(x));
            const Dim& len = x[size_t(a)];
            Dim b = bound(len, c.attrs.i("start")), e = bound(len, c.attrs.i("end"));
            int64_t step = c.attrs.i("step");
            if (e.value() <= b.value())
                return c.error(0, "slice [" + std::to_string(c.attrs.i("start")) + ":" + std::to_string(c.attrs.i("end")) + "] of axis " +
                                      std::to_string(a) + " of " + shapeStr(x) + " is empty");
            Shape y = x;
            y[size_t(a)] = step == 1 ? e - b : (e - b).ceilDiv(step);
            c.out(y, c.in(0).dtype);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int a = normAxis(k.attrs.i("axis"), x.rank());
            int64_t start = bound(Dim(x.dim(a)), k.attrs.i("start")).value();
            std::vector<int64_t> st = strides(x.shape());
            int64_t offset = start * st[size_t(a)];
            st[size_t(a)] *= k.attrs.i("step");
            gatherStrided(x.raw(), offset, st, k.out(0).raw(), k.out(0).shape(), dtypeSize(x.dtype()));
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
