// convnext_block: ConvNeXt's block on [B, C, H, W]:
//   h = DWConv_{k x k, pad k/2}(x)                 (bias)
//   h = LN(h) over channels (channels-last, eps 1e-6)
//   h = W2 GELU(W1 h + b1) + b2                    (C -> 4C -> C pointwise MLP)
//   y = x + gamma * h                              (layer scale, per channel)
// Names follow the ConvNeXt reference: dwconv, norm, pwconv1, pwconv2, gamma (layer_scale).
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

namespace archscope::ops {

using namespace blocks_b;

namespace {

bool expand(const Attrs& a, Graph* g, std::string* err) {
    const int64_t c = a.i("dim"), k = a.i("kernel");
    if (k % 2 == 0) return *err = "kernel " + std::to_string(k) + " must be odd (same padding)", false;
    Builder b(g);
    b.input("x");
    std::string h = b.op("dwconv", "conv2d", "x", {{"out_channels", c}, {"kernel", ints({k, k})}, {"padding", ints({k / 2, k / 2})},
                                                   {"groups", c}, {"bias", true}});
    h = b.op("to_nhwc", "permute", h, {{"perm", ints({0, 2, 3, 1})}});
    h = b.op("norm", "layernorm", h, {{"eps", a.f("eps")}});
    h = b.op("pwconv1", "linear", h, {{"out_features", c * a.i("mlp_ratio")}});
    h = b.op("act", "gelu", h);
    h = b.op("pwconv2", "linear", h, {{"out_features", c}});
    if (a.b("layer_scale")) h = b.op("gamma", "layer_scale", h);
    h = b.op("to_nchw", "permute", h, {{"perm", ints({0, 3, 1, 2})}});
    b.output("y", b.binary("residual", "add", "x", h));
    return true;
}

}  // namespace

const OpDef& op_convnext_block() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "convnext_block";
        d.displayName = "ConvNeXt Block";
        d.category = "Blocks";
        d.doc = "ConvNeXt block: 7x7 depthwise convolution, LayerNorm over channels, pointwise MLP (4x, GELU), layer scale, "
                "residual.";
        d.inputs = {{"x", PortType::F32, "[B, C, H, W] with C = dim"}};
        d.outputs = {{"y", PortType::F32, "[B, C, H, W]"}};
        d.attrs = {attrRequiredInt("dim", 1, 1 << 16, "channels C"),
                   attrInt("kernel", 7, 1, 31, "depthwise kernel size, odd"),
                   attrInt("mlp_ratio", 4, 1, 64, "hidden width of the pointwise MLP, times C"),
                   attrBool("layer_scale", true, "learned per-channel scale gamma on the branch"),
                   attrFloat("eps", 1e-6, 0.0, 1.0, "LayerNorm epsilon")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
