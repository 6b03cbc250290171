#version 450
// Elementwise binary ops with NumPy broadcasting: y = a OP b, or for gate
// y = a * act(b) (act by specialization constant 1).
// Work split: one output element per invocation; the host collapses shapes to
// at most 4 dims with per-input strides (0 on broadcast dims). When both inputs
// have the output's shape (SAME = 1), four elements per invocation via vec4.
// variant: add BINOP=0
// variant: sub BINOP=1
// variant: mul BINOP=2
// variant: div BINOP=3
// variant: gate BINOP=4
#include "activation.glsl"
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int SAME = 0;
layout(constant_id = 1) const int GATE_ACT = 0;
layout(binding = 0) uniform samplerBuffer A;
layout(binding = 1) uniform samplerBuffer B;
layout(std430, binding = 2) writeonly buffer Y { vec4 y4[]; };
layout(push_constant) uniform P {
    uint n;  // elements (SAME: vec4 groups)
    uint shape[4];
    uint sa[4];
    uint sb[4];
} pc;

vec4 op(vec4 a, vec4 b) {
#if BINOP == 0
    return a + b;
#elif BINOP == 1
    return a - b;
#elif BINOP == 2
    return a * b;
#elif BINOP == 3
    return a / b;
#else
    return a * applyAct4(GATE_ACT, b, 0.0, 0.0);
#endif
}

void main() {
    uint i = linearInvocation();
    if (i >= pc.n) return;
    if (SAME == 1) {
        y4[i] = op(texelFetch(A, int(i)), texelFetch(B, int(i)));
        return;
    }
    uint r = i, oa = 0, ob = 0;
    for (int d = 3; d >= 0; --d) {
        uint c = r % pc.shape[d];
        r /= pc.shape[d];
        oa += c * pc.sa[d];
        ob += c * pc.sb[d];
    }
    y4[i >> 2][i & 3u] = op(texelFetch(A, int(oa)), texelFetch(B, int(ob))).x;
}
