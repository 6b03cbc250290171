// patch_embed: image to token sequence (ViT, Dosovitskiy et al. 2021).
//   p = conv2d(x, kernel = stride = patch)   [B, D, H/p, W/p]
//   t = permute(flatten(p))                  [B, N, D],  N = (H/p) (W/p)
//   optional class token(s) in front, then learned (GPT-2/ViT style) or sinusoidal positions.
#include "blocks/body_builder.h"
#include "ops/common.h"

namespace archscope::ops {

using namespace blocks;

namespace {

bool expandPatchEmbed(const Attrs& a, Graph* g, std::string* err) {
    const int64_t p = a.i("patch"), img = a.i("image_size"), cls = a.i("cls");
    if (img % p != 0) { *err = "image_size = " + std::to_string(img) + " is not a multiple of patch = " + std::to_string(p); return false; }
    BodyBuilder b(g);
    PortRef x = b.input("x");
    PortRef t = b.add("proj", "conv2d", {{"out_channels", I(a.i("d_model"))}, {"kernel", Is({p, p})}, {"stride", Is({p, p})}}, {{"x", x}});
    t = b.add("flatten", "flatten", {{"start_axis", I(2)}, {"end_axis", I(3)}}, {{"x", t}});
    t = b.add("tokens", "permute", {{"perm", Is({0, 2, 1})}}, {{"x", t}});
    if (cls > 0) t = b.add("cls", "cls_token", {{"count", I(cls)}}, {{"x", t}});
    const int64_t n = (img / p) * (img / p) + cls;
    if (a.s("pos") == "learned") t = b.add("pos", "pos_learned", {{"max_len", I(n)}}, {{"x", t}});
    else if (a.s("pos") == "sinusoidal") t = b.add("pos", "pos_sinusoidal", {}, {{"x", t}});
    b.output("y", t);
    return true;
}

}  // namespace

const OpDef& op_patch_embed() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "patch_embed";
        d.displayName = "Patch Embed";
        d.category = "Blocks";
        d.doc = "Splits an image into patch x patch squares, projects each to d_model (strided conv), optionally "
                "prepends class tokens and adds positions.";
        d.inputs = {{"x", PortType::F32, "image [B, C, H, W]"}};
        d.outputs = {{"y", PortType::F32, "tokens [B, cls + (H/patch)(W/patch), d_model]"}};
        d.attrs = {attrInt("d_model", 192, 1, 1 << 20, "token width"),
                   attrInt("patch", 16, 1, 4096, "patch side (conv kernel and stride)"),
                   attrInt("image_size", 224, 1, 1 << 16, "image side the learned position table is sized for"),
                   attrInt("cls", 1, 0, 64, "class tokens put in front (0: none; 2: DeiT class + distillation)"),
                   attrEnum("pos", "learned", {"none", "learned", "sinusoidal"}, "absolute positions added to the tokens")};
        d.expand = expandPatchEmbed;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
