// moe_route: top-k routing with expert capacity (Switch Transformer, GShard).
//   probs [..., E] (router softmax) over N = numel / E tokens, flattened in row-major order.
//   Each token picks its k most probable experts (ties: lower expert first). Assignments are
//   admitted rank by rank (all first choices in token order, then all second choices, ...)
//   while the expert has room: capacity = ceil(capacity_factor * N * k / E), unlimited if 0.
//   gates[n, e] = p[n, e] (or p / sum of the token's top-k p when `normalize`) for admitted
//   assignments, 0 otherwise. load[e] = (top-k choices of expert e) / N, before capacity
//   (sums to k); kept[e] = admitted assignments of expert e / N.
// Work split: sequential over tokens (admission order is inherently serial); O(N E k).
#include "ops/common.h"

#include <algorithm>
#include <numeric>

namespace archscope::ops {

namespace {

int64_t capacityOf(const Attrs& a, int64_t N, int64_t E) {
    const double cf = a.f("capacity_factor");
    if (cf <= 0) return N * a.i("k");
    return std::max<int64_t>(1, int64_t(std::ceil(cf * double(N) * double(a.i("k")) / double(E))));
}

void route(KernelCtx& kc) {
    const Tensor& P = kc.in(0);
    const int64_t E = P.dim(-1), N = P.numel() / E, K = kc.attrs.i("k"), cap = capacityOf(kc.attrs, N, E);
    const float* p = P.f32();
    float *gates = kc.out(0).f32(), *load = kc.out(1).f32(), *kept = kc.out(2).f32();
    std::fill(gates, gates + N * E, 0.0f);
    std::fill(load, load + E, 0.0f);
    std::fill(kept, kept + E, 0.0f);
    std::vector<int64_t> choice(size_t(N * K)), order(static_cast<size_t>(E)), used(static_cast<size_t>(E), 0);
    std::vector<double> norm(size_t(N), 1.0);
    for (int64_t n = 0; n < N; ++n) {
        const float* pn = p + n * E;
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return pn[a] > pn[b]; });
        double sum = 0;
        for (int64_t r = 0; r < K; ++r) {
            choice[size_t(n * K + r)] = order[size_t(r)];
            sum += pn[order[size_t(r)]];
            load[order[size_t(r)]] += 1.0f;
        }
        if (kc.attrs.b("normalize") && sum > 0) norm[size_t(n)] = sum;
    }
    for (int64_t r = 0; r < K; ++r)
        for (int64_t n = 0; n < N; ++n) {
            const int64_t e = choice[size_t(n * K + r)];
            if (used[size_t(e)] >= cap) continue;
            ++used[size_t(e)];
            kept[e] += 1.0f;
            gates[n * E + e] = float(p[n * E + e] / norm[size_t(n)]);
        }
    for (int64_t e = 0; e < E; ++e) { load[e] /= float(N); kept[e] /= float(N); }
}

}  // namespace

const OpDef& op_moe_route() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "moe_route";
        d.displayName = "MoE router (top-k)";
        d.category = "Routing";
        d.doc = "Top-k expert selection with capacity (Switch Transformer k = 1, GShard k = 2): sparse combine "
                "weights per token and the per-expert load statistics.";
        d.inputs = {{"probs", PortType::F32, "router probabilities [..., E] (softmax over experts)"}};
        d.outputs = {{"gates", PortType::F32, "combine weights [..., E]: the router probability for admitted experts, else 0"},
                     {"load", PortType::F32, "[E] share of tokens choosing each expert (top-k, before capacity); sums to k", false, "router_load"},
                     {"kept", PortType::F32, "[E] share of tokens each expert processes after capacity", false, "router_load"}};
        d.attrs = {attrInt("k", 1, 1, 64, "experts per token (1: Switch, 2: GShard/Mixtral)"),
                   attrFloat("capacity_factor", 0.0, 0.0, 64.0, "expert capacity = ceil(cf * tokens * k / E); 0 = unlimited (no token dropped)"),
                   attrBool("normalize", false, "divide the kept probabilities by the sum of the token's top-k probabilities")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1)) return false;
            const Dim E = c.shape(0).back();
            if (c.attrs.i("k") > E.value())
                return c.error(0, "attribute \"k\" = " + std::to_string(c.attrs.i("k")) + " exceeds the number of experts " + E.str());
            c.out(c.shape(0));
            c.out({E});
            c.out({E});
            return true;
        };
        d.cpu = route;
        // Per token: E log2(E) comparisons for the ranking, k adds.
        d.flops = [](const InferCtx& c) {
            const int64_t E = c.shape(0).back().value(), N = inNumel(c) / std::max<int64_t>(E, 1);
            int64_t lg = 1;
            while ((int64_t(1) << lg) < E) ++lg;
            return N * (E * lg + c.attrs.i("k"));
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
