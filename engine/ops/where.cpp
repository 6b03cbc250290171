// where: y = cond != 0 ? a : b, all three broadcast NumPy-style (ONNX Where,
// torch.where; booleans are 0/1 floats). Work split: rows of the last output axis.
#include "ops/common.h"
#include "ops/interop_util.h"

namespace archscope::ops {

namespace {
bool broadcast3(InferCtx& c, Shape* out) {
    size_t r = 0;
    for (int k = 0; k < 3; ++k) r = std::max(r, c.shape(k).size());
    out->assign(r, Dim(1));
    for (int k = 0; k < 3; ++k) {
        const Shape& s = c.shape(k);
        for (size_t i = 0; i < s.size(); ++i) {
            Dim& o = (*out)[r - s.size() + i];
            if (s[i].value() == 1) continue;
            if (o.value() == 1) o = s[i];
            else if (o != s[i]) return c.error(k, shapeStr(s) + " does not broadcast with the other inputs (axis " + std::to_string(i) + ")");
        }
    }
    return true;
}
}  // namespace

const OpDef& op_where() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "where";
        d.displayName = "Where";
        d.category = "Elementwise";
        d.doc = "Selects elementwise, y = cond ? a : b (cond nonzero is true), with broadcasting of all three inputs.";
        d.inputs = {{"cond", PortType::F32, "condition, nonzero is true"},
                    {"a", PortType::F32, "taken where cond is true"},
                    {"b", PortType::F32, "taken where cond is false"}};
        d.outputs = {{"y", PortType::F32, "broadcast shape of cond, a and b"}};
        d.infer = [](InferCtx& c) {
            Shape s;
            if (!broadcast3(c, &s)) return false;
            c.out(s);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const auto& ys = k.out(0).shape();
            std::vector<std::vector<int64_t>> st;
            for (int i = 0; i < 3; ++i) st.push_back(broadcastStrides(k.in(i).shape(), ys));
            const float *c = k.in(0).f32(), *a = k.in(1).f32(), *b = k.in(2).f32();
            float* y = k.out(0).f32();
            forEachBroadcast(ys, st, [&](int64_t i, const int64_t* o) { y[i] = c[o[0]] != 0.0f ? a[o[1]] : b[o[2]]; });
        };
        d.flops = [](const InferCtx& c) { return outNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
