// moe_lm: decoder-only MoE Transformer LM (Switch Transformer top-1, GShard top-2, shared expert).
//   ids [B, T] -> embedding -> layers x [x = x + MHA(RMSNorm(x)); x = x + MoE(RMSNorm(x))] -> RMSNorm -> LM head
//   MHA: causal, RoPE, no biases. MoE: softmax router, top-k with capacity factor, GELU experts.
//   Each layer's router load [experts] is also a design output ("<layer>_load").
#include "blocks/body_builder.h"
#include "templates/lm_parts.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildMoeLm(const Attrs& p, Graph* g, std::string* err) {
    const int64_t d = p.i("d_model"), layers = p.i("layers");
    const std::string& preset = p.s("preset");
    if (d % p.i("heads") != 0) { *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(p.i("heads")); return false; }
    const int64_t k = preset == "switch" ? 1 : 2;
    if (k > p.i("experts")) { *err = "preset " + preset + " routes to 2 experts but experts = " + std::to_string(p.i("experts")); return false; }
    g->symbols = {{"B", p.i("batch"), "batch"}, {"T", p.i("seq"), "sequence length"}};
    BodyBuilder b(g);
    PortRef x = tokenEmbedding(b, p.i("vocab"), d);
    for (int64_t l = 0; l < layers; ++l) {
        const std::string n = "layer" + std::to_string(l);
        PortRef h = b.add(n + "_attn_norm", "rmsnorm", {{"eps", F(1e-5)}}, {{"x", x}});
        h = b.add(n + "_attn", "mha", {{"d_model", I(d)}, {"heads", I(p.i("heads"))}, {"causal", B(true)}, {"pos", S("rope")}, {"bias", B(false)}}, {{"x", h}});
        x = b.add(n + "_attn_res", "add", {}, {{"a", x}, {"b", h}});
        h = b.add(n + "_moe_norm", "rmsnorm", {{"eps", F(1e-5)}}, {{"x", x}});
        h = b.add(n + "_moe", "moe",
                  {{"d_model", I(d)}, {"experts", I(p.i("experts"))}, {"k", I(k)}, {"hidden", I(p.i("hidden"))},
                   {"capacity_factor", F(p.f("capacity_factor"))}, {"normalize", B(k > 1)}, {"shared_expert", B(preset == "shared")}},
                  {{"x", h}});
        b.add(n + "_load", "output", {}, {{"x", {n + "_moe", "load"}}});
        x = b.add(n + "_moe_res", "add", {}, {{"a", x}, {"b", h}});
    }
    lmHead(b, x, p.i("vocab"), "rmsnorm");
    return true;
}

}  // namespace

const TemplateDef& template_moe_lm() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "moe_lm";
        t.title = "MoE Transformer LM";
        t.paper = "Fedus et al. 2021, Switch Transformers";
        t.description = "A decoder-only Transformer whose feed-forward layers are sparse mixtures of experts. Preset switch "
                        "routes each token to one expert (Fedus et al. 2021, \"Switch Transformers: Scaling to Trillion "
                        "Parameter Models with Simple and Efficient Sparsity\"), top2 to two renormalised experts (GShard, "
                        "Lepikhin et al. 2020), shared adds an always-on shared expert as in DeepSeekMoE and Hunyuan-TurboS. "
                        "Tokens beyond an expert's capacity (capacity_factor) are dropped; every layer's router load is an "
                        "output of the design.";
        t.params = {attrEnum("preset", "switch", {"switch", "top2", "shared"}, "switch: top-1; top2: top-2; shared: top-2 + shared expert"),
                    attrInt("vocab", 256, 2, 1 << 20, "vocabulary size"),
                    attrInt("d_model", 64, 8, 1 << 16, "model width"),
                    attrInt("layers", 2, 1, 256, "number of layers"),
                    attrInt("heads", 4, 1, 256, "attention heads"),
                    attrInt("experts", 8, 1, 4096, "routed experts per layer"),
                    attrInt("hidden", 128, 1, 1 << 20, "hidden width of each expert"),
                    attrFloat("capacity_factor", 1.25, 0.0, 64.0, "expert capacity factor (0 = unlimited)"),
                    attrInt("batch", 1, 1, 4096, "default B"),
                    attrInt("seq", 32, 1, 1 << 20, "default T")};
        t.build = buildMoeLm;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
