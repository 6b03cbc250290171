#version 450
// layernorm over the last axis (D):
//   mu = mean(x), var = mean((x - mu)^2), y = (x - mu) / sqrt(var + eps) * w + b
// Work split: TREE = 0 (CPU devices): one row per invocation, two passes for the
// statistics. TREE = 1 (GPUs): one row per workgroup of 64, strided passes, the sums
// by shared-memory tree (rowreduce.glsl).
// variant: rows TREE=0
// variant: tree TREE=1
#include "activation.glsl"
#include "common.glsl"
#include "rowreduce.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int ACT = 0;  // fused epilogue activation (activation.glsl codes)
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer W;
layout(binding = 2) uniform samplerBuffer Bias;
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint rows, D, affine; float eps, p0, p1; } pc;

void main() {
#if TREE == 1
    const uint r = groupRow();
    const int first = int(gl_LocalInvocationID.x), step = 64;
#else
    const uint r = linearInvocation();
    const int first = 0, step = 1;
#endif
    if (r >= pc.rows) return;  // TREE: the whole workgroup
    const int base = int(r * pc.D);
    float mu = 0.0;
    for (int j = first; j < int(pc.D); j += step) mu += texelFetch(X, base + j).x;
#if TREE == 1
    mu = groupSum(mu);
#endif
    mu /= float(pc.D);
    float var = 0.0;
    for (int j = first; j < int(pc.D); j += step) { float d = texelFetch(X, base + j).x - mu; var += d * d; }
#if TREE == 1
    var = groupSum(var);
#endif
    const float inv = inversesqrt(var / float(pc.D) + pc.eps);
    for (int j = first; j < int(pc.D); j += step) {
        float v = (texelFetch(X, base + j).x - mu) * inv;
        if (pc.affine == 1u) v = v * texelFetch(W, j).x + texelFetch(Bias, j).x;
        y[base + j] = applyAct(ACT, v, pc.p0, pc.p1);
    }
}
