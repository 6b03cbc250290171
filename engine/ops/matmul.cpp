// matmul: batched matrix product of two activations,
//   y[..., :, :] = alpha * op(a[..., :, :]) @ op(b[..., :, :]),  op = transpose when requested,
// a [..., M, K], b [..., K, N] (before transposition), batch dims broadcast NumPy-style.
// Work split: parallelFor over batches (one Eigen GEMM each); a single batch
// lets Eigen thread the GEMM itself with OpenMP.
#include "ops/common.h"
#include "ops/eigen_util.h"

namespace archscope::ops {

namespace {

std::string from(const InferCtx& c, int i) { return c.sources[size_t(i)].empty() ? "" : " from \"" + c.sources[size_t(i)] + "\""; }

bool inferMatmul(InferCtx& c) {
    if (!c.expectRankAtLeast(0, 2) || !c.expectRankAtLeast(1, 2)) return false;
    const Shape& sa = c.shape(0);
    const Shape& sb = c.shape(1);
    const bool ta = c.attrs.b("transpose_a"), tb = c.attrs.b("transpose_b");
    const size_t ra = sa.size(), rb = sb.size();
    Dim m = ta ? sa[ra - 1] : sa[ra - 2], ka = ta ? sa[ra - 2] : sa[ra - 1];
    Dim kb = tb ? sb[rb - 1] : sb[rb - 2], n = tb ? sb[rb - 2] : sb[rb - 1];
    if (ka != kb)
        return c.error(1, "inner dimensions differ: a " + shapeStr(sa) + from(c, 0) + " gives K = " + ka.str() +
                              (ta ? " (transpose_a)" : "") + ", b " + shapeStr(sb) + from(c, 1) + " gives K = " + kb.str() +
                              (tb ? " (transpose_b)" : ""));
    const size_t r = std::max(ra, rb) - 2;
    Shape out(r, Dim(1));
    for (size_t i = 0; i < r; ++i) {
        const Dim* da = i < ra - 2 ? &sa[ra - 3 - i] : nullptr;
        const Dim* db = i < rb - 2 ? &sb[rb - 3 - i] : nullptr;
        if (da && db && *da != *db && da->value() != 1 && db->value() != 1)
            return c.error(1, "batch dimensions do not broadcast: a " + shapeStr(sa) + from(c, 0) + ", b " + shapeStr(sb) + from(c, 1));
        out[r - 1 - i] = !db || (da && db->value() == 1) ? *da : *db;
    }
    out.push_back(m);
    out.push_back(n);
    c.out(out);
    return true;
}

// Offset of each output batch's matrix in a tensor whose batch dims broadcast to `yb`.
std::vector<int64_t> batchOffsets(const Tensor& t, const std::vector<int64_t>& yb) {
    const int tr = t.rank() - 2, r = int(yb.size());
    const int64_t mat = t.dim(-1) * t.dim(-2);
    std::vector<int64_t> st(size_t(r), 0);
    int64_t acc = mat;
    for (int i = tr - 1; i >= 0; --i) {
        int64_t d = t.shape()[size_t(i)];
        if (d != 1) st[size_t(r - tr + i)] = acc;
        acc *= d;
    }
    int64_t nb = 1;
    for (auto d : yb) nb *= d;
    std::vector<int64_t> off(size_t(nb), 0);
    for (int64_t b = 0; b < nb; ++b) {
        int64_t rem = b;
        for (int i = r - 1; i >= 0; --i) { off[size_t(b)] += rem % yb[size_t(i)] * st[size_t(i)]; rem /= yb[size_t(i)]; }
    }
    return off;
}

void matmulKernel(KernelCtx& k) {
    const Tensor& A = k.in(0);
    const Tensor& B = k.in(1);
    Tensor& Y = k.out(0);
    const bool ta = k.attrs.b("transpose_a"), tb = k.attrs.b("transpose_b");
    const float alpha = float(k.attrs.f("alpha"));
    const int64_t M = Y.dim(-2), N = Y.dim(-1);
    std::vector<int64_t> yb(Y.shape().begin(), Y.shape().end() - 2);
    const auto ao = batchOffsets(A, yb), bo = batchOffsets(B, yb);
    parallelFor(int64_t(ao.size()), 1, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            CMapMat a(A.f32() + ao[size_t(b)], A.dim(-2), A.dim(-1));
            CMapMat bm(B.f32() + bo[size_t(b)], B.dim(-2), B.dim(-1));
            MapMat y(Y.f32() + b * M * N, M, N);
            if (ta && tb) y.noalias() = alpha * (a.transpose() * bm.transpose());
            else if (ta) y.noalias() = alpha * (a.transpose() * bm);
            else if (tb) y.noalias() = alpha * (a * bm.transpose());
            else y.noalias() = alpha * (a * bm);
        }
    });
}

}  // namespace

const OpDef& op_matmul() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "matmul";
        d.displayName = "MatMul";
        d.category = "Core";
        d.doc = "Batched product of two activations, alpha * a @ b, with optional transposes and broadcast batch "
                "dimensions (attention scores q k^T, attention-weighted values).";
        d.inputs = {{"a", PortType::F32, "[..., M, K] ([..., K, M] with transpose_a)"},
                    {"b", PortType::F32, "[..., K, N] ([..., N, K] with transpose_b)"}};
        d.outputs = {{"y", PortType::F32, "[broadcast batch..., M, N]"}};
        d.attrs = {attrBool("transpose_a", false, "use the transpose of a's last two axes"),
                   attrBool("transpose_b", false, "use the transpose of b's last two axes (q k^T)"),
                   attrFloat("alpha", 1.0, -1e30, 1e30, "scale of the product (e.g. 1/sqrt(d))")};
        d.infer = inferMatmul;
        d.cpu = matmulKernel;
        // 2*M*N*K per batch, plus M*N for alpha != 1.
        d.flops = [](const InferCtx& c) {
            const Shape& y = c.outputs[0].shape;
            const Shape& a = c.shape(0);
            int64_t K = (c.attrs.b("transpose_a") ? a[a.size() - 2] : a.back()).value();
            int64_t mn = shapeNumel(y);
            return 2 * mn * K + (c.attrs.f("alpha") != 1.0 ? mn : 0);
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
