#version 450
// Chunked-parallel linear scans (the scan op's recurrences, ops/scan.cpp), in three phases
// over chunks of CL time steps (nC chunks):
//   PHASE 1: every chunk runs its recurrence from a zero state: its end state -> H,
//            and the chunk's state transition -> P (diag/decay: the decay product; delta:
//            the dk x dk matrix prod_t (I - beta_t k_t^T k_t), one column per invocation).
//   PHASE 2: per independent recurrence, sequentially over chunks: H[c] <- carry-in state
//            (S_in[c+1] = P[c] S_in[c] + H[c]).
//   PHASE 3: every chunk reruns from its carry-in state and writes the outputs.
// Independent recurrences: diag, per (b, d) with the N-vector state; decay and delta,
// per (b, h) and value column j, with the state column S[:, j] (dk floats), since the
// columns of S evolve independently in both. NS = N (diag) or dk, a specialization constant.
// Bindings: texel inputs 0-5 (diag: x, dt, Bm, Cm, A_log, D; decay: q, k, v, g; delta:
// q, k, v, beta), y (6), H (7), P (8).
// variant: diag MODE=0
// variant: decay MODE=1
// variant: delta MODE=2
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int PHASE = 3;
layout(constant_id = 1) const int NS = 1;
layout(constant_id = 2) const int HAS_G = 0;
layout(binding = 0) uniform samplerBuffer In0;
layout(binding = 1) uniform samplerBuffer In1;
layout(binding = 2) uniform samplerBuffer In2;
layout(binding = 3) uniform samplerBuffer In3;
layout(binding = 4) uniform samplerBuffer In4;
layout(binding = 5) uniform samplerBuffer In5;
layout(std430, binding = 6) writeonly buffer Y { float y[]; };
layout(std430, binding = 7) buffer Hs { float hs[]; };
layout(std430, binding = 8) buffer Ps { float ps[]; };
// R: recurrences (B*D or B*H); W: width (D for diag, dv otherwise); NS: state length.
layout(push_constant) uniform P { uint R, T, W, CL, nC; float gamma; } pc;

float at(samplerBuffer b, uint i) { return texelFetch(b, int(i)).x; }

#if MODE == 0
// diag: h_t = exp(dt_t * a) h_{t-1} + dt_t Bm_t x_t,  y_t = <h_t, Cm_t> + D x_t
void main() {
    const uint e = linearInvocation();
    if (PHASE == 2) {
        if (e >= pc.R) return;
        float carry[NS];
        for (int n = 0; n < NS; ++n) carry[n] = 0.0;
        const uint d = e % pc.W;
        for (uint c = 0; c < pc.nC; ++c) {
            const uint hb = (e * pc.nC + c) * uint(NS);
            const float sdt = ps[e * pc.nC + c];
            for (int n = 0; n < NS; ++n) {
                const float a = -exp(at(In4, d * uint(NS) + uint(n)));
                const float local = hs[hb + uint(n)];
                hs[hb + uint(n)] = carry[n];
                carry[n] = exp(sdt * a) * carry[n] + local;
            }
        }
        return;
    }
    if (e >= pc.R * pc.nC) return;
    const uint c = e % pc.nC, r = e / pc.nC, b = r / pc.W, d = r % pc.W;
    float h[NS], a[NS];
    const uint hb = (r * pc.nC + c) * uint(NS);
    for (int n = 0; n < NS; ++n) {
        a[n] = -exp(at(In4, d * uint(NS) + uint(n)));
        h[n] = PHASE == 3 && c > 0 ? hs[hb + uint(n)] : 0.0;
    }
    const float dskip = at(In5, d);
    const uint t1 = min(pc.T, (c + 1) * pc.CL);
    float sdt = 0.0;
    for (uint t = c * pc.CL; t < t1; ++t) {
        const uint i = (b * pc.T + t) * pc.W + d, bt = (b * pc.T + t) * uint(NS);
        const float x = at(In0, i), dt = at(In1, i);
        sdt += dt;
        float acc = 0.0;
        for (int n = 0; n < NS; ++n) {
            h[n] = exp(dt * a[n]) * h[n] + dt * at(In2, bt + uint(n)) * x;
            if (PHASE == 3) acc += h[n] * at(In3, bt + uint(n));
        }
        if (PHASE == 3) y[i] = acc + dskip * x;
    }
    if (PHASE == 1) {
        for (int n = 0; n < NS; ++n) hs[hb + uint(n)] = h[n];
        ps[r * pc.nC + c] = sdt;
    }
}
#else
// decay: S_t = diag(a_t) S_{t-1} + k_t^T v_t;  delta: S_t = S_{t-1} + beta_t k_t^T (v_t - k_t S_{t-1});
// o_t = q_t S_t. Column j of S (NS = dk floats) per invocation.
// One step on column s with value v (v = 0 and no output for transition columns).
void step(inout float s[NS], uint rt, float v) {
#if MODE == 1
    for (int i = 0; i < NS; ++i) {
        const float a = HAS_G == 1 ? exp(at(In3, rt * uint(NS) + uint(i))) : pc.gamma;
        s[i] = a * s[i] + at(In1, rt * uint(NS) + uint(i)) * v;
    }
#else
    float u = v;
    for (int i = 0; i < NS; ++i) u -= at(In1, rt * uint(NS) + uint(i)) * s[i];
    const float beta = at(In3, rt);
    for (int i = 0; i < NS; ++i) s[i] += beta * at(In1, rt * uint(NS) + uint(i)) * u;
#endif
}

void main() {
    const uint e = linearInvocation();
    const uint dv = pc.W;
    if (PHASE == 2) {
        if (e >= pc.R * dv) return;
        const uint r = e / dv, j = e % dv;
        float carry[NS];
        for (int i = 0; i < NS; ++i) carry[i] = 0.0;
        for (uint c = 0; c < pc.nC; ++c) {
            const uint hb = ((r * pc.nC + c) * dv + j) * uint(NS);
            float next[NS];
            for (int i = 0; i < NS; ++i) {
#if MODE == 1
                next[i] = ps[(r * pc.nC + c) * uint(NS) + uint(i)] * carry[i];
#else
                float m = 0.0;
                for (int l = 0; l < NS; ++l) m += ps[((r * pc.nC + c) * uint(NS) + uint(l)) * uint(NS) + uint(i)] * carry[l];
                next[i] = m;
#endif
            }
            for (int i = 0; i < NS; ++i) {
                const float local = hs[hb + uint(i)];
                hs[hb + uint(i)] = carry[i];
                carry[i] = next[i] + local;
            }
        }
        return;
    }
    const uint cols = PHASE == 1 && MODE == 2 ? dv + uint(NS) : dv;
    if (e >= pc.R * pc.nC * cols) return;
    const uint col = e % cols, c = (e / cols) % pc.nC, r = e / (cols * pc.nC);
    const bool transition = col >= dv;  // delta, phase 1: column col - dv of the chunk's transition
    float s[NS];
    const uint hb = ((r * pc.nC + c) * dv + col) * uint(NS);
    for (int i = 0; i < NS; ++i) s[i] = transition ? (uint(i) == col - dv ? 1.0 : 0.0) : (PHASE == 3 && c > 0 ? hs[hb + uint(i)] : 0.0);
    float prod[NS];
    for (int i = 0; i < NS; ++i) prod[i] = 1.0;
    const uint t1 = min(pc.T, (c + 1) * pc.CL);
    for (uint t = c * pc.CL; t < t1; ++t) {
        const uint rt = r * pc.T + t;
        step(s, rt, transition ? 0.0 : at(In2, rt * dv + col));
#if MODE == 1
        if (PHASE == 1 && col == 0)
            for (int i = 0; i < NS; ++i) prod[i] *= HAS_G == 1 ? exp(at(In3, rt * uint(NS) + uint(i))) : pc.gamma;
#endif
        if (PHASE == 3) {
            float o = 0.0;
            for (int i = 0; i < NS; ++i) o += at(In0, rt * uint(NS) + uint(i)) * s[i];
            y[rt * dv + col] = o;
        }
    }
    if (PHASE == 1) {
        if (transition) {
            for (int i = 0; i < NS; ++i) ps[((r * pc.nC + c) * uint(NS) + (col - dv)) * uint(NS) + uint(i)] = s[i];
        } else {
            for (int i = 0; i < NS; ++i) hs[hb + uint(i)] = s[i];
#if MODE == 1
            if (col == 0)
                for (int i = 0; i < NS; ++i) ps[(r * pc.nC + c) * uint(NS) + uint(i)] = prod[i];
#endif
        }
    }
}
#endif
