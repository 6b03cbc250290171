#version 450
// Max / average pooling over planes of H x W (1-d ops: H = 1), as ops/spatial_util.cpp:
// window [oh*sh - ph, +kh) x [ow*sw - pw, +kw) clipped to the plane; max ignores
// padding; avg divides by kh*kw (COUNT_PAD) or by the in-bounds count.
// Work split: one output element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int IS_MAX = 1;
layout(constant_id = 1) const int COUNT_PAD = 1;
layout(binding = 0) uniform samplerBuffer X;
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const uint ow = e % pc.Wo, oh = (e / pc.Wo) % pc.Ho, p = e / (pc.Wo * pc.Ho);
    const int h0 = int(oh * pc.sh) - int(pc.ph), w0 = int(ow * pc.sw) - int(pc.pw);
    const int h1 = min(h0 + int(pc.kh), int(pc.H)), w1 = min(w0 + int(pc.kw), int(pc.W));
    const int base = int(p * pc.H * pc.W);
    float acc = IS_MAX == 1 ? uintBitsToFloat(0xff800000u) : 0.0;
    for (int ih = max(h0, 0); ih < h1; ++ih)
        for (int iw = max(w0, 0); iw < w1; ++iw) {
            const float v = texelFetch(X, base + ih * int(pc.W) + iw).x;
            acc = IS_MAX == 1 ? max(acc, v) : acc + v;
        }
    if (IS_MAX == 0) {
        const int cnt = COUNT_PAD == 1 ? int(pc.kh * pc.kw) : (h1 - max(h0, 0)) * (w1 - max(w0, 0));
        acc /= float(max(cnt, 1));
    }
    y[e] = acc;
}
