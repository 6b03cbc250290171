// window_partition: Swin's cyclic shift + window split, [B, H, W, C] -> [B*nW, M*M, C] with
//   y[(b*(H/M) + wh)*(W/M) + ww, i*M + j, :] = x[b, (wh*M + i + shift) % H, (ww*M + j + shift) % W, :]
// (torch.roll(x, (-shift, -shift), (1, 2)) then window_partition of the Swin reference).
// Work split: one task per window (windowCopy in layout_util.h).
#include "ops/common.h"
#include "ops/layout_util.h"

namespace archscope::ops {

const OpDef& op_window_partition() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "window_partition";
        d.displayName = "Window Partition";
        d.category = "Layout";
        d.doc = "Swin Transformer: rolls [B, H, W, C] by -shift and cuts it into M x M windows [B*nW, M*M, C] for window attention.";
        d.inputs = {{"x", PortType::F32, "[B, H, W, C], H and W multiples of window"}};
        d.outputs = {{"y", PortType::F32, "[B*(H/M)*(W/M), M*M, C]"}};
        d.attrs = {attrInt("window", 7, 1, 1 << 16, "window size M"),
                   attrInt("shift", 0, 0, 1 << 16, "cyclic shift before partitioning (M/2 in shifted blocks), < M")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 4)) return false;
            const Shape& x = c.shape(0);
            int64_t m = c.attrs.i("window"), s = c.attrs.i("shift");
            if (s >= m) return c.error("shift " + std::to_string(s) + " must be smaller than the window " + std::to_string(m));
            if (x[1].value() % m != 0 || x[2].value() % m != 0)
                return c.error(0, "H and W of " + shapeStr(x) + " must be multiples of the window " + std::to_string(m) +
                                      " (pad the feature map first)");
            c.out({x[0] * x[1].floorDiv(m) * x[2].floorDiv(m), Dim(m * m), x[3]});
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            WindowGeom g{x.dim(0), x.dim(1), x.dim(2), x.dim(3), k.attrs.i("window"), k.attrs.i("shift")};
            windowCopy(g, const_cast<void*>(x.raw()), k.out(0).raw(), true, sizeof(float));
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
