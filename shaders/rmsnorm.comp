#version 450
// rmsnorm over the last axis (D): y = x / sqrt(mean(x^2) + eps) * w
// Work split: TREE = 0 (CPU devices): one row per invocation. TREE = 1 (GPUs): one
// row per workgroup of 64, the sum of squares by shared-memory tree (rowreduce.glsl).
// variant: rows TREE=0
// variant: tree TREE=1
#include "activation.glsl"
#include "common.glsl"
#include "rowreduce.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int ACT = 0;  // fused epilogue activation (activation.glsl codes)
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer W;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
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
    float ss = 0.0;
    for (int j = first; j < int(pc.D); j += step) { float v = texelFetch(X, base + j).x; ss += v * v; }
#if TREE == 1
    ss = groupSum(ss);
#endif
    const float inv = inversesqrt(ss / float(pc.D) + pc.eps);
    for (int j = first; j < int(pc.D); j += step) {
        float v = texelFetch(X, base + j).x * inv;
        y[base + j] = applyAct(ACT, pc.affine == 1u ? v * texelFetch(W, j).x : v, pc.p0, pc.p1);
    }
}
