// convnet: ConvNeXt and MobileNetV2 classifiers on [B, 3, S, S] (NCHW throughout).
// convnext_t (Liu et al. 2022): stem conv 4x4 stride 4 + LN; stage s: (s > 0: LN + conv 2x2
//   stride 2) then depths[s] convnext_block(dims[s]); global average pool -> LN -> linear.
// mobilenet_v2 (Sandler et al. 2018): conv 3x3 stride 2 + BN + ReLU6; the 17 inverted residual
//   blocks of the paper's table 2 ([t, c, n, s] rows, channels times width and rounded to 8);
//   conv 1x1 -> last_channels + BN + ReLU6; global average pool -> linear.
#include "blocks/body_builder.h"
#include "templates/template_def.h"

#include <algorithm>

namespace archscope::tmpl {

using namespace blocks;

namespace {

// LayerNorm over the channels of [B, C, H, W] (ConvNeXt's channels_first LayerNorm).
PortRef channelNorm(BodyBuilder& b, const std::string& n, PortRef x) {
    x = b.add(n + "_nhwc", "permute", {{"perm", Is({0, 2, 3, 1})}}, {{"x", x}});
    x = b.add(n, "layernorm", {{"eps", F(1e-6)}}, {{"x", x}});
    return b.add(n + "_nchw", "permute", {{"perm", Is({0, 3, 1, 2})}}, {{"x", x}});
}

PortRef conv(BodyBuilder& b, const std::string& n, PortRef x, int64_t out, int64_t k, int64_t s, int64_t pad, bool bias) {
    return b.add(n, "conv2d", {{"out_channels", I(out)}, {"kernel", Is({k, k})}, {"stride", Is({s, s})}, {"padding", Is({pad, pad})}, {"bias", B(bias)}},
                 {{"x", x}});
}

bool buildConvNeXt(const Attrs& p, BodyBuilder& b, PortRef x, std::string* err) {
    const auto& dims = p.ints("dims");
    const auto& depths = p.ints("depths");
    if (dims.empty() || dims.size() != depths.size())
        return *err = "dims and depths need one entry per stage (got " + std::to_string(dims.size()) + " and " + std::to_string(depths.size()) + ")", false;
    int64_t res = p.i("image") / 4;
    if (p.i("image") % 4 != 0 || (res >> (dims.size() - 1)) < 1 || res % (int64_t(1) << (dims.size() - 1)) != 0)
        return *err = "image " + std::to_string(p.i("image")) + " must be divisible by 4 * 2^(stages - 1) = " +
                      std::to_string(4 << (dims.size() - 1)), false;
    x = channelNorm(b, "stem_norm", conv(b, "stem", x, dims[0], 4, 4, 0, true));
    for (size_t s = 0; s < dims.size(); ++s) {
        if (s > 0) x = conv(b, "down" + std::to_string(s), channelNorm(b, "down" + std::to_string(s) + "_norm", x), dims[s], 2, 2, 0, true);
        for (int64_t i = 0; i < depths[s]; ++i)
            x = b.add("s" + std::to_string(s) + "_b" + std::to_string(i), "convnext_block", {{"dim", I(dims[s])}}, {{"x", x}});
    }
    x = b.add("pool", "globalpool", {{"mode", S("avg")}}, {{"x", x}});
    x = b.add("norm", "layernorm", {{"eps", F(1e-6)}}, {{"x", x}});
    b.add("logits", "output", {}, {{"x", b.add("classifier", "linear", {{"out_features", I(p.i("classes"))}}, {{"x", x}})}});
    return true;
}

int64_t divisible8(double v) {  // torchvision _make_divisible(v, 8)
    int64_t n = std::max<int64_t>(8, int64_t(v + 4) / 8 * 8);
    return double(n) < 0.9 * v ? n + 8 : n;
}

bool buildMobileNetV2(const Attrs& p, BodyBuilder& b, PortRef x) {
    const double w = p.f("width");
    const int64_t rows[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
    int64_t c = divisible8(32 * w);
    x = b.add("stem_bn", "batchnorm", {}, {{"x", conv(b, "stem", x, c, 3, 2, 1, false)}});
    x = b.add("stem_act", "relu6", {}, {{"x", x}});
    int blk = 0;
    for (auto& r : rows) {
        const int64_t out = divisible8(double(r[1]) * w);
        for (int64_t i = 0; i < r[2]; ++i, ++blk) {
            x = b.add("block" + std::to_string(blk), "inverted_residual",
                      {{"in_channels", I(c)}, {"out_channels", I(out)}, {"expand_ratio", F(double(r[0]))}, {"stride", I(i == 0 ? r[3] : 1)}}, {{"x", x}});
            c = out;
        }
    }
    x = b.add("last_bn", "batchnorm", {}, {{"x", conv(b, "last", x, p.i("last_channels"), 1, 1, 0, false)}});
    x = b.add("last_act", "relu6", {}, {{"x", x}});
    x = b.add("pool", "globalpool", {{"mode", S("avg")}}, {{"x", x}});
    b.add("logits", "output", {}, {{"x", b.add("classifier", "linear", {{"out_features", I(p.i("classes"))}}, {{"x", x}})}});
    return true;
}

bool buildConvNet(const Attrs& p, Graph* g, std::string* err) {
    g->symbols = {{"B", p.i("batch"), "batch"}};
    BodyBuilder b(g);
    const std::string side = std::to_string(p.i("image"));
    PortRef x = b.add("image", "input", {{"shape", S("B, 3, " + side + ", " + side)}}, {});
    if (p.s("preset") == "convnext_t") return buildConvNeXt(p, b, x, err);
    return buildMobileNetV2(p, b, x);
}

}  // namespace

const TemplateDef& template_convnet() {
    static const TemplateDef t = [] {
        TemplateDef t;
        t.name = "convnet";
        t.title = "ConvNet (ConvNeXt-T, MobileNetV2)";
        t.paper = "Liu et al. 2022, A ConvNet for the 2020s; Sandler et al. 2018, MobileNetV2";
        t.description = "Two convolutional baselines for the conv-versus-attention comparisons. Preset convnext_t follows Liu et "
                        "al. 2022, \"A ConvNet for the 2020s\": a patchify stem, then stages of ConvNeXt blocks (7x7 depthwise "
                        "convolution, LayerNorm, 4x pointwise MLP, layer scale) separated by LayerNorm + 2x2 stride-2 "
                        "downsampling; ConvNeXt-T is dims 96,192,384,768 and depths 3,3,9,3. Preset mobilenet_v2 follows "
                        "Sandler et al. 2018, \"MobileNetV2: Inverted Residuals and Linear Bottlenecks\": 17 inverted residual "
                        "blocks (1x1 expansion, 3x3 depthwise, linear 1x1 projection, BatchNorm, ReLU6) with the paper's channel "
                        "table scaled by width (1.0 and last_channels 1280 for the full model). Defaults are miniatures at 32 x 32.";
        t.params = {attrEnum("preset", "convnext_t", {"convnext_t", "mobilenet_v2"}, "architecture"),
                    attrInt("image", 32, 8, 4096, "image side"),
                    attrInts("dims", {16, 32, 64, 128}, "convnext_t: width per stage"),
                    attrInts("depths", {1, 1, 2, 1}, "convnext_t: blocks per stage"),
                    attrFloat("width", 0.25, 0.05, 4.0, "mobilenet_v2: width multiplier of the channel table"),
                    attrInt("last_channels", 320, 8, 1 << 16, "mobilenet_v2: channels of the final 1x1 convolution"),
                    attrInt("classes", 10, 1, 1 << 20, "classifier outputs"),
                    attrInt("batch", 1, 1, 4096, "default B")};
        t.build = buildConvNet;
        return t;
    }();
    return t;
}

}  // namespace archscope::tmpl
