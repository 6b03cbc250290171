#version 450
// globalpool: y[p] = mean or max of plane p of x (planes = N*C, `inner` elements each).
// The mean uses compensated (Kahan) summation to stay near the CPU's double sum.
// Work split: one plane per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int IS_MAX = 0;
layout(binding = 0) uniform samplerBuffer X;
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint planes, inner; } pc;

void main() {
    const uint p = linearInvocation();
    if (p >= pc.planes) return;
    const int base = int(p * pc.inner);
    if (IS_MAX == 1) {
        float m = uintBitsToFloat(0xff800000u);
        for (int i = 0; i < int(pc.inner); ++i) m = max(m, texelFetch(X, base + i).x);
        y[p] = m;
        return;
    }
    float s = 0.0, c = 0.0;
    for (int i = 0; i < int(pc.inner); ++i) {
        const float v = texelFetch(X, base + i).x - c;
        const float t = s + v;
        c = (t - s) - v;
        s = t;
    }
    y[p] = s / float(pc.inner);
}
