// permute: y[i_0, .., i_r] = x[j] where j[perm[k]] = i_k, i.e. y.shape[k] = x.shape[perm[k]]
// (torch.permute). Kernel: strided gather, rows of the last output axis across threads.
#include "ops/common.h"
#include "ops/layout_util.h"

namespace archscope::ops {
namespace {

// Normalised permutation, or empty after reporting an error.
std::vector<int> checkedPerm(InferCtx& c) {
    const auto& p = c.attrs.ints("perm");
    int r = c.rank(0);
    std::vector<int> out;
    std::vector<bool> seen(size_t(r), false);
    for (int64_t a : p) {
        int n = normAxis(a, r);
        if (n < 0 || seen[size_t(n)]) break;
        seen[size_t(n)] = true;
        out.push_back(n);
    }
    if (int(out.size()) != r || int(p.size()) != r) {
        c.error(0, "attribute \"perm\" = " + attrValueStr(p) + " is not a permutation of the " + std::to_string(r) + " axes of " +
                       shapeStr(c.shape(0)));
        return {};
    }
    return out;
}

}  // namespace

const OpDef& op_permute() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "permute";
        d.displayName = "Permute";
        d.category = "Layout";
        d.doc = "Reorders axes: y.shape[k] = x.shape[perm[k]], e.g. perm [0, 2, 1, 3] turns [B, T, H, D] into [B, H, T, D].";
        d.inputs = {anyPort("x", "any shape")};
        d.outputs = {{"y", PortType::Any, "x with its axes reordered"}};
        d.attrs = {attrInts("perm", {0, 2, 1, 3}, "new order of the axes (negative counts from the end)")};
        d.infer = [](InferCtx& c) {
            std::vector<int> p = checkedPerm(c);
            if (!c.errors().empty()) return false;
            Shape y;
            for (int a : p) y.push_back(c.shape(0)[size_t(a)]);
            c.out(y, c.in(0).dtype);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const Tensor& x = k.in(0);
            std::vector<int64_t> xs = strides(x.shape()), st;
            for (int64_t a : k.attrs.ints("perm")) st.push_back(xs[size_t(normAxis(a, x.rank()))]);
            gatherStrided(x.raw(), 0, st, k.out(0).raw(), k.out(0).shape(), dtypeSize(x.dtype()));
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
