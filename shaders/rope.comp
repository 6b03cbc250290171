#version 450
// rope (GPT-NeoX half split) on x [B, H, T, Dh], r = 2*half rotated dims:
//   y[i] = x[i] c_i - x[i+half] s_i,  y[i+half] = x[i+half] c_i + x[i] s_i,  y[j] = x[j] for j >= r
// (c_i, s_i) = (cos, sin)(theta_i) at position t from a [T, half, 2] table that
// the host computes in double, as the CPU kernel does.
// Work split: one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Tab;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, T, Dh, half_; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const uint j = e % pc.Dh, row = e / pc.Dh, t = row % pc.T, rb = row * pc.Dh;
    const float x = texelFetch(X, int(e)).x;
    if (j >= 2u * pc.half_) { y[e] = x; return; }
    const uint i = j < pc.half_ ? j : j - pc.half_;
    const float c = texelFetch(Tab, int((t * pc.half_ + i) * 2u)).x, s = texelFetch(Tab, int((t * pc.half_ + i) * 2u + 1u)).x;
    if (j < pc.half_) y[e] = x * c - texelFetch(X, int(rb + j + pc.half_)).x * s;
    else y[e] = x * c + texelFetch(X, int(rb + i)).x * s;
}
