// lsa: linear self-attention (no softmax), the layer of the in-context-learning
// constructions (von Oswald et al. 2023, "Transformers learn in-context by gradient descent"):
//   c = x[:, :-1] if exclude_last else x          (context tokens: keys and values)
//   y = x + ((x Wq^T)(c Wk^T)^T (c Wv^T)) Wo^T * alpha
// With Wq = Wk = the projection onto the features, Wv = -(eta/n) e_y e_y^T and Wo = I,
// one layer is one gradient-descent step on the prompt's least-squares loss.
#include "blocks/body_builder.h"
#include "ops/common.h"

namespace archscope::ops {

using namespace blocks;

namespace {

bool expandLsa(const Attrs& a, Graph* g, std::string*) {
    const int64_t d = a.i("d_model");
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef c = a.b("exclude_last") ? b.add("context", "slice", {{"axis", I(-2)}, {"start", I(0)}, {"end", I(-1)}}, {{"x", x}}) : x;
    auto proj = [&](const std::string& n, PortRef in) { return b.add(n, "linear", {{"out_features", I(d)}, {"bias", B(false)}}, {{"x", in}}); };
    PortRef q = proj("q_proj", x), k = proj("k_proj", c), v = proj("v_proj", c);
    PortRef s = b.add("scores", "matmul", {{"transpose_b", B(true)}, {"alpha", F(a.f("alpha"))}}, {{"a", q}, {"b", k}});
    PortRef o = b.add("context_sum", "matmul", {}, {{"a", s}, {"b", v}});
    b.output("y", b.add("sum", "add", {}, {{"a", x}, {"b", proj("o_proj", o)}}));
    return true;
}

}  // namespace

const OpDef& op_lsa() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "lsa";
        d.displayName = "Linear Self-Attention";
        d.category = "Blocks";
        d.doc = "Softmax-free self-attention with a residual, y = x + alpha (q k^T) v Wo^T: the layer of the in-context "
                "gradient-descent constructions; exclude_last keeps the query token out of the keys and values.";
        d.inputs = {{"x", PortType::F32, "[B, T, d_model]"}};
        d.outputs = {{"y", PortType::F32, "[B, T, d_model]"}};
        d.attrs = {attrInt("d_model", 8, 1, 1 << 20, "token width"),
                   attrBool("exclude_last", true, "keys and values from all tokens but the last (the query)"),
                   attrFloat("alpha", 1.0, -1e30, 1e30, "scale of the scores")};
        d.expand = expandLsa;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
