// softplus: y = log(1 + exp(beta * x)) / beta, and y = x where beta * x > threshold
// (PyTorch's linear regime for numerical stability).
// Work split: parallelFor over elements.
#include "ops/common.h"

namespace archscope::ops {

const OpDef& op_softplus() {
    static const OpDef d = [] {
        OpDef d = unaryOp("softplus", "Softplus", "Activation",
                          "Smooth ReLU, log(1 + exp(beta x)) / beta; linear above the threshold (Mamba's dt projection).",
                          [](float x) { return x; }, 4);
        d.attrs = {attrFloat("beta", 1.0, 1e-6, 1e6, "sharpness"),
                   attrFloat("threshold", 20.0, 0.0, 1e6, "beta*x above this returns x unchanged")};
        d.cpu = [](KernelCtx& k) {
            const float beta = float(k.attrs.f("beta")), th = float(k.attrs.f("threshold"));
            const float* x = k.in(0).f32();
            float* y = k.out(0).f32();
            parallelFor(k.in(0).numel(), 16384, [&](int64_t i0, int64_t i1) {
                for (int64_t i = i0; i < i1; ++i) {
                    float bx = beta * x[i];
                    y[i] = bx > th ? x[i] : std::log1p(std::exp(bx)) / beta;
                }
            });
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
