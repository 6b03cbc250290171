#version 450
// Position tables added to [..., T, D]: y[r, d] = x[r, d] + table[(r % T) * D + d]
// (pos_learned: the learned weight; pos_sinusoidal: a sin/cos table the host computes in double).
// Work split: one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Tab;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, T, D; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const uint d = e % pc.D, t = (e / pc.D) % pc.T;
    y[e] = texelFetch(X, int(e)).x + texelFetch(Tab, int(t * pc.D + d)).x;
}
