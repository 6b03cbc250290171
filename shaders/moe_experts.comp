#version 450
// moe_experts (ops/moe_experts.cpp): y[n] = sum over e with gates[n, e] != 0 of
//   gates[n, e] * (W2_e act(W1_e x[n] + b1_e) + b2_e),   W1 [E, H, D], W2 [E, D, H].
// PHASE 1, one (n, e, j) per invocation: h[n, e, j] = act(b1[e, j] + W1[e, j, :] . x[n]),
//   skipped for pairs the router did not admit (gate 0), so the work follows k, not E.
// PHASE 2, one (n, i) per invocation: y[n, i] = sum_e gate * (b2[e, i] + W2[e, i, :] . h[n, e]),
//   experts in order as the CPU. ACT: activation code (activation.glsl: relu, silu, gelu).
#include "activation.glsl"
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int PHASE = 1;
layout(constant_id = 1) const int ACT = 3;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Gt;
layout(binding = 2) uniform samplerBuffer W1;
layout(binding = 3) uniform samplerBuffer B1;
layout(binding = 4) uniform samplerBuffer W2;
layout(binding = 5) uniform samplerBuffer B2;
layout(std430, binding = 6) buffer Hs { float h[]; };
layout(std430, binding = 7) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint N, E, D, H; } pc;

void main() {
    const uint t = linearInvocation();
    if (PHASE == 1) {
        if (t >= pc.N * pc.E * pc.H) return;
        const uint j = t % pc.H, ne = t / pc.H, e = ne % pc.E, n = ne / pc.E;
        if (texelFetch(Gt, int(ne)).x == 0.0) return;
        const int w = int((e * pc.H + j) * pc.D), x = int(n * pc.D);
        float s = texelFetch(B1, int(e * pc.H + j)).x;
        for (int i = 0; i < int(pc.D); ++i) s += texelFetch(W1, w + i).x * texelFetch(X, x + i).x;
        h[t] = applyAct(ACT, s, 0.0, 0.0);
        return;
    }
    if (t >= pc.N * pc.D) return;
    const uint i = t % pc.D, n = t / pc.D;
    float acc = 0.0;
    for (uint e = 0; e < pc.E; ++e) {
        const float g = texelFetch(Gt, int(n * pc.E + e)).x;
        if (g == 0.0) continue;
        const int w = int((e * pc.D + i) * pc.H), hb = int((n * pc.E + e) * pc.H);
        float s = texelFetch(B2, int(e * pc.D + i)).x;
        for (int j = 0; j < int(pc.H); ++j) s += texelFetch(W2, w + j).x * h[hb + j];
        acc += g * s;
    }
    y[t] = acc;
}
