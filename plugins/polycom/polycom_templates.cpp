// polycom templates (archscope_plugin_templates): polycom_gpt, a LLaMA-style
// decoder LM whose feed-forward activation is PolyNorm (or PolyReLU), as in
// Zhuo et al. 2024, "Polynomial Composition Activations".
//   ids [B, T] -> embedding -> layers x { x + mha(RMSNorm(x), causal, RoPE);
//   x + down(act(up(RMSNorm(x)))) } -> head (RMSNorm, LM projection per position)
#include "archscope_design_writer.hpp"
#include "archscope_plugin.h"

#include <string>

namespace {

enum { kAct, kVocab, kDModel, kLayers, kHeads, kHidden, kOrder, kSeq, kBatch, kParamCount };

using archscope_design::intAttr;

const char* const kActs[] = {"polynorm", "polyrelu"};

archscope_attr_def actParam() {
    archscope_attr_def d{};
    d.name = "act";
    d.type = ARCHSCOPE_ATTR_ENUM;
    d.default_string = "polynorm";
    d.choices = kActs;
    d.choice_count = 2;
    d.doc = "feed-forward activation (the paper's best is PolyNorm)";
    return d;
}

const archscope_attr_def kGptParams[kParamCount] = {
    actParam(),
    intAttr("vocab", 256, 2, 1 << 22, "vocabulary size"),
    intAttr("d_model", 64, 8, 1 << 16, "model width"),
    intAttr("layers", 2, 1, 512, "decoder layers"),
    intAttr("heads", 4, 1, 1024, "attention heads"),
    intAttr("hidden", 0, 0, 1 << 20, "feed-forward width (0: 4 d_model)"),
    intAttr("order", 3, 1, 8, "polynomial order r of the activation (the paper uses 3)"),
    intAttr("seq", 16, 1, 1 << 20, "default sequence length T"),
    intAttr("batch", 1, 1, 4096, "default batch B")};

int buildPolycomGpt(archscope_template_args* a) {
    auto p = [a](int k) { return (long long)a->params[k].i; };
    const std::string act = a->params[kAct].s;
    const long long d = p(kDModel), heads = p(kHeads), hidden = p(kHidden) ? p(kHidden) : 4 * d;
    if (d % heads) {
        const std::string m = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(heads);
        return archscope_fail(a->error, m.c_str());
    }
    using W = archscope_design::Writer;
    W w;
    w.symbol("B", p(kBatch), "batch");
    w.symbol("T", p(kSeq), "sequence length");
    std::string x = w.node("ids", "input", {W::s("shape", "B, T"), W::s("dtype", "i64"), W::i("high", p(kVocab))});
    x = w.node("embed", "embedding", {W::i("num_embeddings", p(kVocab)), W::i("dim", d)}, {{"ids", x}});
    for (long long l = 0; l < p(kLayers); ++l) {
        w.newRow();
        const std::string L = "layer" + std::to_string(l) + "_";
        std::string n1 = w.node(L + "norm1", "rmsnorm", {W::f("eps", 1e-6)}, {{"x", x}});
        std::string at = w.node(L + "attn", "mha",
                                {W::i("d_model", d), W::i("heads", heads), W::b("causal", true), W::s("pos", "rope"), W::b("bias", false)},
                                {{"x", n1}});
        std::string r1 = w.node(L + "res1", "add", {}, {{"a", x}, {"b", at}});
        std::string n2 = w.node(L + "norm2", "rmsnorm", {W::f("eps", 1e-6)}, {{"x", r1}});
        std::string up = w.node(L + "up", "linear", {W::i("out_features", hidden), W::b("bias", false)}, {{"x", n2}});
        std::string ac = w.node(L + "act", act.c_str(), {W::i("order", p(kOrder))}, {{"x", up}});
        std::string dn = w.node(L + "down", "linear", {W::i("out_features", d), W::b("bias", false)}, {{"x", ac}});
        x = w.node(L + "res2", "add", {}, {{"a", r1}, {"b", dn}});
        w.group("layer" + std::to_string(l), "PolyCom layer " + std::to_string(l), {n1, at, r1, n2, up, ac, dn, x});
    }
    w.newRow();
    x = w.node("lm_head", "head",
               {W::i("out_features", p(kVocab)), W::s("pool", "none"), W::s("norm", "rmsnorm"), W::f("eps", 1e-6), W::b("bias", false)},
               {{"x", x}});
    w.node("logits", "output", {}, {{"x", x}});
    return w.finish(a);
}

const archscope_template_def kTemplates[] = {
    {"polycom_gpt", "PolyCom: LLaMA-style LM with PolyNorm MLP",
     "A decoder-only language model in the setting of Zhuo et al. 2024, \"Polynomial Composition Activations: Unleashing "
     "the Dynamics of Large Language Models\": LLaMA-style pre-RMSNorm layers with causal multi-head attention and RoPE, "
     "and a feed-forward down(act(up(x))) whose activation is PolyNorm (each power of x normalised by its RMS) or "
     "PolyReLU, of order 3, from the polycom plugin. Defaults are a miniature (vocabulary 256, d_model 64, 2 layers).",
     "Zhuo et al. 2024, Polynomial Composition Activations", kGptParams, kParamCount, buildPolycomGpt}};

const archscope_template_table kTable = {ARCHSCOPE_TEMPLATES_VERSION, kTemplates, 1};

}  // namespace

ARCHSCOPE_PLUGIN_EXPORT const archscope_template_table* archscope_plugin_templates(void) { return &kTable; }
