// gtrxl: Gated Transformer-XL (Parisotto et al. 2020) over a segment of observations.
//   obs [B, T, obs_dim] -> linear embedding -> layers x transformer_layer with
//   identity-map reordering (pre-LN, ReLU on sublayer outputs), GRU-type gated residuals and
//   segment memory: layer l attends over concat(mem_l, h_l) (mem_l [B, mem_len, d_model]).
//   head: LN + linear per step (policy logits [B, T, actions]).
//   next_mem_l = the last mem_len rows of concat(mem_l, h_l), the memory for the next segment.
// RoPE in attention stands in for Transformer-XL's relative position encoding.
#include "blocks/body_builder.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildGtrxl(const Attrs& p, Graph* g, std::string* err) {
    const int64_t d = p.i("d_model"), heads = p.i("heads"), m = p.i("mem_len");
    if (d % heads != 0) return *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(heads), false;
    g->symbols = {{"B", p.i("batch"), "batch"}, {"T", p.i("seq"), "segment length"}};
    BodyBuilder b(g);
    PortRef x = b.add("obs", "input", {{"shape", S("B, T, " + std::to_string(p.i("obs_dim")))}}, {});
    x = b.add("embed", "linear", {{"out_features", I(d)}}, {{"x", x}});
    AttrList layer = {{"d_model", I(d)}, {"heads", I(heads)}, {"hidden", I(p.i("hidden"))}, {"act", S("relu")},
                      {"norm", S("layernorm")}, {"residual", S("gtrxl_gate")}, {"gate_bias", F(p.f("gate_bias"))},
                      {"causal", B(true)}, {"pos", S("rope")}, {"memory", B(true)}, {"mem_len", I(m)}};
    for (int64_t l = 0; l < p.i("layers"); ++l) {
        const std::string n = std::to_string(l);
        PortRef mem = b.add("mem" + n, "input", {{"shape", S("B, " + std::to_string(m) + ", " + std::to_string(d))}}, {});
        PortRef all = b.add("mem" + n + "_cat", "concat", {{"axis", I(1)}}, {{"a", mem}, {"b", x}});
        PortRef next = b.add("mem" + n + "_next", "slice", {{"axis", I(1)}, {"start", I(-m)}}, {{"x", all}});
        b.add("next_mem" + n, "output", {}, {{"x", next}});
        x = b.add("layer" + n, "transformer_layer", layer, {{"x", x}, {"mem", mem}});
    }
    x = b.add("policy", "head", {{"out_features", I(p.i("actions"))}, {"pool", S("none")}, {"norm", S("layernorm")}}, {{"x", x}});
    b.add("logits", "output", {}, {{"x", x}});
    return true;
}

}  // namespace

const TemplateDef& template_gtrxl() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "gtrxl";
        t.title = "GTrXL (gated Transformer-XL)";
        t.paper = "Parisotto et al. 2020, Stabilizing Transformers for Reinforcement Learning";
        t.description = "The Gated Transformer-XL of Parisotto et al. 2020, \"Stabilizing Transformers for Reinforcement "
                        "Learning\": Transformer-XL layers with segment memory (each layer attends over its cached hidden states "
                        "of the previous segment followed by the current ones, causally), the identity-map reordering (LayerNorm "
                        "before each sublayer, ReLU after it) and GRU-type gates in place of the residual additions, with the "
                        "update gate biased (gate_bias) so each layer starts close to the identity. Observations are embedded "
                        "linearly and a per-step head gives policy logits; next_mem outputs carry the memory to the next segment. "
                        "RoPE stands in for Transformer-XL's relative position encoding.";
        t.params = {attrInt("obs_dim", 16, 1, 1 << 16, "observation features per step"),
                    attrInt("d_model", 64, 8, 1 << 16, "model width"),
                    attrInt("layers", 2, 1, 512, "layers"),
                    attrInt("heads", 4, 1, 1024, "attention heads"),
                    attrInt("hidden", 128, 1, 1 << 20, "feed-forward width"),
                    attrInt("mem_len", 8, 1, 1 << 20, "memory length per layer"),
                    attrFloat("gate_bias", 2.0, -100, 100, "b_g of the GRU gates"),
                    attrInt("actions", 4, 1, 1 << 16, "policy outputs per step"),
                    attrInt("seq", 8, 1, 1 << 20, "default segment length T"),
                    attrInt("batch", 1, 1, 4096, "default batch B")};
        t.build = buildGtrxl;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
