// pow: y = x^exponent with a constant exponent (torch.pow(x, 2), ONNX Pow with a
// scalar exponent). Exponents 2 and 0.5 use x*x and sqrt (exact like PyTorch's
// fast paths); others std::pow in float. Work split: parallelFor over elements.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_pow() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "pow";
        d.displayName = "Power";
        d.category = "Elementwise";
        d.doc = "Raises each element to a constant power, y = x^exponent (e.g. 2 for a mean of squares).";
        d.inputs = {{"x", PortType::F32, "input"}};
        d.outputs = {{"y", PortType::F32, "x^exponent, same shape"}};
        d.attrs = {attrFloat("exponent", 2.0, -1e6, 1e6, "the constant power")};
        d.infer = [](InferCtx& c) { c.out(c.shape(0)); return true; };
        d.cpu = [](KernelCtx& k) {
            const float e = float(k.attrs.f("exponent"));
            const float* x = k.in(0).f32();
            float* y = k.out(0).f32();
            parallelFor(k.in(0).numel(), 16384, [&](int64_t b, int64_t n) {
                if (e == 2.0f) for (int64_t i = b; i < n; ++i) y[i] = x[i] * x[i];
                else if (e == 1.0f) for (int64_t i = b; i < n; ++i) y[i] = x[i];
                else if (e == 0.5f) for (int64_t i = b; i < n; ++i) y[i] = std::sqrt(x[i]);
                else for (int64_t i = b; i < n; ++i) y[i] = std::pow(x[i], e);
            });
        };
        d.flops = [](const InferCtx& c) { return (c.attrs.f("exponent") == 2.0 ? 1 : 8) * outNumel(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
