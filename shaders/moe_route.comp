#version 450
// moe_route (ops/moe_route.cpp): top-k experts per token with capacity, in two phases.
//   PHASE 1, one token n per invocation: the rank of expert e is #{j : p_j > p_e, or
//     p_j == p_e and j < e} (stable order, lower expert first on ties); the k best are
//     written to S[n*K + r] (as floats) and the normaliser to S[N*K + n] (sum of the
//     chosen p when NORMALIZE and positive, else 1).
//   PHASE 2, one expert e per invocation: assignments are admitted in the order rank
//     by rank, tokens in order, while e has room (capacity `cap`), exactly the CPU's
//     order; gates[n, e] = p / norm for admitted pairs, 0 otherwise; load[e] = choices / N,
//     kept[e] = admitted / N.
// Work split: PHASE 1 O(E^2) per token; PHASE 2 O(N K) per expert.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int PHASE = 1;
layout(constant_id = 1) const int NORMALIZE = 0;
layout(binding = 0) uniform samplerBuffer Pr;
layout(std430, binding = 1) buffer S { float s[]; };
layout(std430, binding = 2) buffer G { float gates[]; };
layout(std430, binding = 3) writeonly buffer L { float load_[]; };
layout(std430, binding = 4) writeonly buffer Kp { float kept[]; };
layout(push_constant) uniform P { uint N, E, K, cap; } pc;

void main() {
    const uint i = linearInvocation();
    if (PHASE == 1) {
        if (i >= pc.N) return;
        const int row = int(i * pc.E);
        for (uint e = 0; e < pc.E; ++e) {
            const float pe = texelFetch(Pr, row + int(e)).x;
            uint rank = 0;
            for (uint j = 0; j < pc.E && rank < pc.K; ++j) {
                const float pj = texelFetch(Pr, row + int(j)).x;
                if (pj > pe || (pj == pe && j < e)) ++rank;
            }
            if (rank < pc.K) s[i * pc.K + rank] = float(e);
        }
        float sum = 0.0;
        for (uint r = 0; r < pc.K; ++r) sum += texelFetch(Pr, row + int(s[i * pc.K + r])).x;
        s[pc.N * pc.K + i] = NORMALIZE == 1 && sum > 0.0 ? sum : 1.0;
        return;
    }
    if (i >= pc.E) return;
    for (uint n = 0; n < pc.N; ++n) gates[n * pc.E + i] = 0.0;
    uint chosen = 0, used = 0;
    for (uint r = 0; r < pc.K; ++r)
        for (uint n = 0; n < pc.N; ++n) {
            if (uint(s[n * pc.K + r]) != i) continue;
            ++chosen;
            if (used >= pc.cap) continue;
            ++used;
            gates[n * pc.E + i] = texelFetch(Pr, int(n * pc.E + i)).x / s[pc.N * pc.K + n];
        }
    load_[i] = float(chosen) / float(pc.N);
    kept[i] = float(used) / float(pc.N);
}
