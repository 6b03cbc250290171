// conv2d: y[n,o,oh,ow] = b[o] + sum_{c in group(o), i, j} w[o,c,i,j] * x[n,c, oh*sh-ph+i*dh, ow*sw-pw+j*dw]
// (PyTorch nn.Conv2d, zero padding). Work split: dense groups use im2col + Eigen
// GEMM per (image, group, column block) task; depthwise (one input channel per
// group) runs a direct loop per output plane. See spatial_util.h.
#include "ops/common.h"
#include "ops/spatial_util.h"

#include <cmath>

namespace archscope::ops {
namespace {

ConvGeom geom(const Attrs& a, const std::vector<int64_t>& x, const std::vector<int64_t>& y) {
    ConvGeom g;
    g.n = x[0], g.c = x[1], g.h = x[2], g.w = x[3];
    g.o = y[1], g.ho = y[2], g.wo = y[3];
    g.groups = a.i("groups");
    Pair k = pairAttr(a, "kernel"), s = pairAttr(a, "stride"), d = pairAttr(a, "dilation"), p = pairAttr(a, "padding");
    g.kh = k[0], g.kw = k[1], g.sh = s[0], g.sw = s[1], g.dh = d[0], g.dw = d[1];
    g.padTop = p[0], g.padLeft = p[1];
    return g;
}

bool infer(InferCtx& c) {
    if (!c.expectRank(0, 4)) return false;
    const Shape& x = c.shape(0);
    int64_t ch = x[1].value(), out = c.attrs.i("out_channels"), groups = c.attrs.i("groups");
    Pair k, s, p, d;
    if (!checkPairAttr(c, "kernel", 1, &k) || !checkPairAttr(c, "stride", 1, &s) || !checkPairAttr(c, "padding", 0, &p) ||
        !checkPairAttr(c, "dilation", 1, &d))
        return false;
    if (ch % groups != 0 || out % groups != 0)
        return c.error(0, "groups = " + std::to_string(groups) + " must divide the input channels (" + std::to_string(ch) + " in " +
                              shapeStr(x) + ") and out_channels (" + std::to_string(out) + ")");
    Dim ho = convOutDim(x[2], k[0], s[0], 2 * p[0], d[0]);
    Dim wo = convOutDim(x[3], k[1], s[1], 2 * p[1], d[1]);
    if (ho.value() <= 0 || wo.value() <= 0)
        return c.error(0, "spatial size of " + shapeStr(x) + " is smaller than the dilated kernel [" +
                              std::to_string(d[0] * (k[0] - 1) + 1) + ", " + std::to_string(d[1] * (k[1] - 1) + 1) + "] plus padding");
    c.out({x[0], Dim(out), ho, wo});
    float bound = 1.0f / std::sqrt(float(ch / groups * k[0] * k[1]));
    c.param("weight", {out, ch / groups, k[0], k[1]}, Init::Uniform, bound);
    if (c.attrs.b("bias")) c.param("bias", {out}, Init::Uniform, bound);
    return true;
}

}  // namespace

const OpDef& op_conv2d() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "conv2d";
        d.displayName = "Conv2d";
        d.category = "Convolution";
        d.doc = "2-d convolution over [N, C, H, W] (PyTorch Conv2d layout); kernel, stride, padding and dilation "
                "take [h, w] or one value for both; groups = C gives a depthwise conv.";
        d.inputs = {{"x", PortType::F32, "[N, C, H, W]"}};
        d.outputs = {{"y", PortType::F32, "[N, out_channels, H_out, W_out]"}};
        d.attrs = {attrRequiredInt("out_channels", 1, 1 << 20, "output channels"),
                   attrInts("kernel", {3, 3}, "kernel size [kh, kw] (or [k])"),
                   attrInts("stride", {1, 1}, "stride [sh, sw] (or [s])"),
                   attrInts("padding", {0, 0}, "zero padding on each side [ph, pw] (or [p])"),
                   attrInts("dilation", {1, 1}, "spacing of kernel taps [dh, dw] (or [d])"),
                   attrInt("groups", 1, 1, 1 << 20, "channel groups; equal to C for depthwise"),
                   attrBool("bias", true, "add a learned bias")};
        d.infer = infer;
        d.cpu = [](KernelCtx& k) {
            ConvGeom g = geom(k.attrs, k.in(0).shape(), k.out(0).shape());
            convForward(g, k.in(0).f32(), k.param(0).f32(), k.attrs.b("bias") ? k.param(1).f32() : nullptr, k.out(0).f32());
        };
        d.flops = [](const InferCtx& c) {
            return convFlops(geom(c.attrs, shapeValues(c.shape(0)), shapeValues(c.outputs[0].shape)), c.attrs.b("bias"));
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
