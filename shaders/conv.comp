#version 450
// Direct convolution, NCHW (conv2d; conv1d runs with H = 1, kh = 1):
//   y[n,o,oh,ow] = b[o] + sum_{c < C/G, i, j} w[o,c,i,j] * x[n, g*C/G + c, oh*sh - pt + i*dh, ow*sw - pl + j*dw]
// with g = o / (O/G) and zeros outside x (padding; causal conv1d pads only on the left).
// Work split: TILED = 0 (CPU devices): one output element per invocation; texel reads
// of x and w. TILED = 1 (GPUs): a workgroup computes 64 output pixels of one (n, o);
// the filter w[o] (C/G * kh * kw floats) is staged through shared memory in chunks of
// WCHUNK, loaded once per workgroup instead of once per pixel. Same summation order.
// variant: direct TILED=0
// variant: tiled TILED=1
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int HAS_BIAS = 0;
layout(constant_id = 1) const int WCHUNK = 1024;  // TILED: filter floats per shared chunk
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Wt;
layout(binding = 2) uniform samplerBuffer Bias;
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P {
    uint total, C, H, W, O, G, kh, kw, sh, sw, dh, dw, pt, pl, Ho, Wo;
} pc;

#if TILED == 1
shared float wtile[WCHUNK];

void main() {
    const uint l = gl_LocalInvocationID.x, pix = pc.Ho * pc.Wo, blocks = (pix + 63u) / 64u;
    const uint wg = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x, no = wg / blocks;
    if (no * pix >= pc.total) return;  // the whole workgroup
    const uint o = no % pc.O, n = no / pc.O, p = (wg % blocks) * 64u + l;
    const bool live = p < pix;
    const uint ow = p % pc.Wo, oh = p / pc.Wo;
    const uint cg = pc.C / pc.G, og = pc.O / pc.G, g = o / og, khw = pc.kh * pc.kw, per = cg * khw;
    float acc = HAS_BIAS == 1 ? texelFetch(Bias, int(o)).x : 0.0;
    const int ih0 = int(oh * pc.sh) - int(pc.pt), iw0 = int(ow * pc.sw) - int(pc.pl);
    for (uint f0 = 0; f0 < per; f0 += uint(WCHUNK)) {
        const uint len = min(uint(WCHUNK), per - f0);
        barrier();  // the previous chunk is no longer read
        for (uint e = l; e < len; e += 64u) wtile[e] = texelFetch(Wt, int(o * per + f0 + e)).x;
        barrier();
        if (!live) continue;
        for (uint e = 0; e < len; ++e) {
            const uint f = f0 + e, c = f / khw, i = (f / pc.kw) % pc.kh, j = f % pc.kw;
            const int ih = ih0 + int(i * pc.dh), iw = iw0 + int(j * pc.dw);
            if (ih < 0 || ih >= int(pc.H) || iw < 0 || iw >= int(pc.W)) continue;
            acc += wtile[e] * texelFetch(X, int(((n * pc.C + g * cg + c) * pc.H) * pc.W) + ih * int(pc.W) + iw).x;
        }
    }
    if (live) y[no * pix + p] = acc;
}
#else
void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const uint ow = e % pc.Wo, oh = (e / pc.Wo) % pc.Ho, o = (e / (pc.Wo * pc.Ho)) % pc.O, n = e / (pc.Wo * pc.Ho * pc.O);
    const uint cg = pc.C / pc.G, og = pc.O / pc.G, g = o / og;
    float acc = HAS_BIAS == 1 ? texelFetch(Bias, int(o)).x : 0.0;
    const int ih0 = int(oh * pc.sh) - int(pc.pt), iw0 = int(ow * pc.sw) - int(pc.pl);
    for (uint c = 0; c < cg; ++c) {
        const int xc = int(((n * pc.C + g * cg + c) * pc.H) * pc.W);
        const int wc = int((o * cg + c) * pc.kh * pc.kw);
        for (uint i = 0; i < pc.kh; ++i) {
            const int ih = ih0 + int(i * pc.dh);
            if (ih < 0 || ih >= int(pc.H)) continue;
            for (uint j = 0; j < pc.kw; ++j) {
                const int iw = iw0 + int(j * pc.dw);
                if (iw < 0 || iw >= int(pc.W)) continue;
                acc += texelFetch(Wt, wc + int(i * pc.kw + j)).x * texelFetch(X, xc + ih * int(pc.W) + iw).x;
            }
        }
    }
    y[e] = acc;
}
#endif
