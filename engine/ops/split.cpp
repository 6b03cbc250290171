// split: y_k = x[..., o_k : o_k + sizes[k], ...] along `axis`, o_k = sizes[0] + .. + sizes[k-1]
// (torch.split with explicit sizes). Kernel: one strided gather per output.
#include "ops/common.h"
#include "ops/layout_util.h"

#include <numeric>

namespace archscope::ops {

const OpDef& op_split() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "split";
        d.displayName = "Split";
        d.category = "Layout";
        d.doc = "Cuts x along an axis into 1 to 4 pieces of the given sizes (e.g. a fused QKV projection into q, k, v).";
        d.inputs = {anyPort("x", "any shape")};
        d.outputs = {{"y0", PortType::Any, "first piece"}, {"y1", PortType::Any, "second piece"},
                     {"y2", PortType::Any, "third piece (when sizes has 3+ entries)"},
                     {"y3", PortType::Any, "fourth piece (when sizes has 4 entries)"}};
        d.attrs = {attrInt("axis", -1, -64, 63, "axis to cut (negative counts from the end)"),
                   attrInts("sizes", {1, 1}, "size of each piece, 1 to 4 entries summing to the axis length")};
        d.infer = [](InferCtx& c) {
            const Shape& x = c.shape(0);
            int a = normAxis(c.attrs.i("axis"), c.rank(0));
            if (a < 0) return c.error(0, "axis " + std::to_string(c.attrs.i("axis")) + " is out of range for " + shapeStr(x));
            const auto& sizes = c.attrs.ints("sizes");
            if (sizes.empty() || sizes.size() > 4) return c.error("attribute \"sizes\" needs 1 to 4 entries, got " + attrValueStr(sizes));
            for (int64_t s : sizes)
                if (s <= 0) return c.error("attribute \"sizes\" = " + attrValueStr(sizes) + " has a non-positive size");
            int64_t sum = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
            if (sum != x[size_t(a)].value())
                return c.error(0, "sizes " + attrValueStr(sizes) + " sum to " + std::to_string(sum) + ", but axis " + std::to_string(a) +
                                      " of " + shapeStr(x) + " has " + x[size_t(a)].str() + " = " + std::to_string(x[size_t(a)].value()));
            for (size_t k = 0; k < sizes.size(); ++k) {
                Shape y = x;
                y[size_t(a)] = sizes.size() == 1 ? x[size_t(a)] : Dim(sizes[k]);
                c.out(y, c.in(0).dtype);
            }
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int a = normAxis(k.attrs.i("axis"), x.rank());
            std::vector<int64_t> st = strides(x.shape());
            int64_t offset = 0;
            for (size_t i = 0; i < k.outputs.size(); ++i) {
                gatherStrided(x.raw(), offset * st[size_t(a)], st, k.out(int(i)).raw(), k.out(int(i)).shape(), dtypeSize(x.dtype()));
                offset += k.out(int(i)).dim(a);
            }
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
