// scan: sequential linear-recurrence scans (the reference for Mamba, RetNet, GLA, DeltaNet).
// Row-vector convention: k_t, q_t are [1, dk] rows, v_t is [1, dv], the state S is [dk, dv].
//
// mode "diag" (Mamba selective scan), per batch b and channel d, state h [N]:
//   A = -exp(A_log)                                  A_log param [D, N]
//   h_t = exp(dt_t * A[d]) * h_{t-1} + dt_t * Bm_t * x_t       (elementwise over N)
//   y_t = <h_t, Cm_t> + Dskip[d] * x_t                         Dskip param "D" [D]
//   x, dt [B, T, D] (dt already softplus'ed), Bm, Cm [B, T, N] -> y [B, T, D]
// mode "decay" (RetNet fixed decay / GLA gated), per batch and head:
//   S_t = diag(a_t) S_{t-1} + k_t^T v_t,   o_t = q_t S_t
//   a_t = exp(g_t) (g [B, H, T, dk], log-decay per key dim) when g is connected, else gamma
// mode "delta" (DeltaNet), per batch and head:
//   S_t = S_{t-1} + beta_t k_t^T (v_t - k_t S_{t-1}),   o_t = q_t S_t,   beta [B, H, T]
//   q, k [B, H, T, dk], v [B, H, T, dv] -> o [B, H, T, dv]; S_0 = 0 in every mode.
// Work split: parallelFor over independent recurrences ((b, d) for diag, (b, h) otherwise);
// time runs sequentially inside each.
#include "ops/common.h"

#include <map>

namespace archscope::ops {

namespace {

enum Port { X, DT, BM, CM, Q, K, V, G, BETA, NPORTS };

struct Mode {
    std::vector<int> required, optional;
    bool (*infer)(InferCtx&);
    void (*run)(KernelCtx&);
    int64_t (*flops)(const InferCtx&);
};

bool inferDiag(InferCtx& c) {
    if (!c.expectRank(X, 3) || !c.expectRank(BM, 3)) return false;
    const Shape& x = c.shape(X);
    if (c.shape(DT) != x) return c.mismatch(DT, x);
    Shape b = {x[0], x[1], c.shape(BM)[2]};
    if (c.shape(BM) != b) return c.mismatch(BM, b);
    if (c.shape(CM) != b) return c.mismatch(CM, b);
    c.out(x);
    c.param("A_log", {x[2].value(), b[2].value()}, Init::S4DReal);  // A[d, n] = -(n + 1) (S4D-real)
    c.param("D", {x[2].value()}, Init::Ones);
    return true;
}

bool inferQkv(InferCtx& c) {
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

void runDiag(KernelCtx& k) {
    const Tensor& X_ = k.in(X);
    const int64_t B = X_.dim(0), T = X_.dim(1), D = X_.dim(2), N = k.in(BM).dim(2);
    const float *x = X_.f32(), *dt = k.in(DT).f32(), *bm = k.in(BM).f32(), *cm = k.in(CM).f32();
    const float *alog = k.param(0).f32(), *dskip = k.param(1).f32();
    float* y = k.out(0).f32();
    parallelFor(B * D, 1, [&](int64_t r0, int64_t r1) {
        std::vector<float> h(static_cast<size_t>(N)), a(static_cast<size_t>(N));
        for (int64_t r = r0; r < r1; ++r) {
            const int64_t b = r / D, d = r % D;
            for (int64_t n = 0; n < N; ++n) { a[size_t(n)] = -std::exp(alog[d * N + n]); h[size_t(n)] = 0; }
            for (int64_t t = 0; t < T; ++t) {
                const int64_t i = (b * T + t) * D + d;
                const float* bt = bm + (b * T + t) * N;
                const float* ct = cm + (b * T + t) * N;
                float acc = 0;
                for (int64_t n = 0; n < N; ++n) {
                    float& hn = h[size_t(n)];
                    hn = std::exp(dt[i] * a[size_t(n)]) * hn + dt[i] * bt[n] * x[i];
                    acc += hn * ct[n];
                }
                y[i] = acc + dskip[d] * x[i];
            }
        }
    });
}

// Shared loop of the matrix-state modes; `update` advances S with step t.
template <typename Update>
void runQkv(KernelCtx& k, Update update) {
    const Tensor& Qt = k.in(Q);
    const int64_t BH = Qt.dim(0) * Qt.dim(1), T = Qt.dim(2), dk = Qt.dim(3), dv = k.in(V).dim(3);
    const float *q = Qt.f32(), *kk = k.in(K).f32(), *v = k.in(V).f32();
    float* o = k.out(0).f32();
    parallelFor(BH, 1, [&](int64_t r0, int64_t r1) {
        std::vector<float> S(static_cast<size_t>(dk * dv)), u(static_cast<size_t>(dv));
        for (int64_t r = r0; r < r1; ++r) {
            std::fill(S.begin(), S.end(), 0.0f);
            for (int64_t t = 0; t < T; ++t) {
                const int64_t rt = r * T + t;
                update(S.data(), u.data(), kk + rt * dk, v + rt * dv, rt, dk, dv);
                const float* qt = q + rt * dk;
                float* ot = o + rt * dv;
                for (int64_t j = 0; j < dv; ++j) ot[j] = 0;
                for (int64_t i = 0; i < dk; ++i)
                    for (int64_t j = 0; j < dv; ++j) ot[j] += qt[i] * S[size_t(i * dv + j)];
            }
        }
    });
}

void runDecay(KernelCtx& k) {
    const float* g = k.has(G) ? k.in(G).f32() : nullptr;
    const float gamma = float(k.attrs.f("gamma"));
    runQkv(k, [&](float* S, float*, const float* kt, const float* vt, int64_t rt, int64_t dk, int64_t dv) {
        for (int64_t i = 0; i < dk; ++i) {
            const float a = g ? std::exp(g[rt * dk + i]) : gamma;
            for (int64_t j = 0; j < dv; ++j) S[i * dv + j] = a * S[i * dv + j] + kt[i] * vt[j];
        }
    });
}

void runDelta(KernelCtx& k) {
    const float* beta = k.in(BETA).f32();
    runQkv(k, [&](float* S, float* u, const float* kt, const float* vt, int64_t rt, int64_t dk, int64_t dv) {
        for (int64_t j = 0; j < dv; ++j) u[j] = vt[j];
        for (int64_t i = 0; i < dk; ++i)
            for (int64_t j = 0; j < dv; ++j) u[j] -= kt[i] * S[i * dv + j];
        for (int64_t i = 0; i < dk; ++i) {
            const float bk = beta[rt] * kt[i];
            for (int64_t j = 0; j < dv; ++j) S[i * dv + j] += bk * u[j];
        }
    });
}

int64_t steps(const InferCtx& c, int p) { return c.shape(p)[0].value() * c.shape(p)[1].value() * c.shape(p)[2].value(); }
int64_t kv(const InferCtx& c) { return c.shape(Q)[3].value() * c.shape(V)[3].value(); }

const std::map<std::string, Mode>& modes() {
    static const std::map<std::string, Mode> m = {
        // Per (b, t, d): 8 per state entry (dt*A, exp, *h, dt*B, *x, +, *C, sum) and 2 for the skip.
        {"diag", {{X, DT, BM, CM}, {}, inferDiag, runDiag,
                  [](const InferCtx& c) { return steps(c, X) * (8 * c.shape(BM)[2].value() + 2); }}},
        // Per (b, h, t): decay dk*dv, outer product 2*dk*dv, readout 2*dk*dv; dk exps with g.
        {"decay", {{Q, K, V}, {G}, inferQkv, runDecay,
                   [](const InferCtx& c) { return steps(c, Q) * (5 * kv(c) + (c.has(G) ? c.shape(Q)[3].value() : 0)); }}},
        // Per (b, h, t): k S 2*dk*dv, v - kS dv, beta*k dk, update 2*dk*dv, readout 2*dk*dv.
        {"delta", {{Q, K, V, BETA}, {}, inferQkv, runDelta,
                   [](const InferCtx& c) { return steps(c, Q) * (6 * kv(c) + c.shape(Q)[3].value() + c.shape(V)[3].value()); }}}};
    return m;
}

// Every required input connected, nothing connected that the mode ignores.
bool checkPorts(InferCtx& c, const std::string& name, const Mode& m) {
    bool ok = true;
    for (int p = 0; p < NPORTS; ++p) {
        const bool req = std::count(m.required.begin(), m.required.end(), p) > 0;
        const bool opt = std::count(m.optional.begin(), m.optional.end(), p) > 0;
        if (req && !c.has(p)) ok = c.error(p, "not connected; mode \"" + name + "\" needs it");
        if (!req && !opt && c.has(p)) ok = c.error(p, "is not used by mode \"" + name + "\" (disconnect it or pick another mode)");
    }
    return ok;
}

}  // namespace

const OpDef& op_scan() {
    static const OpDef d = [] {
        OpDef d;
        d.id = "scan";
        d.displayName = "Linear scan";
        d.category = "Sequence";
        d.doc = "Sequential linear recurrence: Mamba selective scan (diag), RetNet/GLA decayed linear attention "
                "(decay) or the DeltaNet delta rule (delta). The reference for chunked and parallel variants.";
        d.inputs = {{"x", PortType::F32, "diag: input [B, T, D]", true},
                    {"dt", PortType::F32, "diag: step size [B, T, D], already softplus'ed", true},
                    {"Bm", PortType::F32, "diag: input projection B_t [B, T, N]", true},
                    {"Cm", PortType::F32, "diag: output projection C_t [B, T, N]", true},
                    {"q", PortType::F32, "decay, delta: queries [B, H, T, dk]", true},
                    {"k", PortType::F32, "decay, delta: keys [B, H, T, dk]", true},
                    {"v", PortType::F32, "decay, delta: values [B, H, T, dv]", true},
                    {"g", PortType::F32, "decay: log-decay per key dim [B, H, T, dk] (GLA); gamma when absent", true},
                    {"beta", PortType::F32, "delta: write strength in (0, 1) [B, H, T]", true}};
        d.outputs = {{"y", PortType::F32, "diag: [B, T, D]; decay, delta: [B, H, T, dv]"}};
        d.attrs = {attrEnum("mode", "diag", {"diag", "decay", "delta"}, "recurrence: diag (Mamba), decay (RetNet, GLA), delta (DeltaNet)"),
                   attrFloat("gamma", 0.96875, 0.0, 1.0, "decay: fixed state decay when g is not connected (RetNet)")};
        d.infer = [](InferCtx& c) {
            const std::string& name = c.attrs.s("mode");
            const Mode& m = modes().at(name);
            return checkPorts(c, name, m) && m.infer(c);
        };
        d.cpu = [](KernelCtx& k) { modes().at(k.attrs.s("mode")).run(k); };
        d.flops = [](const InferCtx& c) { return modes().at(c.attrs.s("mode")).flops(c); };
        return d;
    }();
    return d;
}

}  // namespace archscope::ops
