#version 450
// topk along one axis, as the CPU kernel: element p of a row goes to output
// position rank(p) = #{q : q before p} when rank(p) < K, where "before" is the
// strict order of torch.topk (larger first when LARGEST, else smaller first;
// NaN above every number; ties by lower index). indices are int64 (low word, high 0).
// KEEP (keep_topk, last axis, largest): y[p] = x[p] when rank(p) < K, else 0, with NaN
// counted as +inf like the CPU kernel.
// Work split: one (row, element) pair per invocation, O(L) comparisons each.
// variant: select KEEP=0
// variant: keep KEEP=1
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int LARGEST = 1;
layout(binding = 0) uniform samplerBuffer X;
layout(std430, binding = 1) writeonly buffer V { float vals[]; };
#if KEEP == 0
layout(std430, binding = 2) writeonly buffer I { int idx[]; };
#endif
layout(push_constant) uniform P { uint rows, L, inner, K; } pc;

#if KEEP == 1
float key(float a) { return isnan(a) ? uintBitsToFloat(0x7f800000u) : a; }
bool greaterNan(float a, float b) { return key(a) > key(b); }
#else
bool greaterNan(float a, float b) { return isnan(a) ? !isnan(b) : (!isnan(b) && a > b); }
#endif
bool before(float a, uint p, float b, uint q) {
    const bool ab = LARGEST == 1 ? greaterNan(a, b) : greaterNan(b, a);
    const bool ba = LARGEST == 1 ? greaterNan(b, a) : greaterNan(a, b);
    return ab || (!ba && p < q);
}

void main() {
    const uint e = linearInvocation();
    if (e >= pc.rows * pc.L) return;
    const uint r = e / pc.L, p = e % pc.L;
    const uint o = r / pc.inner, i = r % pc.inner;
    const int base = int(o * pc.L * pc.inner + i);
    const float xp = texelFetch(X, base + int(p * pc.inner)).x;
    uint rank = 0;
    for (uint q = 0; q < pc.L && rank < pc.K; ++q)
        if (q != p && before(texelFetch(X, base + int(q * pc.inner)).x, q, xp, p)) ++rank;
#if KEEP == 1
    vals[uint(base) + p * pc.inner] = rank < pc.K ? xp : 0.0;
#else
    if (rank >= pc.K) return;
    const uint out_ = o * pc.K * pc.inner + rank * pc.inner + i;
    vals[out_] = xp;
    idx[2 * out_] = int(p);
    idx[2 * out_ + 1] = 0;
#endif
}
