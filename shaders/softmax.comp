#version 450
// softmax along one axis, with optional additive mask, temperature and clipping:
//   z_j = x_j / temperature + mask_j,  y_j = exp(z_j - max z) / sum_k exp(z_k - max z)
//   clipped (when CLIP): y_j = clamp((zeta - gamma) y_j + gamma, 0, 1)
// Entries with mask <= -1e9 or -inf are dropped; a row with every entry dropped gives zeros.
// Work split: one row (all positions but the axis) per invocation, three passes over it.
// Rows: r = o * inner + i, x[o*len*inner + j*inner + i]; the mask offset of the
// outer index o is o0*ms0 + o1*ms1 + o2*ms2 with o = (o0*od1 + o1)*od2 + o2.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Mask;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P {
    uint rows, len, inner, od1, od2;
    uint ms0, ms1, ms2, msAxis, msInner, hasMask, clip;
    float invTemp, zeta, gamma;
} pc;

void main() {
    const uint r = linearInvocation();
    if (r >= pc.rows) return;
    const uint o = r / pc.inner, i = r % pc.inner;
    const uint base = o * pc.len * pc.inner + i;
    const uint o2 = o % pc.od2, o1 = (o / pc.od2) % pc.od1, o0 = o / (pc.od2 * pc.od1);
    const uint moff = o0 * pc.ms0 + o1 * pc.ms1 + o2 * pc.ms2 + i * pc.msInner;
    float mx = uintBitsToFloat(0xff800000u);  // -inf
    bool allDropped = pc.hasMask == 1u;
    for (uint j = 0; j < pc.len; ++j) {
        float z = texelFetch(X, int(base + j * pc.inner)).x * pc.invTemp;
        if (pc.hasMask == 1u) {
            float m = texelFetch(Mask, int(moff + j * pc.msAxis)).x;
            allDropped = allDropped && m <= -1e9;
            z += m;
        }
        mx = max(mx, z);
    }
    const bool empty = allDropped || (isinf(mx) && mx < 0.0);
    float sum = 0.0;
    for (uint j = 0; j < pc.len && !empty; ++j) {
        float z = texelFetch(X, int(base + j * pc.inner)).x * pc.invTemp;
        if (pc.hasMask == 1u) z += texelFetch(Mask, int(moff + j * pc.msAxis)).x;
        sum += exp(z - mx);
    }
    const float inv = empty ? 0.0 : 1.0 / sum;
    for (uint j = 0; j < pc.len; ++j) {
        float z = texelFetch(X, int(base + j * pc.inner)).x * pc.invTemp;
        if (pc.hasMask == 1u) z += texelFetch(Mask, int(moff + j * pc.msAxis)).x;
        float v = empty ? 0.0 : exp(z - mx) * inv;
        if (pc.clip == 1u && !empty) v = clamp((pc.zeta - pc.gamma) * v + pc.gamma, 0.0, 1.0);
        y[base + j * pc.inner] = v;
    }
}
