// inverted_residual: MobileNetV2's bottleneck on [B, C, H, W] (t = expand_ratio, E = round(C*t)):
//   h = ReLU6(BN(Conv1x1_{C->E}(x)))                      (skipped when t = 1)
//   h = ReLU6(BN(DWConv_{k x k, stride s}(h)))
//   y = BN(Conv1x1_{E->C_out}(h))   (+ x when s = 1 and C = C_out: linear bottleneck, residual)
// Convolutions have no bias (BatchNorm follows). Names follow torchvision: expand, expand_bn,
// dw, dw_bn, project, project_bn.
#include "blocks/blocks_b_util.h"
#include "core/op_def.h"

#include <cmath>

namespace archscope::ops {

using namespace blocks_b;

namespace {

bool expand(const Attrs& a, Graph* g, std::string* err) {
    const int64_t in = a.i("in_channels"), out = a.i("out_channels"), s = a.i("stride"), k = a.i("kernel");
    const double t = a.f("expand_ratio");
    const int64_t hidden = int64_t(std::lround(double(in) * t));
    if (hidden < 1) return *err = "expand_ratio " + std::to_string(t) + " gives no hidden channels", false;
    if (k % 2 == 0) return *err = "kernel " + std::to_string(k) + " must be odd (same padding)", false;
    const std::string act = a.s("act");
    Builder b(g);
    b.input("x");
    std::string h = "x";
    auto conv = [&](const std::string& id, const std::string& src, int64_t o, int64_t kk, int64_t st, int64_t groups) {
        return b.op(id, "conv2d", src, {{"out_channels", o}, {"kernel", ints({kk, kk})}, {"stride", ints({st, st})},
                                        {"padding", ints({kk / 2, kk / 2})}, {"groups", groups}, {"bias", false}});
    };
    if (t != 1.0) {
        h = b.op("expand_bn", "batchnorm", conv("expand", h, hidden, 1, 1, 1));
        h = b.op("expand_act", act, h);
    }
    h = b.op("dw_bn", "batchnorm", conv("dw", h, hidden, k, s, hidden));
    h = b.op("dw_act", act, h);
    h = b.op("project_bn", "batchnorm", conv("project", h, out, 1, 1, 1));
    if (s == 1 && in == out) h = b.binary("residual", "add", h, "x");
    b.output("y", h);
    return true;
}

}  // namespace

const OpDef& op_inverted_residual() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "inverted_residual";
        d.displayName = "Inverted Residual";
        d.category = "Blocks";
        d.doc = "MobileNetV2 inverted residual (MBConv): 1x1 expansion, k x k depthwise convolution, 1x1 linear projection, "
                "each with BatchNorm; residual connection when stride 1 and the channel count is kept.";
        d.inputs = {{"x", PortType::F32, "[B, in_channels, H, W]"}};
        d.outputs = {{"y", PortType::F32, "[B, out_channels, H/stride, W/stride]"}};
        d.attrs = {attrRequiredInt("in_channels", 1, 1 << 16, "input channels C (sets the expansion width)"),
                   attrRequiredInt("out_channels", 1, 1 << 16, "output channels"),
                   attrFloat("expand_ratio", 6.0, 1.0, 64.0, "expansion factor t (1: no expansion conv)"),
                   attrInt("stride", 1, 1, 2, "depthwise stride"),
                   attrInt("kernel", 3, 1, 15, "depthwise kernel size, odd"),
                   attrEnum("act", "relu6", {"relu6", "relu", "silu"}, "activation after expansion and depthwise")};
        d.expand = expand;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
