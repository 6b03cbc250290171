// rel_bias: the learned, bucketed 1-d relative position bias of T5 (Raffel et al. 2020),
// for scores x [B, H, Tq, Tk]:  y[0, h, i, j] = table[bucket(j - (offset + P + i)), h].
// bucket(r) as T5's _relative_position_bucket: with n = num_buckets (halved, and r > 0
// taking the upper half, when bidirectional; else only r <= 0 counts, as -min(r, 0)),
// distances below n/2 get their own bucket, larger ones share log-spaced buckets up to
// max_distance (then the last bucket). The log is evaluated in float32 in PyTorch's
// order so bucket boundaries agree with the reference. Rows (h, i) run across threads.
#include "ops/common.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace archscope::ops {

// Exposed for the Vulkan kernel (the bucket of each relative distance is computed on the host).
int64_t t5Bucket(int64_t rel, bool bidirectional, int64_t numBuckets, int64_t maxDistance) {
    int64_t bucket = 0, n = numBuckets;
    if (bidirectional) {
        n /= 2;
        if (rel > 0) bucket += n;
        rel = rel < 0 ? -rel : rel;
    } else {
        rel = rel < 0 ? -rel : 0;
    }
    const int64_t exact = n / 2;
    if (rel < exact) return bucket + rel;
    const float l = std::log(float(rel) / float(exact)) / float(std::log(double(maxDistance) / double(exact))) * float(n - exact);
    return bucket + std::min<int64_t>(exact + int64_t(l), n - 1);
}

const OpDef& op_rel_bias() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "rel_bias";
        d.displayName = "Relative Bias (T5)";
        d.category = "Position";
        d.doc = "Learned relative position bias of T5: one value per head for each log-spaced bucket of the query-key "
                "distance, shaped [1, H, Tq, Tk], to add to attention scores.";
        d.inputs = {{"x", PortType::F32, "attention scores [B, H, Tq, Tk] (only the shape is read)"}, {"past", PortType::F32, kPastDoc, true}};
        d.outputs = {{"y", PortType::F32, "bias [1, H, Tq, Tk]"}};
        d.attrs = {attrInt("num_buckets", 32, 2, 4096, "buckets (T5: 32)"),
                   attrInt("max_distance", 128, 2, 1 << 24, "distances from here on share the last bucket (T5: 128)"),
                   attrBool("bidirectional", true, "separate buckets for keys after the query (encoder); false: decoder"),
                   attrInt("offset", 0, 0, 1e12, "absolute position of query 0")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 4) || (c.has(1) && !c.expectRankAtLeast(1, 2))) return false;
            const int64_t nb = c.attrs.i("num_buckets");
            if (c.attrs.b("bidirectional") && nb < 4)
                return c.error("num_buckets " + std::to_string(nb) + " must be at least 4 when bidirectional (two halves of exact and log buckets)");
            if (c.attrs.i("max_distance") <= nb / (c.attrs.b("bidirectional") ? 4 : 2))
                return c.error("max_distance " + std::to_string(c.attrs.i("max_distance")) + " must exceed the exact buckets (" +
                               std::to_string(nb / (c.attrs.b("bidirectional") ? 4 : 2)) + ")");
            Shape y = c.shape(0);
            y[0] = Dim(1);
            c.out(y);
            c.param("table", {nb, c.shape(0)[1].value()}, Init::Normal, 0.02f);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            Tensor& y = k.out(0);
            const int64_t h = y.dim(1), tq = y.dim(2), tk = y.dim(3), off = k.attrs.i("offset") + pastLength(k, 1);
            const int64_t nb = k.attrs.i("num_buckets"), md = k.attrs.i("max_distance");
            const bool bi = k.attrs.b("bidirectional");
            std::vector<int64_t> bucket(size_t(tq + tk));  // by r + (off + tq - 1), r = j - (off + i)
            for (int64_t r = -(off + tq - 1); r < tk - off; ++r) bucket[size_t(r + off + tq - 1)] = t5Bucket(r, bi, nb, md);
            const float* t = k.param(0).f32();
            float* yp = y.f32();
            parallelFor(h * tq, std::max<int64_t>(1, 4096 / tk), [&](int64_t b, int64_t e) {
                for (int64_t row = b; row < e; ++row) {
                    const int64_t head = row / tq, i = row % tq;
                    for (int64_t j = 0; j < tk; ++j) yp[row * tk + j] = t[bucket[size_t(j - i + tq - 1)] * h + head];
                }
            });
        };
        d.flops = [](const InferCtx&) { return int64_t(0); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
