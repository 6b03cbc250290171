#version 450
// rmsnorm over the last axis (D): y = x / sqrt(mean(x^2) + eps) * w
// Work split: one row per invocation.
#include "activation.glsl"
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int ACT = 0;  // fused epilogue activation (activation.glsl codes)
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer W;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint rows, D, affine; float eps, p0, p1; } pc;

void main() {
    const uint r = linearInvocation();
    if (r >= pc.rows) return;
    const int base = int(r * pc.D);
    float ss = 0.0;
    for (int j = 0; j < int(pc.D); ++j) { float v = texelFetch(X, base + j).x; ss += v * v; }
    const float inv = inversesqrt(ss / float(pc.D) + pc.eps);
    for (int j = 0; j < int(pc.D); ++j) {
        float v = texelFetch(X, base + j).x * inv;
        y[base + j] = applyAct(ACT, pc.affine == 1u ? v * texelFetch(W, j).x : v, pc.p0, pc.p1);
    }
}
