#version 450
// layernorm over the last axis (D):
//   mu = mean(x), var = mean((x - mu)^2), y = (x - mu) / sqrt(var + eps) * w + b
// Work split: one row per invocation, two passes for the statistics.
#include "activation.glsl"
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int ACT = 0;  // fused epilogue activation (activation.glsl codes)
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer W;
layout(binding = 2) uniform samplerBuffer Bias;
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint rows, D, affine; float eps, p0, p1; } pc;

void main() {
    const uint r = linearInvocation();
    if (r >= pc.rows) return;
    const int base = int(r * pc.D);
    float mu = 0.0;
    for (int j = 0; j < int(pc.D); ++j) mu += texelFetch(X, base + j).x;
    mu /= float(pc.D);
    float var = 0.0;
    for (int j = 0; j < int(pc.D); ++j) { float d = texelFetch(X, base + j).x - mu; var += d * d; }
    const float inv = inversesqrt(var / float(pc.D) + pc.eps);
    for (int j = 0; j < int(pc.D); ++j) {
        float v = (texelFetch(X, base + j).x - mu) * inv;
        if (pc.affine == 1u) v = v * texelFetch(W, j).x + texelFetch(Bias, j).x;
        y[base + j] = applyAct(ACT, v, pc.p0, pc.p1);
    }
}
