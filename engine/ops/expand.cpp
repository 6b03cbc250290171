// expand: y = x broadcast NumPy-style to the fixed shape `shape` (torch.expand,
// ONNX Expand); x's dims must equal the target's or be 1.
// Kernel: strided gather with stride 0 on broadcast axes.
#include "ops/common.h"
#include "ops/interop_util.h"
#include "ops/layout_util.h"

namespace archscope::ops {

const OpDef& op_expand() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "expand";
        d.displayName = "Expand";
        d.category = "Layout";
        d.doc = "Repeats x along axes of size 1 to reach a target shape (NumPy broadcasting), e.g. a class token over the batch.";
        d.inputs = {anyPort("x", "any shape; each dim equal to the target's or 1")};
        d.outputs = {{"y", PortType::Any, "x broadcast to `shape`"}};
        d.attrs = {attrShape("shape", "1", "target dims, comma separated; sizes (B, T, ...) allowed")};
        d.infer = [](InferCtx& c) {
            Shape s;
            if (!parseShapeAttr(c, "shape", &s)) return false;
            const Shape& x = c.shape(0);
            if (x.size() > s.size())
                return c.error(0, "x " + shapeStr(x) + " has more axes than the target " + shapeStr(s) + " (use reshape first)");
            for (size_t i = 0; i < x.size(); ++i) {
                const Dim& t = s[s.size() - x.size() + i];
                if (x[i] != t && x[i].value() != 1)
                    return c.error(0, "x " + shapeStr(x) + " does not broadcast to " + shapeStr(s) + ": axis " + std::to_string(i) +
                                          " is " + x[i].str() + ", must be 1 or " + t.str());
            }
            c.out(s, c.in(0).dtype);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            Tensor& y = k.out(0);
            gatherStrided(x.raw(), 0, broadcastStrides(x.shape(), y.shape()), y.raw(), y.shape(), dtypeSize(x.dtype()));
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
