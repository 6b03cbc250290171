#version 450
// softmax along one axis, with optional additive mask, temperature and clipping:
//   z_j = x_j / temperature + mask_j,  y_j = exp(z_j - max z) / sum_k exp(z_k - max z)
//   clipped (when CLIP): y_j = clamp((zeta - gamma) y_j + gamma, 0, 1)
// Entries with mask <= -1e9 or -inf are dropped; a row with every entry dropped gives zeros.
// Work split: TREE = 0 (CPU devices): one row (all positions but the axis) per
// invocation, three passes over it. TREE = 1 (GPUs): one row per workgroup of 64,
// each pass strided over the invocations, max and sum by shared-memory tree (rowreduce.glsl).
// Rows: r = o * inner + i, x[o*len*inner + j*inner + i]; the mask offset of the
// outer index o is o0*ms0 + o1*ms1 + o2*ms2 with o = (o0*od1 + o1)*od2 + o2.
// variant: rows TREE=0
// variant: tree TREE=1
#include "common.glsl"
#include "rowreduce.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Mask;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P {
    uint rows, len, inner, od1, od2;
    uint ms0, ms1, ms2, msAxis, msInner, hasMask, clip;
    float invTemp, zeta, gamma;
} pc;

uint base, moff;

float score(uint j) {
    float z = texelFetch(X, int(base + j * pc.inner)).x * pc.invTemp;
    if (pc.hasMask == 1u) z += texelFetch(Mask, int(moff + j * pc.msAxis)).x;
    return z;
}

void main() {
#if TREE == 1
    const uint r = groupRow(), first = gl_LocalInvocationID.x, step = 64u;
#else
    const uint r = linearInvocation(), first = 0u, step = 1u;
#endif
    if (r >= pc.rows) return;  // TREE: the whole workgroup
    const uint o = r / pc.inner, i = r % pc.inner;
    base = o * pc.len * pc.inner + i;
    const uint o2 = o % pc.od2, o1 = (o / pc.od2) % pc.od1, o0 = o / (pc.od2 * pc.od1);
    moff = o0 * pc.ms0 + o1 * pc.ms1 + o2 * pc.ms2 + i * pc.msInner;
    float mx = uintBitsToFloat(0xff800000u);  // -inf
    bool allDropped = pc.hasMask == 1u;
    for (uint j = first; j < pc.len; j += step) {
        if (pc.hasMask == 1u) allDropped = allDropped && texelFetch(Mask, int(moff + j * pc.msAxis)).x <= -1e9;
        mx = max(mx, score(j));
    }
#if TREE == 1
    mx = groupMax(mx);
    allDropped = groupMax(allDropped ? 0.0 : 1.0) == 0.0;
#endif
    const bool empty = allDropped || (isinf(mx) && mx < 0.0);
    float sum = 0.0;
    for (uint j = first; j < pc.len && !empty; j += step) sum += exp(score(j) - mx);
#if TREE == 1
    sum = groupSum(sum);
#endif
    const float inv = empty ? 0.0 : 1.0 / sum;
    for (uint j = first; j < pc.len; j += step) {
        float v = empty ? 0.0 : exp(score(j) - mx) * inv;
        if (pc.clip == 1u && !empty) v = clamp((pc.zeta - pc.gamma) * v + pc.gamma, 0.0, 1.0);
        y[base + j * pc.inner] = v;
    }
}
