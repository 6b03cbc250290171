#version 450
// Elementwise ops with NumPy broadcasting over two or three inputs:
//   y = a OP b (add, sub, mul, div), y = a * act(b) (gate, act by specialization
//   constant 1), y = (a == b) (equal), y = a != 0 ? b : c (where, TERNARY),
//   y = a + table[rel(i), h] (relpos: rel_pos_bias, b indexed by the window offsets).
// Work split: one output element per invocation; the host collapses shapes to
// at most 4 dims with per-input strides (0 on broadcast dims). When every input
// has the output's shape (SAME = 1), four elements per invocation via vec4.
// variant: add BINOP=0
// variant: sub BINOP=1
// variant: mul BINOP=2
// variant: div BINOP=3
// variant: gate BINOP=4
// variant: equal BINOP=5
// variant: where BINOP=6 TERNARY=1
// variant: relpos BINOP=0 RELPOS=1
#include "activation.glsl"
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int SAME = 0;
layout(constant_id = 1) const int GATE_ACT = 0;
layout(binding = 0) uniform samplerBuffer A;
layout(binding = 1) uniform samplerBuffer B;
layout(std430, binding = 2) writeonly buffer Y { vec4 y4[]; };
#ifdef TERNARY
layout(binding = 3) uniform samplerBuffer C;
#endif
layout(push_constant) uniform P {
    uint n;  // elements (SAME: vec4 groups)
    uint shape[4];  // relpos: shape[0] = tokens N = M*M, shape[1] = window M, shape[2] = heads
    uint sa[4];
    uint sb[4];
    uint sc[4];
} pc;

#ifdef TERNARY
vec4 op3(vec4 c, vec4 a, vec4 b) { return mix(b, a, notEqual(c, vec4(0.0))); }
#endif

vec4 op(vec4 a, vec4 b) {
#if BINOP == 0
    return a + b;
#elif BINOP == 1
    return a - b;
#elif BINOP == 2
    return a * b;
#elif BINOP == 3
    return a / b;
#elif BINOP == 5
    return vec4(equal(a, b));
#else
    return a * applyAct4(GATE_ACT, b, 0.0, 0.0);
#endif
}

void main() {
    uint i = linearInvocation();
    if (i >= pc.n) return;
#ifdef RELPOS
    // x [..., heads, N, N], table [(2M-1)^2, heads]: element i is (row = i / N, j = i % N).
    const uint N = pc.shape[0], M = pc.shape[1], H = pc.shape[2], row = i / N, j = i % N, q = row % N, h = (row / N) % H;
    const uint idx = (q / M + M - 1 - j / M) * (2u * M - 1u) + (q % M + M - 1 - j % M);
    y4[i >> 2][i & 3u] = texelFetch(A, int(i)).x + texelFetch(B, int(idx * H + h)).x;
    return;
#endif
    if (SAME == 1) {
#ifdef TERNARY
        y4[i] = op3(texelFetch(A, int(i)), texelFetch(B, int(i)), texelFetch(C, int(i)));
#else
        y4[i] = op(texelFetch(A, int(i)), texelFetch(B, int(i)));
#endif
        return;
    }
    uint r = i, oa = 0, ob = 0, oc = 0;
    for (int d = 3; d >= 0; --d) {
        uint c = r % pc.shape[d];
        r /= pc.shape[d];
        oa += c * pc.sa[d];
        ob += c * pc.sb[d];
        oc += c * pc.sc[d];
    }
#ifdef TERNARY
    y4[i >> 2][i & 3u] = op3(texelFetch(A, int(oa)), texelFetch(B, int(ob)), texelFetch(C, int(oc))).x;
#else
    y4[i >> 2][i & 3u] = op(texelFetch(A, int(oa)), texelFetch(B, int(ob))).x;
#endif
}
