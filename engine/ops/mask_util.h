// Shared definition of the additive attention-mask ops (causal_mask, sliding_window_mask).
// For scores x [..., Tq, Tk] the mask is y[0, .., 0, i, j] = 0 where key j is visible from
// query i (at absolute position q = offset + i), else -inf. The masks use -inf, not a large
// negative number: a fully masked row is then all -inf, and the softmax op decides its output.
#pragma once

#include "ops/common.h"

#include <limits>
#include <utility>

namespace archscope::ops {

// visible(q, attrs) gives the first and last key visible from absolute query position q.
template <typename Visible>
OpDef maskOpDef(std::string id, std::string name, std::string doc, std::vector<AttrDef> extraAttrs, Visible visible) {
    OpDef d;
    d.id = std::move(id);
    d.displayName = std::move(name);
    d.category = "Attention";
    d.doc = std::move(doc);
    d.inputs = {{"x", PortType::F32, "attention scores [..., Tq, Tk] (only the shape is read)"}, {"past", PortType::F32, kPastDoc, true}};
    d.outputs = {{"y", PortType::F32, "additive mask [1, .., 1, Tq, Tk]: 0 visible, -inf hidden"}};
    d.attrs = {attrInt("offset", 0, 0, 1e12, "absolute position of query 0 (KV-cache decoding: Tk - Tq)")};
    d.attrs.insert(d.attrs.end(), extraAttrs.begin(), extraAttrs.end());
    d.infer = [](InferCtx& c) {
        if (!c.expectRankAtLeast(0, 2) || (c.has(1) && !c.expectRankAtLeast(1, 2))) return false;
        Shape y(size_t(c.rank(0)), Dim(1));
        y[y.size() - 2] = c.shape(0)[y.size() - 2];
        y.back() = c.shape(0).back();
        c.out(y);
        return true;
    };
    d.cpu = [visible](KernelCtx& k) {
        Tensor& y = k.out(0);
        int64_t tq = y.dim(-2), tk = y.dim(-1), off = k.attrs.i("offset") + pastLength(k, 1);
        float* yp = y.f32();
        const float hidden = -std::numeric_limits<float>::infinity();
        parallelFor(tq, std::max<int64_t>(1, 4096 / tk), [&](int64_t b, int64_t e) {
            for (int64_t i = b; i < e; ++i) {
                auto [lo, hi] = visible(off + i, k.attrs);
                for (int64_t j = 0; j < tk; ++j) yp[i * tk + j] = j >= lo && j <= hi ? 0.0f : hidden;
            }
        });
    };
    return d;
}

}  // namespace archscope::ops
