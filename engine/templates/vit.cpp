// vit: Vision Transformer encoder classifier (DeiT-Tiny shape).
//   image [B, C, S, S] -> patch_embed (conv patch x patch, class token, learned positions)
//   -> layers x transformer_layer (pre-LN, GELU MLP, biases) -> head (LN, class token, linear)
#include "blocks/body_builder.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildVit(const Attrs& p, Graph* g, std::string* err) {
    const int64_t d = p.i("d_model"), heads = p.i("heads"), img = p.i("image"), patch = p.i("patch");
    if (d % heads != 0) return *err = "d_model = " + std::to_string(d) + " is not divisible by heads = " + std::to_string(heads), false;
    if (img % patch != 0) return *err = "image = " + std::to_string(img) + " is not a multiple of patch = " + std::to_string(patch), false;
    g->symbols = {{"B", p.i("batch"), "batch"}};
    BodyBuilder b(g);
    const std::string side = std::to_string(img);
    PortRef x = b.add("image", "input", {{"shape", S("B, " + std::to_string(p.i("channels")) + ", " + side + ", " + side)}}, {});
    x = b.add("patches", "patch_embed", {{"d_model", I(d)}, {"patch", I(patch)}, {"image_size", I(img)}, {"cls", I(1)}, {"pos", S("learned")}},
              {{"x", x}});
    AttrList layer = {{"d_model", I(d)}, {"heads", I(heads)}, {"hidden", I(p.i("mlp_ratio") * d)}, {"act", S("gelu")},
                      {"norm", S("layernorm")}, {"eps", F(1e-6)}};
    for (int64_t l = 0; l < p.i("layers"); ++l) x = b.add("layer" + std::to_string(l), "transformer_layer", layer, {{"x", x}});
    x = b.add("head", "head", {{"out_features", I(p.i("classes"))}, {"pool", S("cls")}, {"norm", S("layernorm")}, {"eps", F(1e-6)}}, {{"x", x}});
    b.add("logits", "output", {}, {{"x", x}});
    return true;
}

}  // namespace

const TemplateDef& template_vit() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "vit";
        t.title = "ViT / DeiT encoder";
        t.paper = "Dosovitskiy et al. 2021, An Image is Worth 16x16 Words; Touvron et al. 2021, DeiT";
        t.description = "A Vision Transformer classifier as in Dosovitskiy et al. 2021, \"An Image is Worth 16x16 Words: "
                        "Transformers for Image Recognition at Scale\", with the DeiT-Tiny shape of Touvron et al. 2021, "
                        "\"Training data-efficient image transformers & distillation through attention\": non-overlapping patches "
                        "projected by a strided convolution, a class token and learned positions, pre-LayerNorm encoder layers "
                        "(multi-head self-attention and a 4x GELU MLP) and a LayerNorm + linear head on the class token. "
                        "Defaults are a miniature (32 x 32 images, patch 8, 2 layers of width 192 with 3 heads); DeiT-Tiny is "
                        "image 224, patch 16, layers 12, classes 1000.";
        t.params = {attrInt("image", 32, 1, 1 << 14, "image side S"),
                    attrInt("patch", 8, 1, 1024, "patch side"),
                    attrInt("channels", 3, 1, 1024, "image channels"),
                    attrInt("d_model", 192, 8, 1 << 16, "token width"),
                    attrInt("layers", 2, 1, 512, "encoder layers"),
                    attrInt("heads", 3, 1, 1024, "attention heads"),
                    attrInt("mlp_ratio", 4, 1, 64, "MLP hidden width / d_model"),
                    attrInt("classes", 10, 1, 1 << 20, "classifier outputs"),
                    attrInt("batch", 1, 1, 4096, "default batch B")};
        t.build = buildVit;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
