// ffn: position-wise feed-forward block.
//   mlp:  y = down(act(up(x)))                     act in relu, gelu, gelu_tanh, silu
//   glu:  y = down(up(x) * act(gate(x)))           swiglu (silu), geglu (gelu), glu (sigmoid), bilinear
// Options on the hidden activations h [..., hidden]:
//   topk > 0:   keep the topk largest entries of each row, zero the rest (Lazy Neuron top-k)
//   nested = m: MatFormer nested width, only the first m hidden units are used
//               (h[..., m:] = 0, so weights stay the full-size matrices the sub-models share).
#include "blocks/body_builder.h"
#include "ops/common.h"

namespace archscope::ops {

using namespace blocks;

namespace {

const std::map<std::string, std::string>& gluActs() {
    static const std::map<std::string, std::string> m = {{"swiglu", "silu"}, {"geglu", "gelu"}, {"glu", "sigmoid"}, {"bilinear", "identity"}};
    return m;
}

bool expandFfn(const Attrs& a, Graph* g, std::string* err) {
    const int64_t hidden = a.i("hidden"), nested = a.i("nested");
    const bool bias = a.b("bias");
    const std::string& act = a.s("act");
    if (nested >= hidden) { *err = "nested = " + std::to_string(nested) + " must be below hidden = " + std::to_string(hidden) + " (0 = off)"; return false; }
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef h = b.add("up", "linear", {{"out_features", I(hidden)}, {"bias", B(bias)}}, {{"x", x}});
    if (auto it = gluActs().find(act); it != gluActs().end()) {
        PortRef gt = b.add("gate", "linear", {{"out_features", I(hidden)}, {"bias", B(bias)}}, {{"x", x}});
        h = b.add("glu", "gate", {{"act", S(it->second)}}, {{"a", h}, {"b", gt}});
    } else {
        h = b.add("act", act, {}, {{"x", h}});
    }
    if (a.i("topk") > 0) h = b.add("topk", "keep_topk", {{"k", I(a.i("topk"))}}, {{"x", h}});
    if (nested > 0) {
        PortRef used = b.add("nested_used", "slice", {{"axis", I(-1)}, {"start", I(0)}, {"end", I(nested)}}, {{"x", h}});
        PortRef rest = b.add("nested_rest", "slice", {{"axis", I(-1)}, {"start", I(nested)}}, {{"x", h}});
        PortRef zero = b.add("nested_zero", "scale", {{"scale", F(0.0)}}, {{"x", rest}});
        h = b.add("nested", "concat", {{"axis", I(-1)}}, {{"a", used}, {"b", zero}});
    }
    b.output("y", b.add("down", "linear", {{"out_features", I(a.i("d_model"))}, {"bias", B(bias)}}, {{"x", h}}));
    return true;
}

}  // namespace

const OpDef& op_ffn() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "ffn";
        d.displayName = "Feed-Forward";
        d.category = "Blocks";
        d.doc = "Position-wise MLP or gated (GLU/SwiGLU/GeGLU) feed-forward, with optional top-k activation sparsity "
                "and MatFormer nested width.";
        d.inputs = {{"x", PortType::F32, "[..., D]"}};
        d.outputs = {{"y", PortType::F32, "[..., d_model]"}};
        d.attrs = {attrInt("d_model", 64, 1, 1 << 20, "output width"),
                   attrInt("hidden", 256, 1, 1 << 22, "hidden width"),
                   attrEnum("act", "gelu", {"relu", "gelu", "gelu_tanh", "silu", "swiglu", "geglu", "glu", "bilinear"},
                            "activation; swiglu/geglu/glu/bilinear add a gate projection (glu: sigmoid-gated, the GLU-MLP of Activator)"),
                   attrBool("bias", true, "biases on the projections (LLaMA: false)"),
                   attrInt("topk", 0, 0, 1 << 22, "> 0: keep only the topk largest hidden activations per token"),
                   attrInt("nested", 0, 0, 1 << 22, "> 0: MatFormer sub-model using the first `nested` hidden units")};
        d.expand = expandFfn;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
