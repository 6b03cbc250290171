#version 450
// Attention masks and biases over [Tq, Tk] planes (q = offset + i):
//   causal / sliding window (ALIBI = 0): y[i, j] = 0 if q - window < j <= q else -inf
//   alibi (ALIBI = 1): y[h, i, j] = slope[h] * (j - q)   (slopes from the host, per head)
// Work split: one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int ALIBI = 0;
layout(binding = 0) uniform samplerBuffer Slopes;
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, Tq, Tk, offset, window; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const int j = int(e % pc.Tk), i = int((e / pc.Tk) % pc.Tq), h = int(e / (pc.Tk * pc.Tq));
    const int q = int(pc.offset) + i;
    if (ALIBI == 1) { y[e] = texelFetch(Slopes, h).x * float(j - q); return; }
    y[e] = (j <= q && j > q - int(pc.window)) ? 0.0 : uintBitsToFloat(0xff800000u);
}
