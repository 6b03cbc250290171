// linear: y = x W^T + b over the last axis (PyTorch layout: W is [out, in]).
// Low-rank (rank r > 0): y = (x A^T) B^T + b with A [r, in], B [out, r].
// Work split: Eigen's GEMM over all rows of x, threaded by OpenMP.
#include "ops/common.h"
#include "ops/eigen_util.h"

namespace archscope::ops {

const OpDef& op_linear() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "linear";
        d.displayName = "Linear";
        d.category = "Core";
        d.doc = "Affine map over the last axis, y = x W^T + b; optional low-rank factorisation W = B A.";
        d.inputs = {{"x", PortType::F32, "[..., in]"}};
        d.outputs = {{"y", PortType::F32, "[..., out]"}};
        d.attrs = {attrRequiredInt("out_features", 1, 1 << 24, "output width"),
                   attrBool("bias", true, "add a learned bias"),
                   attrInt("rank", 0, 0, 1 << 20, "0 for a full matrix; r > 0 factorises W into [out, r] x [r, in]")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            int64_t in = c.shape(0).back().value();
            int64_t out = c.attrs.i("out_features");
            int64_t r = c.attrs.i("rank");
            Shape s = c.shape(0);
            s.back() = Dim(out);
            c.out(s);
            float bound = 1.0f / std::sqrt(float(in));
            if (r > 0) {
                c.param("weight_a", {r, in}, Init::Uniform, bound);
                c.param("weight_b", {out, r}, Init::Uniform, 1.0f / std::sqrt(float(r)));
            } else {
                c.param("weight", {out, in}, Init::Uniform, bound);
            }
            if (c.attrs.b("bias")) c.param("bias", {out}, Init::Uniform, bound);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            int64_t in = x.dim(-1), rows = x.numel() / std::max<int64_t>(in, 1);
            int64_t out = k.out(0).dim(-1);
            CMapMat X(x.f32(), rows, in);
            MapMat Y(k.out(0).f32(), rows, out);
            size_t p = 0;
            if (k.attrs.i("rank") > 0) {
                const Tensor& A = k.param(0);
                const Tensor& B = k.param(1);
                RowMat h = X * CMapMat(A.f32(), A.dim(0), in).transpose();
                Y.noalias() = h * CMapMat(B.f32(), out, A.dim(0)).transpose();
                p = 2;
            } else {
                Y.noalias() = X * CMapMat(k.param(0).f32(), out, in).transpose();
                p = 1;
            }
            if (k.attrs.b("bias")) Y.rowwise() += CMapVec(k.param(int(p)).f32(), out).transpose();
        };
        d.flops = [](const InferCtx& c) {
            int64_t in = c.shape(0).back().value(), rows = inNumel(c) / std::max<int64_t>(in, 1);
            int64_t out = c.attrs.i("out_features"), r = c.attrs.i("rank");
            int64_t mac = r > 0 ? rows * r * (in + out) : rows * in * out;
            return 2 * mac + (c.attrs.b("bias") ? rows * out : 0);
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
