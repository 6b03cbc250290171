// alibi: the additive attention bias of ALiBi (Press et al. 2022), for scores x [B, H, Tq, Tk]:
//   y[0, h, i, j] = m_h * (j - (offset + i)),   i.e. -m_h * distance of key j behind query i.
// Slopes: for n heads a power of 2, m_h = 2^(-8(h+1)/n); otherwise, with p the largest
// power of 2 below n, the p slopes of p heads followed by the even-index slopes of 2p heads
// (the reference implementation). Keys after the query get a positive bias: combine with
// causal_mask. Rows (h, i) run across threads.
#include "ops/common.h"

#include <cmath>
#include <vector>

namespace archscope::ops {
namespace {

// Slopes of the reference implementation (ofirpress/attention_with_linear_biases).
std::vector<double> alibiSlopes(int64_t n) {
    auto pow2 = [](int64_t k) {
        std::vector<double> s;
        double start = std::pow(2.0, -8.0 / double(k));
        for (int64_t i = 0; i < k; ++i) s.push_back(std::pow(start, double(i + 1)));
        return s;
    };
    int64_t p = 1;
    while (p * 2 <= n) p *= 2;
    std::vector<double> s = pow2(p);
    if (p == n) return s;
    std::vector<double> extra = pow2(2 * p);
    for (int64_t i = 0; int64_t(s.size()) < n; i += 2) s.push_back(extra[size_t(i)]);
    return s;
}

}  // namespace

const OpDef& op_alibi() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "alibi";
        d.displayName = "ALiBi Bias";
        d.category = "Position";
        d.doc = "Linear distance bias per head (ALiBi, BLOOM, MPT) shaped [1, H, Tq, Tk], to add to attention scores.";
        d.inputs = {{"x", PortType::F32, "attention scores [B, H, Tq, Tk] (only the shape is read)"}, {"past", PortType::F32, kPastDoc, true}};
        d.outputs = {{"y", PortType::F32, "bias [1, H, Tq, Tk]"}};
        d.attrs = {attrInt("offset", 0, 0, 1e12, "absolute position of query 0 (KV-cache decoding: Tk - Tq)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRank(0, 4) || (c.has(1) && !c.expectRankAtLeast(1, 2))) return false;
            Shape y = c.shape(0);
            y[0] = Dim(1);
            c.out(y);
            return true;
        };
        d.cpu = [](KernelCtx& k) {
            Tensor& y = k.out(0);
            int64_t h = y.dim(1), tq = y.dim(2), tk = y.dim(3), off = k.attrs.i("offset") + pastLength(k, 1);
            std::vector<double> m = alibiSlopes(h);
            float* yp = y.f32();
            parallelFor(h * tq, std::max<int64_t>(1, 4096 / tk), [&](int64_t b, int64_t e) {
                for (int64_t r = b; r < e; ++r) {
                    int64_t q = off + r % tq;
                    double slope = m[size_t(r / tq)];
                    for (int64_t j = 0; j < tk; ++j) yp[r * tk + j] = float(slope * double(j - q));
                }
            });
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
