#version 450
// batchnorm (inference): y = x * s[c] + t[c] with s = w / sqrt(var + eps),
// t = b - mean * s (w = 1, b = 0 without affine); c = channel (axis 1).
// Work split: one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int AFFINE = 1;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Mean;
layout(binding = 2) uniform samplerBuffer Var;
layout(binding = 3) uniform samplerBuffer Wt;
layout(binding = 4) uniform samplerBuffer Bias;
layout(std430, binding = 5) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, C, plane; float eps; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const int c = int((e / pc.plane) % pc.C);
    float s = 1.0 / sqrt(texelFetch(Var, c).x + pc.eps);
    float t = -texelFetch(Mean, c).x * s;
    if (AFFINE == 1) {
        const float w = texelFetch(Wt, c).x;
        s *= w;
        t = t * w + texelFetch(Bias, c).x;
    }
    y[e] = texelFetch(X, int(e)).x * s + t;
}
