#version 450
// reduce: y[o] = sum, mean or max of x over the reduced axes (ops/reduce.cpp). The host
// collapses kept and reduced axes to at most 4 each, with their strides in x.
// Sums use compensated (Kahan) summation to stay near the CPU's double sum; max
// propagates NaN like the CPU kernel.
// Work split: ROWS (CPU devices): one output per invocation, a sequential loop.
// TREE (GPU devices): one output per workgroup of 64; each invocation reduces a
// strided part, then a shared-memory tree reduction (6 barriers).
// variant: rows TREE=0
// variant: tree TREE=1
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int MODE = 0;  // 0 sum, 1 mean, 2 max
layout(binding = 0) uniform samplerBuffer X;
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint outs, count; uint ks[4]; uint kst[4]; uint rs[4]; uint rst[4]; } pc;

uint offsetOf(uint i, bool kept) {
    uint off = 0;
    for (int d = 3; d >= 0; --d) {
        const uint n = kept ? pc.ks[d] : pc.rs[d];
        off += (i % n) * (kept ? pc.kst[d] : pc.rst[d]);
        i /= n;
    }
    return off;
}

// Partial over j = first, first + step, ...: (sum, compensation) or (max, 0).
vec2 partial(uint base, uint first, uint step) {
    precise float s = MODE == 2 ? uintBitsToFloat(0xff800000u) : 0.0, c = 0.0;
    for (uint j = first; j < pc.count; j += step) {
        const float v = texelFetch(X, int(base + offsetOf(j, false))).x;
        if (MODE == 2) { s = isnan(v) || v > s ? v : s; continue; }
        precise float u = v - c;
        precise float t = s + u;
        c = (t - s) - u;
        s = t;
    }
    return vec2(s, c);
}

float finish(float s) { return MODE == 1 ? s / float(max(pc.count, 1u)) : s; }

#if TREE == 1
shared vec2 part[64];
void main() {
    const uint o = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x, l = gl_LocalInvocationID.x;
    const bool live = o < pc.outs;
    part[l] = live ? partial(offsetOf(o, true), l, 64u) : vec2(0.0);
    barrier();
    for (uint w = 32u; w > 0u; w >>= 1) {
        if (l < w) {
            const vec2 a = part[l], b = part[l + w];
            if (MODE == 2) part[l] = vec2(isnan(a.x) || isnan(b.x) ? a.x + b.x : max(a.x, b.x), 0.0);
            else {
                precise float t = a.x + b.x;
                part[l] = vec2(t, a.y + b.y + ((t - a.x) - b.x));
            }
        }
        barrier();
    }
    if (l == 0u && live) y[o] = finish(part[0].x - part[0].y);
}
#else
void main() {
    const uint o = linearInvocation();
    if (o >= pc.outs) return;
    const vec2 r = partial(offsetOf(o, true), 0u, 1u);
    y[o] = finish(r.x - (MODE == 2 ? 0.0 : r.y));
}
#endif
