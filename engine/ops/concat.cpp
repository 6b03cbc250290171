// concat: y = [a; b; c; d] along `axis` (torch.cat); every other axis must match.
// Kernel: one strided scatter per input into its slab of y.
#include "ops/common.h"
#include "ops/layout_util.h"

namespace archscope::ops {

const OpDef& op_concat() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "concat";
        d.displayName = "Concat";
        d.category = "Layout";
        d.doc = "Joins 2 to 4 tensors along an axis; the other axes must agree (sizes add up symbolically, T + T = 2*T).";
        d.inputs = {anyPort("a", "first"), anyPort("b", "second"), anyPort("c", "third (optional)", true),
                    anyPort("d", "fourth (optional)", true)};
        d.outputs = {{"y", PortType::Any, "the joined tensor"}};
        d.attrs = {attrInt("axis", -1, -64, 63, "axis to join along (negative counts from the end)")};
        d.infer = [](InferCtx& c) {
            const Shape& s0 = c.shape(0);
            int a = normAxis(c.attrs.i("axis"), c.rank(0));
            if (a < 0) return c.error(0, "axis " + std::to_string(c.attrs.i("axis")) + " is out of range for " + shapeStr(s0));
            Shape y = s0;
            for (int i = 1; i < 4; ++i) {
                if (!c.has(i)) continue;
                if (!c.expectDType(i, c.in(0).dtype)) return false;
                const Shape& si = c.shape(i);
                Shape want = s0;
                if (si.size() == s0.size()) want[size_t(a)] = si[size_t(a)];
                bool same = si.size() == s0.size();
                for (size_t k = 0; same && k < si.size(); ++k) same = si[k] == want[k];
                if (!same) {
                    auto from = [&](int j) { return c.sources[size_t(j)].empty() ? std::string() : " from \"" + c.sources[size_t(j)] + "\""; };
                    return c.error(i, "expected " + shapeStr(want) + " (input \"a\" is " + shapeStr(s0) + from(0) + "; only axis " +
                                          std::to_string(a) + " may differ), got " + shapeStr(si) + from(i));
                }
                y[size_t(a)] = y[size_t(a)] + si[size_t(a)];
            }
            c.out(y, c.in(0).dtype);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            Tensor& y = k.out(0);
            int a = normAxis(k.attrs.i("axis"), y.rank());
            std::vector<int64_t> st = strides(y.shape());
            int64_t offset = 0;
            for (int i = 0; i < 4; ++i) {
                if (!k.has(i)) continue;
                const Tensor& x = k.in(i);
                scatterStrided(x.raw(), x.shape(), y.raw(), offset * st[size_t(a)], st, dtypeSize(x.dtype()));
                offset += x.dim(a);
            }
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
