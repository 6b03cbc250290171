// flatten: merges axes start_axis..end_axis into one of their product (torch.flatten);
// e.g. [B, T, 64] with start 0, end 1 gives [B*T, 64]. Kernel: one memcpy.
#include "ops/common.h"
#include "ops/layout_util.h"

#include <algorithm>
#include <cstring>

namespace archscope::ops {

const OpDef& op_flatten() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "flatten";
        d.displayName = "Flatten";
        d.category = "Layout";
        d.doc = "Merges a range of axes into one (torch.flatten); defaults flatten everything after the batch axis, as nn.Flatten.";
        d.inputs = {anyPort("x", "any shape")};
        d.outputs = {{"y", PortType::Any, "x with axes start..end merged"}};
        d.attrs = {attrInt("start_axis", 1, -64, 63, "first merged axis (negative counts from the end)"),
                   attrInt("end_axis", -1, -64, 63, "last merged axis, inclusive (negative counts from the end)")};
        d.infer = [](InferCtx& c) {
            const Shape& x = c.shape(0);
            int r = std::max(c.rank(0), 1);
            int s = normAxis(c.attrs.i("start_axis"), r), e = normAxis(c.attrs.i("end_axis"), r);
            if (s < 0 || e < 0 || s > e)
                return c.error(0, "axes " + std::to_string(c.attrs.i("start_axis")) + ".." + std::to_string(c.attrs.i("end_axis")) +
                                      " are not an ordered range of the axes of " + shapeStr(x));
            if (x.empty()) { c.out({Dim(1)}, c.in(0).dtype); return true; }
            Shape y(x.begin(), x.begin() + s);
            Dim merged(1);
            for (int i = s; i <= e; ++i) merged = merged * x[size_t(i)];
            y.push_back(merged);
            y.insert(y.end(), x.begin() + e + 1, x.end());
            c.out(y, c.in(0).dtype);
            return true;
        };
        d.cpu = [](KernelCtx& k) { std::memcpy(k.out(0).raw(), k.in(0).raw(), k.in(0).byteSize()); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
