// linear_lm: linear-attention language model (GLA / RetNet / DeltaNet) with a hybrid ratio.
//   ids [B, T] -> embedding -> layers x [x = x + mixer(RMSNorm(x)); x = x + SwiGLU(RMSNorm(x))] -> RMSNorm -> LM head
//   mixer = linear_attention of the chosen kind; with hybrid_ratio r > 0, every (r+1)-th layer
//   is causal softmax attention instead (r linear : 1 full).
#include "blocks/body_builder.h"
#include "templates/lm_parts.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

// linear_attention attributes of each kind, as in the papers.
AttrList mixerAttrs(const std::string& kind, int64_t d, int64_t heads, const std::string& mode, int64_t chunk) {
    AttrList a{{"d_model", I(d)}, {"heads", I(heads)}, {"mode", S(mode)}, {"chunk", I(chunk)}};
    if (kind == "gla") { a["decay"] = S("gla"); a["norm"] = S("rmsnorm"); a["output_gate"] = B(true); }
    else if (kind == "retnet") { a["decay"] = S("fixed"); a["norm"] = S("rmsnorm"); a["output_gate"] = B(true); }
    else if (kind == "deltanet") { a["decay"] = S("delta"); a["feature_map"] = S("silu"); a["norm"] = S("rmsnorm"); }
    else { a["decay"] = S("none"); a["feature_map"] = S("elu1"); a["norm"] = S("denominator"); }
    return a;
}

bool buildLinearLm(const Attrs& p, Graph* g, std::string* err) {
    const int64_t d = p.i("d_model"), layers = p.i("layers"), ratio = p.i("hybrid_ratio"), heads = p.i("heads");
    if (d % heads != 0) { *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(heads); return false; }
    g->symbols = {{"B", p.i("batch"), "batch"}, {"T", p.i("seq"), "sequence length"}};
    BodyBuilder b(g);
    PortRef x = tokenEmbedding(b, p.i("vocab"), d);
    for (int64_t l = 0; l < layers; ++l) {
        const std::string n = "layer" + std::to_string(l);
        PortRef h = b.add(n + "_mix_norm", "rmsnorm", {{"eps", F(1e-5)}}, {{"x", x}});
        if (ratio > 0 && (l + 1) % (ratio + 1) == 0)
            h = b.add(n + "_attn", "mha", {{"d_model", I(d)}, {"heads", I(heads)}, {"causal", B(true)}, {"pos", S("rope")}, {"bias", B(false)}}, {{"x", h}});
        else
            h = b.add(n + "_linear_attn", "linear_attention", mixerAttrs(p.s("kind"), d, heads, p.s("mode"), p.i("chunk")), {{"x", h}});
        x = b.add(n + "_mix_res", "add", {}, {{"a", x}, {"b", h}});
        h = b.add(n + "_ffn_norm", "rmsnorm", {{"eps", F(1e-5)}}, {{"x", x}});
        h = b.add(n + "_ffn", "ffn", {{"d_model", I(d)}, {"hidden", I(p.i("hidden"))}, {"act", S("swiglu")}, {"bias", B(false)}}, {{"x", h}});
        x = b.add(n + "_ffn_res", "add", {}, {{"a", x}, {"b", h}});
    }
    lmHead(b, x, p.i("vocab"), "rmsnorm");
    return true;
}

}  // namespace

const TemplateDef& template_linear_lm() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "linear_lm";
        t.title = "Linear-attention LM (GLA / RetNet / DeltaNet)";
        t.paper = "Yang et al. 2023, Gated Linear Attention Transformers with Hardware-Efficient Training";
        t.description = "A LLaMA-style decoder whose token mixer is linear attention: GLA with a data-dependent gate (Yang et al. "
                        "2023, \"Gated Linear Attention Transformers with Hardware-Efficient Training\"), RetNet retention with a "
                        "fixed decay (Sun et al. 2023, \"Retentive Network\"), DeltaNet's delta rule (Yang et al. 2024, "
                        "\"Parallelizing Linear Transformers with the Delta Rule over Sequence Length\") or plain ELU+1 linear "
                        "attention (Katharopoulos et al. 2020). hybrid_ratio r interleaves one softmax-attention layer after every "
                        "r linear layers (\"A Systematic Analysis of Hybrid Linear Attention\" recommends 3:1 to 6:1); mode picks "
                        "the parallel, chunked or recurrent computation, which give the same outputs.";
        t.params = {attrEnum("kind", "gla", {"gla", "retnet", "deltanet", "linear"}, "linear-attention family"),
                    attrInt("hybrid_ratio", 3, 0, 64, "r linear layers per full-attention layer (0 = no attention layers)"),
                    attrEnum("mode", "chunked", {"parallel", "chunked", "recurrent"}, "how linear attention is computed"),
                    attrInt("chunk", 16, 1, 1 << 16, "chunk length for mode chunked"),
                    attrInt("vocab", 256, 2, 1 << 20, "vocabulary size"),
                    attrInt("d_model", 64, 8, 1 << 16, "model width"),
                    attrInt("layers", 4, 1, 256, "number of layers"),
                    attrInt("heads", 4, 1, 256, "heads of linear and softmax attention"),
                    attrInt("hidden", 172, 1, 1 << 20, "SwiGLU hidden width"),
                    attrInt("batch", 1, 1, 4096, "default B"),
                    attrInt("seq", 32, 1, 1 << 20, "default T")};
        t.build = buildLinearLm;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
