// conv1d: y[n,o,l] = b[o] + sum_{c in group(o), t<k} w[o,c,t] * x[n,c, l*stride - padLeft + t*dilation]
// (PyTorch nn.Conv1d). Causal mode pads dilation*(k-1) on the left only, as the
// short convolution of Mamba: y[l] sees x[<= l]. Work split: see spatial_util.h
// (the 2-d kernel with H = 1).
#include "ops/common.h"
#include "ops/spatial_util.h"

#include <cmath>

namespace archscope::ops {
namespace {

ConvGeom geom(const Attrs& a, const std::vector<int64_t>& x, const std::vector<int64_t>& y) {
    ConvGeom g;
    g.n = x[0], g.c = x[1], g.w = x[2];
    g.o = y[1], g.wo = y[2];
    g.groups = a.i("groups");
    g.kw = a.i("kernel"), g.sw = a.i("stride"), g.dw = a.i("dilation");
    g.padLeft = a.b("causal") ? g.dw * (g.kw - 1) : a.i("padding");
    return g;
}

bool infer(InferCtx& c) {
    if (!c.expectRank(0, 3)) return false;
    const Shape& x = c.shape(0);
    int64_t ch = x[1].value(), out = c.attrs.i("out_channels"), groups = c.attrs.i("groups");
    int64_t k = c.attrs.i("kernel"), s = c.attrs.i("stride"), p = c.attrs.i("padding"), d = c.attrs.i("dilation");
    bool causal = c.attrs.b("causal");
    if (ch % groups != 0 || out % groups != 0)
        return c.error(0, "groups = " + std::to_string(groups) + " must divide the input channels (" + std::to_string(ch) + " in " +
                              shapeStr(x) + ") and out_channels (" + std::to_string(out) + ")");
    if (causal && p != 0) return c.error("causal conv1d pads dilation*(kernel-1) on the left itself; set padding to 0");
    Dim len = convOutDim(x[2], k, s, causal ? d * (k - 1) : 2 * p, d);
    if (len.value() <= 0)
        return c.error(0, "length " + x[2].str() + " of " + shapeStr(x) + " is shorter than the dilated kernel " +
                              std::to_string(d * (k - 1) + 1) + " plus padding");
    c.out({x[0], Dim(out), len});
    float bound = 1.0f / std::sqrt(float(ch / groups * k));
    c.param("weight", {out, ch / groups, k}, Init::Uniform, bound);
    if (c.attrs.b("bias")) c.param("bias", {out}, Init::Uniform, bound);
    return true;
}

}  // namespace

const OpDef& op_conv1d() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "conv1d";
        d.displayName = "Conv1d";
        d.category = "Convolution";
        d.doc = "1-d convolution over [N, C, L] (PyTorch Conv1d layout); groups = C gives a depthwise conv, "
                "causal pads only on the left (Mamba / Hyena short conv).";
        d.inputs = {{"x", PortType::F32, "[N, C, L]"}};
        d.outputs = {{"y", PortType::F32, "[N, out_channels, L_out]"}};
        d.attrs = {attrRequiredInt("out_channels", 1, 1 << 20, "output channels"),
                   attrInt("kernel", 3, 1, 1 << 16, "kernel width"),
                   attrInt("stride", 1, 1, 1 << 16, "stride"),
                   attrInt("padding", 0, 0, 1 << 16, "zeros on both ends (0 when causal)"),
                   attrInt("dilation", 1, 1, 1 << 16, "spacing of kernel taps"),
                   attrInt("groups", 1, 1, 1 << 20, "channel groups; equal to C for depthwise"),
                   attrBool("causal", false, "pad dilation*(kernel-1) on the left only, so y[l] depends on x[<= l]"),
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
