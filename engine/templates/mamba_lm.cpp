// mamba_lm: Mamba language model (Gu & Dao 2023), optionally hybrid with attention layers.
//   ids [B, T] -> embedding -> layers x [x = x + mixer(RMSNorm(x))] -> RMSNorm -> LM head
//   mixer = mamba block; preset hybrid makes every attn_every-th mixer causal RoPE attention
//   (as in Mamba-2-Hybrid / Jamba-style stacks).
#include "blocks/body_builder.h"
#include "templates/lm_parts.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildMambaLm(const Attrs& p, Graph* g, std::string* err) {
    const int64_t d = p.i("d_model"), layers = p.i("layers"), every = p.i("attn_every");
    const bool hybrid = p.s("preset") == "hybrid";
    if (hybrid && d % p.i("heads") != 0) { *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(p.i("heads")); return false; }
    g->symbols = {{"B", p.i("batch"), "batch"}, {"T", p.i("seq"), "sequence length"}};
    BodyBuilder b(g);
    PortRef x = tokenEmbedding(b, p.i("vocab"), d);
    for (int64_t l = 0; l < layers; ++l) {
        const std::string n = "layer" + std::to_string(l);
        PortRef h = b.add(n + "_norm", "rmsnorm", {{"eps", F(1e-5)}}, {{"x", x}});
        if (hybrid && (l + 1) % every == 0)
            h = b.add(n + "_attn", "mha", {{"d_model", I(d)}, {"heads", I(p.i("heads"))}, {"causal", B(true)}, {"pos", S("rope")}, {"bias", B(false)}}, {{"x", h}});
        else
            h = b.add(n + "_mamba", "mamba", {{"d_model", I(d)}, {"d_state", I(p.i("d_state"))}, {"d_conv", I(p.i("d_conv"))}, {"expand", I(p.i("expand"))}}, {{"x", h}});
        x = b.add(n + "_res", "add", {}, {{"a", x}, {"b", h}});
    }
    lmHead(b, x, p.i("vocab"), "rmsnorm");
    return true;
}

}  // namespace

const TemplateDef& template_mamba_lm() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "mamba_lm";
        t.title = "Mamba LM (+ hybrid)";
        t.paper = "Gu & Dao 2023, Mamba: Linear-Time Sequence Modeling with Selective State Spaces";
        t.description = "A Mamba language model (Gu & Dao 2023, \"Mamba: Linear-Time Sequence Modeling with Selective State "
                        "Spaces\"): token embedding, a stack of pre-RMSNorm residual Mamba blocks (selective scan with "
                        "input-dependent dt, B, C; short causal conv; SiLU gating) and an RMSNorm + linear LM head. The hybrid preset "
                        "replaces every attn_every-th Mamba mixer by causal RoPE attention, the recipe of Mamba-2-Hybrid "
                        "(Waleffe et al. 2024, \"An Empirical Study of Mamba-based Language Models\").";
        t.params = {attrEnum("preset", "mamba", {"mamba", "hybrid"}, "pure Mamba stack or hybrid with attention layers"),
                    attrInt("vocab", 256, 2, 1 << 20, "vocabulary size"),
                    attrInt("d_model", 64, 8, 1 << 16, "model width"),
                    attrInt("layers", 4, 1, 256, "number of residual layers"),
                    attrInt("d_state", 16, 1, 1024, "SSM state size N"),
                    attrInt("d_conv", 4, 1, 64, "short conv width"),
                    attrInt("expand", 2, 1, 16, "inner width = expand * d_model"),
                    attrInt("heads", 4, 1, 256, "hybrid: attention heads"),
                    attrInt("attn_every", 4, 1, 256, "hybrid: every n-th layer is attention (4: 1 attention per 3 Mamba)"),
                    attrInt("batch", 1, 1, 4096, "default B"),
                    attrInt("seq", 32, 1, 1 << 20, "default T")};
        t.build = buildMambaLm;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
