// gpt: decoder-only language model.
//   ids [B, T] -> embedding (-> learned positions for gpt2) -> layers x transformer_layer
//   (causal, pre-norm) -> head (final norm, LM projection per position) -> logits [B, T, vocab]
// llama: RMSNorm, RoPE in attention, SwiGLU FFN, no biases, optional GQA (kv_heads).
// gpt2:  LayerNorm, learned absolute positions, GELU (tanh) MLP of 4 d_model, biases.
#include "blocks/body_builder.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildGpt(const Attrs& p, Graph* g, std::string* err) {
    const bool llama = p.s("preset") == "llama";
    const int64_t d = p.i("d_model"), heads = p.i("heads"), kv = p.i("kv_heads");
    if (d % heads != 0) return *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(heads), false;
    if (kv && heads % kv != 0) return *err = "heads = " + std::to_string(heads) + " is not a multiple of kv_heads = " + std::to_string(kv), false;
    if (!llama && kv) return *err = "kv_heads (GQA) is a llama-preset option; leave it 0 for gpt2", false;
    if (p.i("seq") > p.i("ctx")) return *err = "seq = " + std::to_string(p.i("seq")) + " exceeds ctx = " + std::to_string(p.i("ctx")), false;
    const int64_t hidden = p.i("hidden") ? p.i("hidden") : llama ? (8 * d / 3 + 15) / 16 * 16 : 4 * d;
    g->symbols = {{"B", p.i("batch"), "batch"}, {"T", p.i("seq"), "sequence length (at most ctx)"}};
    BodyBuilder b(g);
    PortRef x = b.add("ids", "input", {{"shape", S("B, T")}, {"dtype", S("i64")}, {"high", I(p.i("vocab"))}}, {});
    x = b.add("embed", "embedding", {{"num_embeddings", I(p.i("vocab"))}, {"dim", I(d)}}, {{"ids", x}});
    if (!llama) x = b.add("pos", "pos_learned", {{"max_len", I(p.i("ctx"))}}, {{"x", x}});
    AttrList layer = {{"d_model", I(d)}, {"heads", I(heads)}, {"kv_heads", I(kv)}, {"hidden", I(hidden)},
                      {"act", S(llama ? "swiglu" : "gelu_tanh")}, {"norm", S(llama ? "rmsnorm" : "layernorm")},
                      {"causal", B(true)}, {"pos", S(llama ? "rope" : "none")}, {"bias", B(!llama)},
                      {"eps", F(llama ? 1e-6 : 1e-5)}};
    for (int64_t l = 0; l < p.i("layers"); ++l) x = b.add("layer" + std::to_string(l), "transformer_layer", layer, {{"x", x}});
    if (p.b("tie_embeddings")) {  // final norm, then logits = h E^T with the embedding table E itself
        x = b.add("final_norm", llama ? "rmsnorm" : "layernorm", {{"eps", F(llama ? 1e-6 : 1e-5)}}, {{"x", x}});
        x = b.add("lm_head", "linear", {{"out_features", I(p.i("vocab"))}, {"bias", B(false)}}, {{"x", x}});
        g->node(x.node)->weightsOf = "embed";
    } else {
        x = b.add("lm_head", "head", {{"out_features", I(p.i("vocab"))}, {"pool", S("none")}, {"norm", S(llama ? "rmsnorm" : "layernorm")},
                                      {"eps", F(llama ? 1e-6 : 1e-5)}, {"bias", B(false)}}, {{"x", x}});
    }
    b.add("logits", "output", {}, {{"x", x}});
    return true;
}

}  // namespace

const TemplateDef& template_gpt() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "gpt";
        t.title = "GPT-style decoder LM";
        t.paper = "Touvron et al. 2023, LLaMA; Radford et al. 2019, GPT-2";
        t.description = "A decoder-only Transformer language model. The llama preset follows Touvron et al. 2023, \"LLaMA: Open "
                        "and Efficient Foundation Language Models\": pre-normalisation with RMSNorm, rotary position embeddings "
                        "(RoPE) inside causal multi-head attention (optionally grouped-query, kv_heads), a SwiGLU feed-forward of "
                        "about 8/3 d_model, and no biases. The gpt2 preset follows Radford et al. 2019, \"Language Models are "
                        "Unsupervised Multitask Learners\": LayerNorm, learned absolute positions, a 4 d_model GELU MLP and biases. "
                        "Defaults are a miniature (vocabulary 256, d_model 64, 2 layers); GPT-2 small is gpt2 with vocab 50257, "
                        "ctx 1024, d_model 768, layers 12, heads 12 and tie_embeddings (124,439,808 parameters); tie_embeddings makes "
                        "the LM head reuse the embedding table (weights_of), as GPT-2 does.";
        t.params = {attrEnum("preset", "llama", {"llama", "gpt2"}, "architecture family"),
                    attrInt("vocab", 256, 2, 1 << 22, "vocabulary size"),
                    attrInt("d_model", 64, 8, 1 << 16, "model width"),
                    attrInt("layers", 2, 1, 512, "transformer layers"),
                    attrInt("heads", 4, 1, 1024, "attention heads"),
                    attrInt("kv_heads", 0, 0, 1024, "llama: key/value heads for GQA/MQA (0 = heads)"),
                    attrInt("hidden", 0, 0, 1 << 20, "feed-forward width (0: 8/3 d_model rounded up to 16 for llama, 4 d_model for gpt2)"),
                    attrBool("tie_embeddings", false, "LM head reuses the embedding table (GPT-2); false: a separate head (LLaMA)"),
                    attrInt("ctx", 128, 1, 1 << 20, "gpt2: rows of the learned position table (longest sequence)"),
                    attrInt("seq", 16, 1, 1 << 20, "default sequence length T"),
                    attrInt("batch", 1, 1, 4096, "default batch B")};
        t.build = buildGpt;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
