// linear_mix: the parallel and chunked forms of the recurrences of `scan` (modes decay, delta),
// giving the same result as the sequential scan. Row-vector convention, state S [dk, dv], S_0 = 0.
//
// decay (RetNet gamma, GLA gate a_t = exp(g_t) per key dim):
//   S_t = diag(a_t) S_{t-1} + k_t^T v_t,  o_t = q_t S_t
// In a chunk [t0, t1) with incoming state S and P_t = prod_{u=t0..t} a_u (per key dim):
//   o_t   = (q_t * P_t) S + sum_{s=t0..t} A_ts v_s,   A_ts = sum_i q_ti k_si P_ti / P_si
//   S_out = diag(P_{t1-1}) S + sum_s (k_s * P_{t1-1} / P_s)^T v_s
// (ratios are exp of differences of log-cumsums, or gamma^(t-s), so nothing divides by a tiny P).
// delta (DeltaNet): S_t = S_{t-1} + beta_t k_t^T (v_t - k_t S_{t-1}). In a chunk the corrections
//   u_t = v_t - k_t S - sum_{s<t} beta_s (k_t . k_s) u_s   (forward substitution, the UT/WY form)
//   o_t = q_t S + sum_{s<=t} beta_s (q_t . k_s) u_s,   S_out = S + sum_s beta_s k_s^T u_s.
// form "parallel" is one chunk spanning the whole sequence (the T x T mixing matrix of the
// attention-like form); "chunked" uses chunks of `chunk` steps with the state carried between.
// Work split: parallelFor over (batch, head); chunks run in order inside each.
#include "ops/common.h"

namespace archscope::ops {

namespace {

enum Port { Q, K, V, G, BETA };

struct Dims { int64_t T, dk, dv; };

// One (batch, head) slice: pointers at its first time step.
struct Slice { const float *q, *k, *v, *g, *beta; float* o; };

// Decay from just after step u to step t of a chunk (u = -1: from the chunk start), per key dim i:
// prod_{w=u+1..t} a_w, i.e. gamma^(t-u), or exp(L_t - L_u) with L the log-cumsum of g in the chunk.
struct ChunkDecay {
    const float* g = nullptr;
    double gamma = 1;
    int64_t dk = 1;
    std::vector<double> L;
    void start(int64_t t0, int64_t n) {
        if (!g) return;
        for (int64_t t = 0; t < n; ++t)
            for (int64_t i = 0; i < dk; ++i) L[size_t(t * dk + i)] = (t ? L[size_t((t - 1) * dk + i)] : 0.0) + g[(t0 + t) * dk + i];
    }
    double operator()(int64_t t, int64_t u, int64_t i) const {
        if (!g) return std::pow(gamma, double(t - u));
        return std::exp(L[size_t(t * dk + i)] - (u >= 0 ? L[size_t(u * dk + i)] : 0.0));
    }
};

void decayChunk(const Slice& s, const Dims& d, int64_t t0, int64_t n, ChunkDecay& P, std::vector<double>& S) {
    P.start(t0, n);
    for (int64_t t = 0; t < n; ++t) {
        const float* qt = s.q + (t0 + t) * d.dk;
        float* ot = s.o + (t0 + t) * d.dv;
        std::vector<double> acc(size_t(d.dv), 0.0);
        for (int64_t i = 0; i < d.dk; ++i) {
            const double qi = qt[i] * P(t, -1, i);
            for (int64_t j = 0; j < d.dv; ++j) acc[size_t(j)] += qi * S[size_t(i * d.dv + j)];
        }
        for (int64_t u = 0; u <= t; ++u) {
            const float* ku = s.k + (t0 + u) * d.dk;
            double a = 0;
            for (int64_t i = 0; i < d.dk; ++i) a += double(qt[i]) * ku[i] * P(t, u, i);
            const float* vu = s.v + (t0 + u) * d.dv;
            for (int64_t j = 0; j < d.dv; ++j) acc[size_t(j)] += a * vu[j];
        }
        for (int64_t j = 0; j < d.dv; ++j) ot[j] = float(acc[size_t(j)]);
    }
    const int64_t e = n - 1;
    for (int64_t i = 0; i < d.dk; ++i) {
        const double keep = P(e, -1, i);
        for (int64_t j = 0; j < d.dv; ++j) S[size_t(i * d.dv + j)] *= keep;
        for (int64_t u = 0; u < n; ++u) {
            const double ki = s.k[(t0 + u) * d.dk + i] * P(e, u, i);
            const float* vu = s.v + (t0 + u) * d.dv;
            for (int64_t j = 0; j < d.dv; ++j) S[size_t(i * d.dv + j)] += ki * vu[j];
        }
    }
}

double dot(const float* a, const float* b, int64_t n) {
    double r = 0;
    for (int64_t i = 0; i < n; ++i) r += double(a[i]) * b[i];
    return r;
}

void deltaChunk(const Slice& s, const Dims& d, int64_t t0, int64_t n, std::vector<double>& S, std::vector<double>& U) {
    for (int64_t t = 0; t < n; ++t) {  // forward substitution for the corrections u_t
        const float* kt = s.k + (t0 + t) * d.dk;
        for (int64_t j = 0; j < d.dv; ++j) {
            double r = s.v[(t0 + t) * d.dv + j];
            for (int64_t i = 0; i < d.dk; ++i) r -= kt[i] * S[size_t(i * d.dv + j)];
            U[size_t(t * d.dv + j)] = r;
        }
        for (int64_t u = 0; u < t; ++u) {
            const double c = s.beta[t0 + u] * dot(kt, s.k + (t0 + u) * d.dk, d.dk);
            for (int64_t j = 0; j < d.dv; ++j) U[size_t(t * d.dv + j)] -= c * U[size_t(u * d.dv + j)];
        }
    }
    for (int64_t t = 0; t < n; ++t) {
        const float* qt = s.q + (t0 + t) * d.dk;
        std::vector<double> acc(size_t(d.dv), 0.0);
        for (int64_t i = 0; i < d.dk; ++i)
            for (int64_t j = 0; j < d.dv; ++j) acc[size_t(j)] += qt[i] * S[size_t(i * d.dv + j)];
        for (int64_t u = 0; u <= t; ++u) {
            const double c = s.beta[t0 + u] * dot(qt, s.k + (t0 + u) * d.dk, d.dk);
            for (int64_t j = 0; j < d.dv; ++j) acc[size_t(j)] += c * U[size_t(u * d.dv + j)];
        }
        for (int64_t j = 0; j < d.dv; ++j) s.o[(t0 + t) * d.dv + j] = float(acc[size_t(j)]);
    }
    for (int64_t u = 0; u < n; ++u) {
        const float* ku = s.k + (t0 + u) * d.dk;
        for (int64_t i = 0; i < d.dk; ++i) {
            const double c = s.beta[t0 + u] * ku[i];
            for (int64_t j = 0; j < d.dv; ++j) S[size_t(i * d.dv + j)] += c * U[size_t(u * d.dv + j)];
        }
    }
}

int64_t chunkOf(const Attrs& a, int64_t T) { return a.s("form") == "parallel" ? T : std::min(T, a.i("chunk")); }

void run(KernelCtx& k) {
    const Tensor& Qt = k.in(Q);
    const int64_t BH = Qt.dim(0) * Qt.dim(1);
    const Dims d{Qt.dim(2), Qt.dim(3), k.in(V).dim(3)};
    const bool delta = k.attrs.s("kind") == "delta";
    const float gamma = float(k.attrs.f("gamma"));
    const int64_t C = std::max<int64_t>(1, chunkOf(k.attrs, d.T));
    parallelFor(BH, 1, [&](int64_t r0, int64_t r1) {
        std::vector<double> S(size_t(d.dk * d.dv)), U(size_t(C * d.dv));
        ChunkDecay P;
        P.gamma = gamma;
        P.dk = d.dk;
        P.L.resize(size_t(C * d.dk));
        for (int64_t r = r0; r < r1; ++r) {
            Slice s{Qt.f32() + r * d.T * d.dk, k.in(K).f32() + r * d.T * d.dk, k.in(V).f32() + r * d.T * d.dv,
                    k.has(G) ? k.in(G).f32() + r * d.T * d.dk : nullptr, k.has(BETA) ? k.in(BETA).f32() + r * d.T : nullptr,
                    k.out(0).f32() + r * d.T * d.dv};
            std::fill(S.begin(), S.end(), 0.0);
            P.g = s.g;
            for (int64_t t0 = 0; t0 < d.T; t0 += C) {
                const int64_t n = std::min(C, d.T - t0);
                if (delta) deltaChunk(s, d, t0, n, S, U);
                else decayChunk(s, d, t0, n, P, S);
            }
        }
    });
}

bool infer(InferCtx& c) {
    const bool delta = c.attrs.s("kind") == "delta";
    for (int p : {Q, K, V})
        if (!c.has(p)) return c.error(p, "not connected; linear_mix needs q, k and v");
    if (delta && !c.has(BETA)) return c.error(BETA, "not connected; kind \"delta\" needs it");
    if (delta && c.has(G)) return c.error(G, "is not used by kind \"delta\" (disconnect it or use kind \"decay\")");
    if (!delta && c.has(BETA)) return c.error(BETA, "is not used by kind \"decay\" (disconnect it or use kind \"delta\")");
    if (!c.expectRank(Q, 4) || !c.expectRank(V, 4)) return false;
    const Shape& q = c.shape(Q);
    if (c.shape(K) != q) return c.mismatch(K, q);
    Shape v = {q[0], q[1], q[2], c.shape(V)[3]};
    if (c.shape(V) != v) return c.mismatch(V, v);
    if (c.has(G) && c.shape(G) != q) return c.mismatch(G, q);
    if (c.has(BETA) && c.shape(BETA) != Shape{q[0], q[1], q[2]}) return c.mismatch(BETA, {q[0], q[1], q[2]});
    c.out(v);
    return true;
}

// Per (b, h) and chunk of n steps: intra-chunk n^2 (dk + dv) * 2 / 2 (causal half, counted full),
// query-state readout 2 n dk dv, state update 2 n dk dv (+ n dk dv decay; delta: n^2 dk for the
// triangular system and n dk dv for k S).
int64_t flops(const InferCtx& c) {
    const int64_t BH = c.shape(Q)[0].value() * c.shape(Q)[1].value(), T = c.shape(Q)[2].value();
    const int64_t dk = c.shape(Q)[3].value(), dv = c.shape(V)[3].value();
    const int64_t C = std::max<int64_t>(1, chunkOf(c.attrs, T)), chunks = (T + C - 1) / C;
    const bool delta = c.attrs.s("kind") == "delta";
    const int64_t perChunk = 2 * C * C * (dk + dv) + 5 * C * dk * dv + (delta ? C * C * (dk + dv) + 2 * C * dk * dv : 0);
    return BH * chunks * perChunk;
}

}  // namespace

const OpDef& op_linear_mix() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "linear_mix";
        d.displayName = "Linear attention (parallel/chunked)";
        d.category = "Sequence";
        d.doc = "Decayed (RetNet, GLA) or delta-rule (DeltaNet) linear attention computed in parallel form (one T x T "
                "block) or chunkwise (intra-chunk matrix, inter-chunk state); equals the sequential `scan`.";
        d.inputs = {{"q", PortType::F32, "queries [B, H, T, dk]"},
                    {"k", PortType::F32, "keys [B, H, T, dk]"},
                    {"v", PortType::F32, "values [B, H, T, dv]"},
                    {"g", PortType::F32, "decay: log-decay per key dim [B, H, T, dk] (GLA); gamma when absent", true},
                    {"beta", PortType::F32, "delta: write strength [B, H, T]", true}};
        d.outputs = {{"y", PortType::F32, "[B, H, T, dv]"}};
        d.attrs = {attrEnum("kind", "decay", {"decay", "delta"}, "recurrence: decay (RetNet, GLA, plain with gamma 1) or delta (DeltaNet)"),
                   attrEnum("form", "chunked", {"parallel", "chunked"}, "parallel: one T x T block; chunked: blocks of `chunk` steps"),
                   attrInt("chunk", 16, 1, 1 << 20, "chunked: steps per chunk"),
                   attrFloat("gamma", 1.0, 0.0, 1.0, "decay: fixed state decay when g is not connected")};
        d.infer = infer;
        d.cpu = run;
        d.flops = flops;
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
