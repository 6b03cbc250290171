// residual: combines the stream x with a sublayer output f.
//   add:          y = x + f
//   layer_scale:  y = x + gamma * f                       (CaiT/ConvNeXt, gamma [D])
//   gtrxl_gate:   GRU-type gate of GTrXL (Parisotto et al. 2020):
//                 r = sigma(Wr f + Ur x),  z = sigma(Wz f + Uz x - b_g),
//                 h = tanh(Wg f + Ug (r * x)),  y = (1 - z) * x + z * h
// post_norm applies a norm to y (post-LN Transformer); pre-norm lives in front of the sublayer.
#include "blocks/body_builder.h"
#include "ops/common.h"

namespace archscope::ops {

using namespace blocks;

namespace {

PortRef gruGate(BodyBuilder& b, const std::string& n, PortRef x, PortRef f, int64_t d, const std::string& act, std::optional<double> shift) {
    PortRef w = b.add("w" + n, "linear", {{"out_features", I(d)}, {"bias", B(false)}}, {{"x", f}});
    PortRef u = b.add("u" + n, "linear", {{"out_features", I(d)}, {"bias", B(false)}}, {{"x", x}});
    PortRef s = b.add(n + "_sum", "add", {}, {{"a", w}, {"b", u}});
    if (shift) s = b.add(n + "_bias", "scale", {{"bias", F(-*shift)}}, {{"x", s}});
    return b.add(n, act, {}, {{"x", s}});
}

bool expandResidual(const Attrs& a, Graph* g, std::string*) {
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef f = b.input("f");
    const std::string& mode = a.s("mode");
    PortRef y;
    if (mode == "gtrxl_gate") {
        const int64_t d = a.i("d_model");
        PortRef r = gruGate(b, "r", x, f, d, "sigmoid", std::nullopt);
        PortRef z = gruGate(b, "z", x, f, d, "sigmoid", a.f("gate_bias"));
        PortRef rx = b.add("rx", "mul", {}, {{"a", r}, {"b", x}});
        PortRef h = gruGate(b, "h", rx, f, d, "tanh", std::nullopt);
        PortRef diff = b.add("h_minus_x", "sub", {}, {{"a", h}, {"b", x}});
        PortRef zd = b.add("z_mul", "mul", {}, {{"a", z}, {"b", diff}});
        y = b.add("sum", "add", {}, {{"a", x}, {"b", zd}});
    } else {
        if (mode == "layer_scale") f = b.add("scale", "layer_scale", {}, {{"x", f}});
        y = b.add("sum", "add", {}, {{"a", x}, {"b", f}});
    }
    if (a.s("post_norm") != "none") y = b.add("norm", a.s("post_norm"), {{"eps", F(a.f("eps"))}}, {{"x", y}});
    b.output("y", y);
    return true;
}

}  // namespace

const OpDef& op_residual() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "residual";
        d.displayName = "Residual";
        d.category = "Blocks";
        d.doc = "Residual connection y = x + f, with layer scale, the GTrXL GRU-type gate, and optional post-norm.";
        d.inputs = {{"x", PortType::F32, "residual stream [..., D]"}, {"f", PortType::F32, "sublayer output [..., D]"}};
        d.outputs = {{"y", PortType::F32, "[..., D]"}};
        d.attrs = {attrEnum("mode", "add", {"add", "layer_scale", "gtrxl_gate"}, "how x and f combine"),
                   attrInt("d_model", 64, 1, 1 << 20, "width D (used by gtrxl_gate's projections)"),
                   attrFloat("gate_bias", 2.0, -1e6, 1e6, "b_g of gtrxl_gate: > 0 starts the gate near identity"),
                   attrEnum("post_norm", "none", {"none", "layernorm", "rmsnorm"}, "norm applied to y (post-LN)"),
                   attrFloat("eps", 1e-5, 0.0, 1.0, "epsilon of post_norm")};
        d.expand = expandResidual;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
