// metaformer: MetaFormer classifier with a pluggable token mixer (Yu et al. 2022).
//   image [B, 3, S, S] -> stem conv 7x7 stride 4 pad 2 -> channels-last [B, H, W, C]
//   stage s (width dims[s], depths[s] blocks; stages after the first start with a 3x3 stride-2 conv):
//     x = x + Mixer(LN(x));  x = x + MLP(LN(x))           (MLP: C -> 4C -> C, GELU)
//   -> LN -> mean over tokens -> classifier.
// Mixer: pool (PoolFormer: avgpool(x) - x), attention (multi-head self-attention over the H*W
// tokens), mlp (MLP-Mixer token MLP), gmlp (gMLP spatial gating), activator (a GLU MLP per token
// in place of attention, as in Activator).
#include "blocks/body_builder.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

PortRef mixer(BodyBuilder& b, const std::string& n, const std::string& kind, PortRef h, int64_t c, int64_t res, int64_t heads) {
    if (kind == "attention") {
        h = b.add(n + "_tokens", "flatten", {{"start_axis", I(1)}, {"end_axis", I(2)}}, {{"x", h}});
        h = b.add(n + "_attention", "mha", {{"d_model", I(c)}, {"heads", I(heads)}}, {{"x", h}});
        return b.add(n + "_to_map", "unflatten", {{"axis", I(1)}, {"sizes", Is({res, res})}}, {{"x", h}});
    }
    if (kind == "activator") return b.add(n + "_activator", "ffn", {{"d_model", I(c)}, {"hidden", I(4 * c)}, {"act", S("glu")}}, {{"x", h}});
    return b.add(n + "_mixer", "token_mixer",
                 {{"mode", S(kind)}, {"height", I(res)}, {"width", I(res)}, {"hidden", I(kind == "gmlp" ? 2 * c : res * res)}, {"dim", I(c)}},
                 {{"x", h}});
}

bool buildMetaFormer(const Attrs& p, Graph* g, std::string* err) {
    const int64_t img = p.i("image");
    const auto& dims = p.ints("dims");
    const auto& depths = p.ints("depths");
    const std::string& kind = p.s("mixer");
    if (dims.empty() || dims.size() != depths.size())
        return *err = "dims and depths need one entry per stage (got " + std::to_string(dims.size()) + " and " + std::to_string(depths.size()) + ")", false;
    int64_t res = (img + 2 * 2 - 7) / 4 + 1;
    if (res < 1 || (img + 4 - 7) < 0) return *err = "image " + std::to_string(img) + " is too small for the 7x7 stride-4 stem", false;
    g->symbols = {{"B", p.i("batch"), "batch"}};
    BodyBuilder b(g);
    PortRef x = b.add("image", "input", {{"shape", S("B, 3, " + std::to_string(img) + ", " + std::to_string(img))}}, {});
    x = b.add("stem", "conv2d", {{"out_channels", I(dims[0])}, {"kernel", Is({7, 7})}, {"stride", Is({4, 4})}, {"padding", Is({2, 2})}}, {{"x", x}});
    x = b.add("stem_nhwc", "permute", {{"perm", Is({0, 2, 3, 1})}}, {{"x", x}});
    for (size_t s = 0; s < dims.size(); ++s) {
        const int64_t c = dims[s];
        if (kind == "attention" && c % p.i("heads") != 0)
            return *err = "stage " + std::to_string(s) + ": width " + std::to_string(c) + " is not divisible by heads " + std::to_string(p.i("heads")), false;
        if (s > 0) {
            const std::string n = "down" + std::to_string(s);
            x = b.add(n + "_nchw", "permute", {{"perm", Is({0, 3, 1, 2})}}, {{"x", x}});
            x = b.add(n, "conv2d", {{"out_channels", I(c)}, {"kernel", Is({3, 3})}, {"stride", Is({2, 2})}, {"padding", Is({1, 1})}}, {{"x", x}});
            x = b.add(n + "_nhwc", "permute", {{"perm", Is({0, 2, 3, 1})}}, {{"x", x}});
            res = (res - 1) / 2 + 1;
        }
        for (int64_t i = 0; i < depths[s]; ++i) {
            const std::string n = "s" + std::to_string(s) + "_b" + std::to_string(i);
            PortRef h = b.add(n + "_norm1", "layernorm", {}, {{"x", x}});
            h = mixer(b, n, kind, h, c, res, p.i("heads"));
            x = b.add(n + "_res1", "add", {}, {{"a", x}, {"b", h}});
            if (kind == "activator" && p.b("lean")) continue;  // Activator's lean variant: no second, non-gated MLP
            h = b.add(n + "_norm2", "layernorm", {}, {{"x", x}});
            h = b.add(n + "_mlp", "ffn", {{"d_model", I(c)}, {"hidden", I(4 * c)}, {"act", S("gelu")}}, {{"x", h}});
            x = b.add(n + "_res2", "add", {}, {{"a", x}, {"b", h}});
        }
    }
    x = b.add("tokens", "flatten", {{"start_axis", I(1)}, {"end_axis", I(2)}}, {{"x", x}});
    x = b.add("head", "head", {{"out_features", I(p.i("classes"))}, {"pool", S("mean")}, {"norm", S("layernorm")}}, {{"x", x}});
    b.add("logits", "output", {}, {{"x", x}});
    return true;
}

}  // namespace

const TemplateDef& template_metaformer() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "metaformer";
        t.title = "MetaFormer (pluggable token mixer)";
        t.paper = "Yu et al. 2022, MetaFormer Is Actually What You Need for Vision";
        t.description = "The general MetaFormer block of Yu et al. 2022, \"MetaFormer Is Actually What You Need for Vision\": "
                        "x + Mixer(Norm(x)) then x + MLP(Norm(x)), in a four-stage PoolFormer-style hierarchy. The token mixer is "
                        "a parameter: pool (PoolFormer's parameter-free pooling), attention (multi-head self-attention), mlp "
                        "(MLP-Mixer, Tolstikhin et al. 2021), gmlp (gMLP spatial gating, Liu et al. 2021) or activator (a GLU MLP "
                        "per token in place of attention, as in the Activator vision Transformer). Swapping it keeps everything "
                        "else equal, for the latency, FLOPs and parameter comparison of the paper. PoolFormer-S12 is dims "
                        "64,128,320,512, depths 2,2,6,2 at 224 x 224; the default is a miniature.";
        t.params = {attrEnum("mixer", "pool", {"pool", "attention", "mlp", "gmlp", "activator"}, "token mixer of every block"),
                    attrBool("lean", false, "activator mixer only: drop the second (non-gated) MLP of each block, as Activator's reduced model"),
                    attrInt("image", 64, 8, 4096, "image side"),
                    attrInts("dims", {16, 32, 64, 128}, "width per stage"),
                    attrInts("depths", {1, 1, 2, 1}, "blocks per stage"),
                    attrInt("heads", 4, 1, 256, "attention heads (mixer attention)"),
                    attrInt("classes", 10, 1, 1 << 20, "classifier outputs"),
                    attrInt("batch", 1, 1, 4096, "default B")};
        t.build = buildMetaFormer;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
