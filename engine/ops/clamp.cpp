// clamp: y = min(max(x, min), max). NaN stays NaN (like torch.clamp).
// Work split: parallelFor over elements.
#include "ops/common.h"

namespace archscope::ops {

namespace {
constexpr double kUnbounded = 3.0e38;  // JSON-safe stand-in for infinity
}

const OpDef& op_clamp() {
    static const OpDef d = [] {
        OpDef d = unaryOp("clamp", "Clamp", "Elementwise", "Limits values to [min, max]; either bound may be left open.",
                          [](float x) { return x; }, 2);
        d.attrs = {attrFloat("min", -kUnbounded, -kUnbounded, kUnbounded, "lower bound (default: none)"),
                   attrFloat("max", kUnbounded, -kUnbounded, kUnbounded, "upper bound (default: none)")};
        d.infer = [](InferCtx& c) {
            if (c.attrs.f("min") > c.attrs.f("max"))
                return c.error("attribute \"min\" = " + std::to_string(c.attrs.f("min")) + " is greater than \"max\" = " +
                               std::to_string(c.attrs.f("max")));
            c.out(c.shape(0));
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const float lo = float(k.attrs.f("min")), hi = float(k.attrs.f("max"));
            const float* x = k.in(0).f32();
            float* y = k.out(0).f32();
            parallelFor(k.in(0).numel(), 16384, [&](int64_t i0, int64_t i1) {
                for (int64_t i = i0; i < i1; ++i) y[i] = std::isnan(x[i]) ? x[i] : std::min(std::max(x[i], lo), hi);
            });
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
