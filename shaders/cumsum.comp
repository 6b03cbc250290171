#version 450
// cumsum along one axis: y_j = sum_{i <= j} x_i (EXCLUSIVE: i < j; REVERSE: from the end).
// Row r = o * inner + i covers x[o*L*inner + s*inner + i], s < L. Compensated
// (Kahan) summation keeps the float result near the CPU's double accumulation.
// Work split: one row per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int EXCLUSIVE = 0;
layout(constant_id = 1) const int REVERSE = 0;
layout(binding = 0) uniform samplerBuffer X;
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint rows, L, inner; } pc;

void main() {
    const uint r = linearInvocation();
    if (r >= pc.rows) return;
    const uint base = (r / pc.inner) * pc.L * pc.inner + r % pc.inner;
    float s = 0.0, c = 0.0;
    for (uint k = 0; k < pc.L; ++k) {
        const uint p = base + (REVERSE == 1 ? pc.L - 1 - k : k) * pc.inner;
        const float x = texelFetch(X, int(p)).x;
        if (EXCLUSIVE == 1) y[p] = s;
        const float v = x - c, t = s + v;
        c = (t - s) - v;
        s = t;
        if (EXCLUSIVE == 0) y[p] = s;
    }
}
