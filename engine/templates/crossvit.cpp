// crossvit: dual-branch CrossViT classifier (Chen et al. 2021).
//   small branch: patch_embed(p_s, D_s, CLS, learned positions); large branch: patch_embed(p_l, D_l, ...)
//   fusion stage k (k < stages): small branch depth_s, large branch depth_l pre-norm Transformer layers,
//                                then cross_scale_fusion (CLS of each branch attends to the other's patches)
//   logits = (head_s(CLS_s) + head_l(CLS_l)) / 2
#include "blocks/body_builder.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

PortRef layers(BodyBuilder& b, const std::string& prefix, PortRef x, int64_t n, int64_t d, int64_t heads, int64_t ratio) {
    for (int64_t i = 0; i < n; ++i)
        x = b.add(prefix + std::to_string(i), "transformer_layer",
                  {{"d_model", I(d)}, {"heads", I(heads)}, {"hidden", I(d * ratio)}, {"act", S("gelu")}, {"eps", F(1e-6)}}, {{"x", x}});
    return x;
}

bool buildCrossVit(const Attrs& p, Graph* g, std::string* err) {
    const int64_t img = p.i("image"), ps = p.i("small_patch"), pl = p.i("large_patch");
    const int64_t ds = p.i("small_dim"), dl = p.i("large_dim"), heads = p.i("heads");
    if (img % ps != 0 || img % pl != 0)
        return *err = "image " + std::to_string(img) + " must be divisible by small_patch and large_patch", false;
    if (ds % heads != 0 || dl % heads != 0) return *err = "small_dim and large_dim must be divisible by heads " + std::to_string(heads), false;
    g->symbols = {{"B", p.i("batch"), "batch"}};
    BodyBuilder b(g);
    PortRef im = b.add("image", "input", {{"shape", S("B, 3, " + std::to_string(img) + ", " + std::to_string(img))}}, {});
    PortRef xs = b.add("small_embed", "patch_embed", {{"d_model", I(ds)}, {"patch", I(ps)}, {"image_size", I(img)}}, {{"x", im}});
    PortRef xl = b.add("large_embed", "patch_embed", {{"d_model", I(dl)}, {"patch", I(pl)}, {"image_size", I(img)}}, {{"x", im}});
    for (int64_t k = 0; k < p.i("stages"); ++k) {
        const std::string n = "stage" + std::to_string(k);
        xs = layers(b, n + "_small", xs, p.i("small_depth"), ds, heads, p.i("mlp_ratio"));
        xl = layers(b, n + "_large", xl, p.i("large_depth"), dl, heads, p.i("mlp_ratio"));
        b.add(n + "_fusion", "cross_scale_fusion", {{"dim_a", I(ds)}, {"dim_b", I(dl)}, {"heads", I(heads)}}, {{"a", xs}, {"b", xl}});
        xs = {n + "_fusion", "a_out"};
        xl = {n + "_fusion", "b_out"};
    }
    const int64_t classes = p.i("classes");
    PortRef ys = b.add("small_head", "head", {{"out_features", I(classes)}, {"pool", S("cls")}, {"eps", F(1e-6)}}, {{"x", xs}});
    PortRef yl = b.add("large_head", "head", {{"out_features", I(classes)}, {"pool", S("cls")}, {"eps", F(1e-6)}}, {{"x", xl}});
    PortRef y = b.add("head_sum", "add", {}, {{"a", ys}, {"b", yl}});
    y = b.add("head_mean", "scale", {{"scale", F(0.5)}}, {{"x", y}});
    b.add("logits", "output", {}, {{"x", y}});
    return true;
}

}  // namespace

const TemplateDef& template_crossvit() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "crossvit";
        t.title = "CrossViT";
        t.paper = "Chen et al. 2021, CrossViT";
        t.description = "Dual-branch vision Transformer from Chen, Fan and Panda 2021, \"CrossViT: Cross-Attention Multi-Scale "
                        "Vision Transformer for Image Classification\". A small-patch branch (fine, many tokens) and a large-patch "
                        "branch (coarse, few tokens) run their own Transformer layers; after each stage the branches exchange "
                        "information through CLS-token cross-attention, where each branch's CLS token is the single query over "
                        "the other branch's patch tokens (linear cost). The prediction averages both CLS classifiers. "
                        "CrossViT-S uses 240 x 240 images with patches 12 and 16; the default is a miniature.";
        t.params = {attrInt("image", 32, 8, 4096, "image side"),
                    attrInt("small_patch", 4, 1, 64, "patch side of the small-patch branch"),
                    attrInt("large_patch", 8, 1, 64, "patch side of the large-patch branch"),
                    attrInt("small_dim", 32, 4, 4096, "width of the small-patch branch"),
                    attrInt("large_dim", 64, 4, 4096, "width of the large-patch branch"),
                    attrInt("heads", 4, 1, 256, "attention heads (both branches and fusion)"),
                    attrInt("stages", 2, 1, 64, "multi-scale stages, each ending in a fusion"),
                    attrInt("small_depth", 1, 0, 64, "Transformer layers of the small branch per stage"),
                    attrInt("large_depth", 2, 0, 64, "Transformer layers of the large branch per stage"),
                    attrInt("mlp_ratio", 3, 1, 16, "feed-forward width, times the branch width"),
                    attrInt("classes", 10, 1, 1 << 20, "classifier outputs"),
                    attrInt("batch", 1, 1, 4096, "default B")};
        t.build = buildCrossVit;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
