// swin: hierarchical Swin Transformer classifier (Liu et al. 2021).
//   image [B, 3, S, S] -> patch conv (p x p, stride p) -> [B, S/p, S/p, C] -> LN
//   stage s (width C*2^s, heads[s], depths[s] blocks):
//     block i: x = x + WindowAttention(LN(x)), shift = M/2 on odd i (SW-MSA);  x = x + MLP(LN(x))
//     then (not after the last stage) patch merging: 2x2 concat -> LN(4C) -> Linear(4C -> 2C, no bias)
//   -> LN -> mean over tokens -> classifier.
// As in Swin, a stage whose map is no larger than the window uses one window and no shift.
#include "blocks/body_builder.h"
#include "templates/template_def.h"

namespace archscope::tmpl {

using namespace blocks;

namespace {

bool buildSwin(const Attrs& p, Graph* g, std::string* err) {
    const int64_t img = p.i("image"), patch = p.i("patch"), c0 = p.i("embed_dim"), win = p.i("window");
    const auto& depths = p.ints("depths");
    const auto& heads = p.ints("heads");
    if (depths.empty() || depths.size() != heads.size())
        return *err = "depths and heads need one entry per stage (got " + std::to_string(depths.size()) + " and " +
                      std::to_string(heads.size()) + ")", false;
    if (img % patch != 0) return *err = "image " + std::to_string(img) + " is not divisible by patch " + std::to_string(patch), false;
    g->symbols = {{"B", p.i("batch"), "batch"}};
    BodyBuilder b(g);
    PortRef x = b.add("image", "input", {{"shape", S("B, 3, " + std::to_string(img) + ", " + std::to_string(img))}}, {});
    x = b.add("patch_embed", "conv2d", {{"out_channels", I(c0)}, {"kernel", Is({patch, patch})}, {"stride", Is({patch, patch})}}, {{"x", x}});
    x = b.add("to_nhwc", "permute", {{"perm", Is({0, 2, 3, 1})}}, {{"x", x}});
    x = b.add("patch_norm", "layernorm", {}, {{"x", x}});
    int64_t res = img / patch, c = c0;
    for (size_t s = 0; s < depths.size(); ++s) {
        const int64_t m = std::min(win, res);
        if (res % m != 0)
            return *err = "stage " + std::to_string(s) + ": map " + std::to_string(res) + " x " + std::to_string(res) +
                          " is not a multiple of window " + std::to_string(m) + " (change image, patch or window)", false;
        if (c % heads[s] != 0)
            return *err = "stage " + std::to_string(s) + ": width " + std::to_string(c) + " is not divisible by heads " +
                          std::to_string(heads[s]), false;
        for (int64_t i = 0; i < depths[s]; ++i) {
            const std::string n = "s" + std::to_string(s) + "_b" + std::to_string(i);
            const int64_t shift = (i % 2 == 1 && res > win) ? m / 2 : 0;
            PortRef h = b.add(n + "_norm1", "layernorm", {}, {{"x", x}});
            h = b.add(n + (shift ? "_sw_msa" : "_w_msa"), "window_attention",
                      {{"dim", I(c)}, {"heads", I(heads[s])}, {"window", I(m)}, {"shift", I(shift)}}, {{"x", h}});
            x = b.add(n + "_res1", "add", {}, {{"a", x}, {"b", h}});
            h = b.add(n + "_norm2", "layernorm", {}, {{"x", x}});
            h = b.add(n + "_mlp", "ffn", {{"d_model", I(c)}, {"hidden", I(c * p.i("mlp_ratio"))}, {"act", S("gelu")}}, {{"x", h}});
            x = b.add(n + "_res2", "add", {}, {{"a", x}, {"b", h}});
        }
        if (s + 1 == depths.size()) break;
        if (res % 2 != 0) return *err = "stage " + std::to_string(s) + ": map " + std::to_string(res) + " is odd and cannot be merged", false;
        const std::string n = "merge" + std::to_string(s);
        x = b.add(n, "patch_merge", {}, {{"x", x}});
        x = b.add(n + "_norm", "layernorm", {}, {{"x", x}});
        x = b.add(n + "_reduce", "linear", {{"out_features", I(2 * c)}, {"bias", B(false)}}, {{"x", x}});
        res /= 2;
        c *= 2;
    }
    x = b.add("tokens", "flatten", {{"start_axis", I(1)}, {"end_axis", I(2)}}, {{"x", x}});
    x = b.add("head", "head", {{"out_features", I(p.i("classes"))}, {"pool", S("mean")}, {"norm", S("layernorm")}}, {{"x", x}});
    b.add("logits", "output", {}, {{"x", x}});
    return true;
}

}  // namespace

const TemplateDef& template_swin() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "swin";
        t.title = "Swin Transformer";
        t.paper = "Liu et al. 2021, Swin Transformer";
        t.description = "Hierarchical vision Transformer from Liu et al. 2021, \"Swin Transformer: Hierarchical Vision Transformer "
                        "using Shifted Windows\". Self-attention runs inside non-overlapping M x M windows with a learned relative "
                        "position bias; every second block cyclically shifts the windows by M/2 (with a mask) so information crosses "
                        "window borders; patch merging halves the resolution and doubles the width between stages, giving linear "
                        "cost in image size. Swin-T is embed_dim 96, depths 2,2,6,2, heads 3,6,12,24, window 7 at 224 x 224; the "
                        "default is a miniature.";
        t.params = {attrInt("image", 64, 8, 4096, "image side S"),
                    attrInt("patch", 4, 1, 64, "patch side p of the embedding"),
                    attrInt("embed_dim", 32, 4, 4096, "width C of the first stage"),
                    attrInts("depths", {2, 2, 2}, "blocks per stage"),
                    attrInts("heads", {2, 4, 8}, "attention heads per stage"),
                    attrInt("window", 4, 1, 64, "window size M"),
                    attrInt("mlp_ratio", 4, 1, 16, "MLP hidden width, times C"),
                    attrInt("classes", 10, 1, 1 << 20, "classifier outputs"),
                    attrInt("batch", 1, 1, 4096, "default B")};
        t.build = buildSwin;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
