// kat templates (archscope_plugin_templates): kat_vit, a Vision Transformer
// whose MLPs are the Kolmogorov-Arnold Transformer's GR-KAN feed-forward
// (Yang & Wang 2024), i.e. KAT-T/S/B when sized like DeiT.
//   image [B, C, S, S] -> patch_embed (class token, learned positions)
//   -> layers x { x + mha(LN(x));  x + kat_ffn(LN(x)) } -> head (LN, class token, linear)
#include "archscope_design_writer.hpp"
#include "archscope_plugin.h"

#include <string>

namespace {

enum { kImage, kPatch, kChannels, kDModel, kLayers, kHeads, kMlpRatio, kGroups, kClasses, kBatch, kParamCount };

using archscope_design::intAttr;

const archscope_attr_def kVitParams[kParamCount] = {
    intAttr("image", 32, 1, 1 << 14, "image side S"),
    intAttr("patch", 8, 1, 1024, "patch side"),
    intAttr("channels", 3, 1, 1024, "image channels"),
    intAttr("d_model", 192, 8, 1 << 16, "token width (divisible by heads and groups)"),
    intAttr("layers", 2, 1, 512, "encoder layers"),
    intAttr("heads", 3, 1, 1024, "attention heads"),
    intAttr("mlp_ratio", 4, 1, 64, "GR-KAN hidden width / d_model"),
    intAttr("groups", 8, 1, 65536, "rational groups of every GR-KAN activation (the paper uses 8)"),
    intAttr("classes", 10, 1, 1 << 20, "classifier outputs"),
    intAttr("batch", 1, 1, 4096, "default batch B")};

// "<name> = <x> is not <relation> <other> = <y>"
int fail(archscope_template_args* a, const char* name, long long x, const char* relation, const char* other, long long y) {
    const std::string m = std::string(name) + " = " + std::to_string(x) + " is not " + relation + " " + other + " = " + std::to_string(y);
    return archscope_fail(a->error, m.c_str());
}

int buildKatVit(archscope_template_args* a) {
    auto p = [a](int k) { return (long long)a->params[k].i; };
    const long long d = p(kDModel), heads = p(kHeads), groups = p(kGroups), hidden = p(kMlpRatio) * d;
    if (d % heads) return fail(a, "d_model", d, "divisible by", "heads", heads);
    if (d % groups) return fail(a, "d_model", d, "divisible by", "groups", groups);
    if (p(kImage) % p(kPatch)) return fail(a, "image", p(kImage), "a multiple of", "patch", p(kPatch));
    using W = archscope_design::Writer;
    W w;
    w.symbol("B", p(kBatch), "batch");
    const std::string side = std::to_string(p(kImage));
    std::string x = w.node("image", "input", {W::s("shape", "B, " + std::to_string(p(kChannels)) + ", " + side + ", " + side)});
    x = w.node("patches", "patch_embed",
               {W::i("d_model", d), W::i("patch", p(kPatch)), W::i("image_size", p(kImage)), W::i("cls", 1), W::s("pos", "learned")}, {{"x", x}});
    for (long long l = 0; l < p(kLayers); ++l) {
        w.newRow();
        const std::string L = "layer" + std::to_string(l) + "_";
        std::string n1 = w.node(L + "norm1", "layernorm", {W::f("eps", 1e-6)}, {{"x", x}});
        std::string at = w.node(L + "attn", "mha", {W::i("d_model", d), W::i("heads", heads)}, {{"x", n1}});
        std::string r1 = w.node(L + "res1", "add", {}, {{"a", x}, {"b", at}});
        std::string n2 = w.node(L + "norm2", "layernorm", {W::f("eps", 1e-6)}, {{"x", r1}});
        std::string ff = w.node(L + "kan", "kat_ffn", {W::i("d_model", d), W::i("hidden", hidden), W::i("groups", groups)}, {{"x", n2}});
        x = w.node(L + "res2", "add", {}, {{"a", r1}, {"b", ff}});
        w.group("layer" + std::to_string(l), "KAT layer " + std::to_string(l), {n1, at, r1, n2, ff, x});
    }
    w.newRow();
    x = w.node("head", "head", {W::i("out_features", p(kClasses)), W::s("pool", "cls"), W::s("norm", "layernorm"), W::f("eps", 1e-6)}, {{"x", x}});
    w.node("logits", "output", {}, {{"x", x}});
    return w.finish(a);
}

const archscope_template_def kTemplates[] = {
    {"kat_vit", "KAT: ViT with GR-KAN feed-forward",
     "The Kolmogorov-Arnold Transformer of Yang & Wang 2024, \"Kolmogorov-Arnold Transformer\": a ViT/DeiT encoder "
     "(patch embedding with a class token and learned positions, pre-LayerNorm multi-head self-attention) whose MLPs are "
     "GR-KAN layers, fc2(rational(fc1(rational(x)))), with group-rational activations shared by groups of channels "
     "(kat_ffn of the kat plugin). Defaults are a miniature (32 x 32 images, patch 8, 2 layers of width 192 with 3 heads); "
     "KAT-T is image 224, patch 16, layers 12, d_model 192, heads 3, classes 1000.",
     "Yang & Wang 2024, Kolmogorov-Arnold Transformer", kVitParams, kParamCount, buildKatVit}};

const archscope_template_table kTable = {ARCHSCOPE_TEMPLATES_VERSION, kTemplates, 1};

}  // namespace

ARCHSCOPE_PLUGIN_EXPORT const archscope_template_table* archscope_plugin_templates(void) { return &kTable; }
