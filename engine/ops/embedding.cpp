// embedding: y[..., :] = weight[ids[...], :], weight [num_embeddings, dim].
// An id outside [0, num_embeddings) throws std::runtime_error naming the id,
// its position and the vocabulary size. Work split: parallelFor over ids.
#include "ops/common.h"

#include <atomic>
#include <cstring>
#include <stdexcept>

namespace archscope::ops {

const OpDef& op_embedding() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "embedding";
        d.displayName = "Embedding";
        d.category = "Core";
        d.doc = "Lookup table: each integer id selects a learned row of width dim (token embeddings).";
        d.inputs = {{"ids", PortType::I64, "integer ids in [0, num_embeddings), any shape"}};
        d.outputs = {{"y", PortType::F32, "[..., dim]"}};
        d.attrs = {attrRequiredInt("num_embeddings", 1, 1e9, "vocabulary size (rows of the table)"),
                   attrRequiredInt("dim", 1, 1 << 20, "embedding width")};
        d.infer = [](InferCtx& c) {
            if (!c.expectDType(0, DType::I64)) return false;
            Shape s = c.shape(0);
            s.push_back(Dim(c.attrs.i("dim")));
            c.out(s);
            c.param("weight", {c.attrs.i("num_embeddings"), c.attrs.i("dim")}, Init::Normal, 1.0f);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            const int64_t V = k.attrs.i("num_embeddings"), D = k.attrs.i("dim"), n = k.in(0).numel();
            const int64_t* ids = k.in(0).i64();
            const float* w = k.param(0).f32();
            float* y = k.out(0).f32();
            std::atomic<int64_t> bad{-1};
            parallelFor(n, std::max<int64_t>(1, 8192 / D), [&](int64_t i0, int64_t i1) {
                for (int64_t i = i0; i < i1; ++i) {
                    if (ids[i] < 0 || ids[i] >= V) { bad = i; continue; }
                    std::memcpy(y + i * D, w + ids[i] * D, size_t(D) * sizeof(float));
                }
            });
            if (bad >= 0)
                throw std::runtime_error("id " + std::to_string(ids[bad.load()]) + " at position " + std::to_string(bad.load()) +
                                         " is out of range for num_embeddings = " + std::to_string(V) +
                                         " (ids must be in [0, " + std::to_string(V) + "))");
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };  // a gather: memory traffic only
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
