// window_reverse: inverse of window_partition, [B*nW, M*M, C] -> [B, H, W, C] with
//   y[b, (wh*M + i + shift) % H, (ww*M + j + shift) % W, :] = x[(b*(H/M) + wh)*(W/M) + ww, i*M + j, :]
// (Swin's window_reverse then torch.roll by +shift). B, H and W come from the `like` input,
// so symbolic sizes carry through. Work split: one task per window.
#include "ops/common.h"
#include "ops/layout_util.h"

namespace archscope::ops {

const OpDef& op_window_reverse() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "window_reverse";
        d.displayName = "Window Reverse";
        d.category = "Layout";
        d.doc = "Swin Transformer: reassembles M x M windows [B*nW, M*M, C] into [B, H, W, C] and undoes the cyclic shift; "
                "B, H, W are read from `like` (e.g. the tensor that was partitioned).";
        d.inputs = {{"x", PortType::F32, "windows [B*nW, M*M, C]"},
                    {"like", PortType::Any, "any [B, H, W, *] tensor giving B, H, W (only the shape is read)"}};
        d.outputs = {{"y", PortType::F32, "[B, H, W, C]"}};
        d.attrs = {attrInt("window", 7, 1, 1 << 16, "window size M"),
                   attrInt("shift", 0, 0, 1 << 16, "cyclic shift that the partition applied, < M")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 3) || !c.expectRank(1, 4)) return false;
            const Shape& x = c.shape(0);
            const Shape& l = c.shape(1);
            int64_t m = c.attrs.i("window"), s = c.attrs.i("shift");
            if (s >= m) return c.error("shift " + std::to_string(s) + " must be smaller than the window " + std::to_string(m));
            if (l[1].value() % m != 0 || l[2].value() % m != 0)
                return c.error(1, "H and W of " + shapeStr(l) + " must be multiples of the window " + std::to_string(m));
            if (!c.expectDim(0, 0, l[0] * l[1].floorDiv(m) * l[2].floorDiv(m)) || !c.expectDim(0, 1, Dim(m * m))) return false;
            c.out({l[0], l[1], l[2], x[2]});
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            Tensor& y = k.out(0);
            WindowGeom g{y.dim(0), y.dim(1), y.dim(2), y.dim(3), k.attrs.i("window"), k.attrs.i("shift")};
            windowCopy(g, y.raw(), const_cast<void*>(k.in(0).raw()), false, sizeof(float));
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
