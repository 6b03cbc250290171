// unflatten: splits axis `axis` of x into `sizes` (torch.unflatten); one size may be -1 and is
// inferred (symbolically where the division is exact), e.g. [B, T, 64] with axis -1, sizes
// [4, 16] gives [B, T, 4, 16] without naming B or T. The data do not move: one memcpy.
#include "ops/common.h"
#include "ops/layout_util.h"

#include <cstring>

namespace archscope::ops {

const OpDef& op_unflatten() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "unflatten";
        d.displayName = "Unflatten";
        d.category = "Layout";
        d.doc = "Splits one axis into several (torch.unflatten), e.g. [B, T, 64] -> [B, T, 4, 16] for attention heads; "
                "one size may be -1. Unlike reshape it needs no other sizes, so it works inside blocks.";
        d.inputs = {anyPort("x", "any shape")};
        d.outputs = {{"y", PortType::Any, "x with `axis` replaced by `sizes`"}};
        d.attrs = {attrInt("axis", -1, -64, 63, "axis to split (negative counts from the end)"),
                   attrInts("sizes", {-1, 1}, "new sizes of the axis, at least one; one entry may be -1")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            const Shape& x = c.shape(0);
            const int ax = normAxis(c.attrs.i("axis"), c.rank(0));
            if (ax < 0) return c.error(0, "attribute \"axis\" = " + std::to_string(c.attrs.i("axis")) + " is out of range for " + shapeStr(x));
            const auto& sizes = c.attrs.ints("sizes");
            std::string text = attrValueStr(AttrValue(sizes));
            if (sizes.empty()) return c.error("attribute \"sizes\" is empty: give at least one size");
            int at = -1;
            int64_t known = 1;
            for (size_t i = 0; i < sizes.size(); ++i) {
                if (sizes[i] == -1 && at < 0) { at = int(i); continue; }
                if (sizes[i] <= 0) return c.error("attribute \"sizes\" = " + text + ": sizes must be positive, with at most one -1");
                known *= sizes[i];
            }
            const Dim& len = x[size_t(ax)];
            const bool fits = at >= 0 ? len.value() % known == 0 : len.value() == known;
            if (!fits)
                return c.error(0, "axis " + std::to_string(ax) + " of " + shapeStr(x) + " has length " + std::to_string(len.value()) +
                                      ", which " + (at >= 0 ? "is not divisible by " : "differs from the product ") + std::to_string(known) +
                                      " of \"sizes\" = " + text);
            Shape y(x.begin(), x.begin() + ax);
            for (size_t i = 0; i < sizes.size(); ++i) y.push_back(int(i) == at ? len.floorDiv(known) : Dim(sizes[i]));
            y.insert(y.end(), x.begin() + ax + 1, x.end());
            c.out(y, c.in(0).dtype);
            return true;
        };
        d.cpu = [](KernelCtx& k) { std::memcpy(k.out(0).raw(), k.in(0).raw(), k.in(0).byteSize()); };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
