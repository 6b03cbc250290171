// scale: y = x * scale + bias, with scalar attributes.
// Work split: parallelFor over elements.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_scale() {
    static const OpDef d = [] {
        OpDef d = unaryOp("scale", "Scale", "Elementwise", "Affine map with scalar constants, y = x * scale + bias.",
                          [](float x) { return x; }, 2);
        d.attrs = {attrFloat("scale", 1.0, -1e30, 1e30, "multiplier"),
                   attrFloat("bias", 0.0, -1e30, 1e30, "added after scaling")};
        d.cpu = [](KernelCtx& k) {
            const float s = float(k.attrs.f("scale")), b = float(k.attrs.f("bias"));
            const float* x = k.in(0).f32();
            float* y = k.out(0).f32();
            parallelFor(k.in(0).numel(), 16384, [&](int64_t i0, int64_t i1) {
                for (int64_t i = i0; i < i1; ++i) y[i] = x[i] * s + b;
            });
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
