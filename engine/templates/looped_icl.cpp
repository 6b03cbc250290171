// looped_icl: a looped transformer on the in-context linear-regression testbed.
//   xs [B, n+1, d] (n examples, then the query), ys [B, n, 1]
//   Z = [xs, (ys; 0)]  [B, n+1, d+1]      tokens e_i = (x_i, y_i), query e_q = (x_q, 0)
//   Z_k = loop(lsa, k)(Z)                 one weight-tied linear self-attention layer, k times
//   pred = -Z_k[:, -1, d]                 [B, 1, 1]
// Hand-built weights (von Oswald et al. 2023): Wq = Wk = diag(1..1, 0), Wv = -(eta/n) e_y e_y^T,
// Wo = I. The y channel of example i holds its residual y_i - w^T x_i and the query's holds
// -w^T x_q, so each loop is one gradient-descent step w <- w + (eta/n) sum_i (y_i - w^T x_i) x_i
// from w = 0, and pred after k loops is w_k^T x_q.
#include "blocks/body_builder.h"
#include "templates/template_def.h"

#include <nlohmann/json.hpp>

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildIcl(const Attrs& p, Graph* g, std::string*) {
    const int64_t d = p.i("dim"), n = p.i("examples");
    g->symbols = {{"B", p.i("batch"), "prompts"}};
    BodyBuilder b(g);
    PortRef xs = b.add("xs", "input", {{"shape", S("B, " + std::to_string(n + 1) + ", " + std::to_string(d))}}, {});
    PortRef ys = b.add("ys", "input", {{"shape", S("B, " + std::to_string(n) + ", 1")}}, {});
    PortRef first = b.add("y_first", "slice", {{"axis", I(1)}, {"start", I(0)}, {"end", I(1)}}, {{"x", ys}});
    PortRef zero = b.add("y_query", "scale", {{"scale", F(0.0)}}, {{"x", first}});
    PortRef ycol = b.add("y_column", "concat", {{"axis", I(1)}}, {{"a", ys}, {"b", zero}});
    PortRef z = b.add("tokens", "concat", {{"axis", I(-1)}}, {{"a", xs}, {"b", ycol}});
    nlohmann::json body = {{"d_model", d + 1}, {"exclude_last", true}};
    z = b.add("core", "loop", {{"iterations", I(p.i("loops"))}, {"block", S("lsa")}, {"block_attrs", S(body.dump())}}, {{"x", z}});
    PortRef q = b.add("query", "slice", {{"axis", I(1)}, {"start", I(-1)}}, {{"x", z}});
    q = b.add("readout", "slice", {{"axis", I(-1)}, {"start", I(d)}}, {{"x", q}});
    b.add("pred", "output", {}, {{"x", b.add("negate", "scale", {{"scale", F(-1.0)}}, {{"x", q}})}});
    return true;
}

bool iclWeights(const Attrs& p, std::map<std::string, Tensor>* w, std::string*) {
    const int64_t d = p.i("dim"), D = d + 1;
    auto mat = [D]() { return Tensor(DType::F32, {D, D}); };
    Tensor q = mat(), v = mat(), o = mat();
    for (int64_t i = 0; i < d; ++i) q.f32()[i * D + i] = 1.0f;
    for (int64_t i = 0; i < D; ++i) o.f32()[i * D + i] = 1.0f;
    v.f32()[d * D + d] = float(-p.f("eta") / double(p.i("examples")));
    (*w)["core/it0/q_proj.weight"] = q;
    (*w)["core/it0/k_proj.weight"] = q.clone();
    (*w)["core/it0/v_proj.weight"] = v;
    (*w)["core/it0/o_proj.weight"] = o;
    return true;
}

}  // namespace

const TemplateDef& template_looped_icl() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "looped_icl";
        t.title = "Looped transformer: in-context linear regression";
        t.paper = "von Oswald et al. 2023, Transformers learn in-context by gradient descent; Giannou et al. 2023, Looped Transformers";
        t.description = "A looped transformer (one weight-tied layer applied `loops` times, as in Giannou et al. 2023, \"Looped "
                        "Transformers as Programmable Computers\" and AlgoFormer) on the in-context linear-regression testbed. "
                        "The prompt holds n examples (x_i, y_i) and a query x_q as tokens (x, y). The weights are hand-built as in "
                        "von Oswald et al. 2023, \"Transformers learn in-context by gradient descent\": one linear self-attention "
                        "layer performs one gradient-descent step (learning rate eta) on the prompt's least-squares loss, so the "
                        "prediction after k loops equals k steps of gradient descent from w = 0, and approaches the least-squares "
                        "solution as k grows. The weights ship as a safetensors sidecar.";
        t.params = {attrInt("dim", 5, 1, 4096, "input dimension d"),
                    attrInt("examples", 10, 1, 1 << 16, "in-context examples n"),
                    attrInt("loops", 3, 1, 1024, "loop iterations k = gradient-descent steps"),
                    attrFloat("eta", 0.5, 1e-6, 100, "gradient-descent learning rate"),
                    attrInt("batch", 1, 1, 4096, "default number of prompts B")};
        t.build = buildIcl;
        t.weights = iclWeights;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
