// moe_experts: E expert MLPs applied sparsely, combined by the router's gates.
//   y[n] = sum_{e : gates[n, e] != 0} gates[n, e] * (W2_e act(W1_e x[n] + b1_e) + b2_e)
//   x [..., D], gates [..., E]; params w1 [E, H, D], b1 [E, H], w2 [E, D, H], b2 [E, D]
//   (PyTorch layout: expert e is nn.Linear(D, H) then nn.Linear(H, D)).
// Only the admitted (token, expert) pairs are computed, so time scales with k, not E.
// Work split: parallelFor over tokens; each token runs its few experts.
#include "ops/common.h"

#include <map>

namespace archscope::ops {

namespace {

float actOf(const std::string& a, float x) {
    if (a == "relu") return x > 0 ? x : 0.0f;
    if (a == "silu") return x / (1.0f + std::exp(-x));
    return 0.5f * x * (1.0f + std::erf(x * float(M_SQRT1_2)));  // exact GELU
}

void run(KernelCtx& k) {
    const Tensor& X = k.in(0);
    const int64_t D = X.dim(-1), N = X.numel() / D, E = k.in(1).dim(-1), H = k.attrs.i("hidden");
    const float *x = X.f32(), *g = k.in(1).f32();
    const float *w1 = k.param(0).f32(), *b1 = k.param(1).f32(), *w2 = k.param(2).f32(), *b2 = k.param(3).f32();
    const std::string act = k.attrs.s("act");
    float* y = k.out(0).f32();
    parallelFor(N, 4, [&](int64_t n0, int64_t n1) {
        std::vector<float> h(static_cast<size_t>(H));
        for (int64_t n = n0; n < n1; ++n) {
            const float* xn = x + n * D;
            float* yn = y + n * D;
            std::fill(yn, yn + D, 0.0f);
            for (int64_t e = 0; e < E; ++e) {
                const float gate = g[n * E + e];
                if (gate == 0.0f) continue;
                for (int64_t j = 0; j < H; ++j) {
                    const float* row = w1 + (e * H + j) * D;
                    float s = b1[e * H + j];
                    for (int64_t i = 0; i < D; ++i) s += row[i] * xn[i];
                    h[size_t(j)] = actOf(act, s);
                }
                for (int64_t i = 0; i < D; ++i) {
                    const float* row = w2 + (e * D + i) * H;
                    float s = b2[e * D + i];
                    for (int64_t j = 0; j < H; ++j) s += row[j] * h[size_t(j)];
                    yn[i] += gate * s;
                }
            }
        }
    });
}

}  // namespace

const OpDef& op_moe_experts() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "moe_experts";
        d.displayName = "MoE experts";
        d.category = "Routing";
        d.doc = "E two-layer expert MLPs evaluated only for the (token, expert) pairs the router admitted, "
                "summed with the gate weights (the dispatch and combine of a sparse MoE layer).";
        d.inputs = {{"x", PortType::F32, "tokens [..., D]"}, {"gates", PortType::F32, "combine weights [..., E] from moe_route"}};
        d.outputs = {{"y", PortType::F32, "[..., D]"}};
        d.attrs = {attrInt("hidden", 64, 1, 1 << 20, "hidden width H of each expert"),
                   attrEnum("act", "gelu", {"gelu", "relu", "silu"}, "expert activation"),
                   attrInt("k", 1, 1, 64, "cost model only: experts per token (the router's k)")};
        d.infer = [](InferCtx& c) {
            if (!c.expectRankAtLeast(0, 1) || !c.expectRankAtLeast(1, 1)) return false;
            Shape lead = c.shape(0);
            lead.pop_back();
            Shape g = lead;
            g.push_back(c.shape(1).back());
            if (c.shape(1) != g) return c.mismatch(1, g);
            const int64_t D = c.shape(0).back().value(), E = g.back().value(), H = c.attrs.i("hidden");
            c.out(c.shape(0));
            const float b1 = 1.0f / std::sqrt(float(D)), b2 = 1.0f / std::sqrt(float(H));
            c.param("w1", {E, H, D}, Init::Uniform, b1);
            c.param("b1", {E, H}, Init::Uniform, b1);
            c.param("w2", {E, D, H}, Init::Uniform, b2);
            c.param("b2", {E, D}, Init::Uniform, b2);
            return true;
        };
        d.cpu = run;
        // Per token and routed expert: 2DH + H (fc1 + bias), 4H (activation), 2HD + D (fc2 + bias),
        // 2D (gate scale and accumulate). Assumes k experts per token (no capacity drops).
        d.flops = [](const InferCtx& c) {
            const int64_t D = c.shape(0).back().value(), N = inNumel(c) / std::max<int64_t>(D, 1), H = c.attrs.i("hidden");
            return N * c.attrs.i("k") * (4 * D * H + 5 * H + 3 * D);
        };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
