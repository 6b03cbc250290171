// gate: y = a * act(b) with broadcasting, the gating step of GLU variants
// (act = sigmoid: GLU, silu: SwiGLU, gelu: GeGLU (exact erf), identity: bilinear).
// Work split: the binaryOp kernel for the chosen activation (parallelFor over elements).
#include "ops/common.h"

#include <map>

namespace archscope::ops {

namespace {

float sigm(float x) { return 1.0f / (1.0f + std::exp(-x)); }

const std::map<std::string, OpDef>& variants() {
    static const std::map<std::string, OpDef> v = {
        {"sigmoid", binaryOp("gate", "", "", [](float a, float b) { return a * sigm(b); })},
        {"silu", binaryOp("gate", "", "", [](float a, float b) { return a * b * sigm(b); })},
        {"gelu", binaryOp("gate", "", "", [](float a, float b) { return a * 0.5f * b * (1.0f + std::erf(b * float(M_SQRT1_2))); })},
        {"identity", binaryOp("gate", "", "", [](float a, float b) { return a * b; })}};
    return v;
}

}  // namespace

const OpDef& op_gate() {
    static const OpDef d = [] {
        OpDef d = binaryOp("gate", "Gate", "Gated product y = a * act(b) for GLU, SwiGLU, GeGLU and bilinear layers.",
                           [](float a, float b) { return a * b; });
        d.inputs = {{"a", PortType::F32, "value branch"}, {"b", PortType::F32, "gate branch (activated), broadcast to a"}};
        d.attrs = {attrEnum("act", "sigmoid", {"sigmoid", "silu", "gelu", "identity"},
                            "activation of b: sigmoid (GLU), silu (SwiGLU), gelu (GeGLU), identity (bilinear)")};
        d.cpu = [](KernelCtx& k) { variants().at(k.attrs.s("act")).cpu(k); };
        // Per output element: the product plus the activation (sigmoid ~4, silu ~5, gelu ~6).
        d.flops = [](const InferCtx& c) {
            static const std::map<std::string, int64_t> perElem = {{"sigmoid", 5}, {"silu", 6}, {"gelu", 7}, {"identity", 1}};
            return perElem.at(c.attrs.s("act")) * outNumel(c);
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
