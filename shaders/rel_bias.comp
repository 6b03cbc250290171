#version 450
// T5 relative position bias over [H, Tq, Tk] (ops/rel_bias.cpp):
//   y[h, i, j] = table[bucket[j - i + Tq - 1] * H + h]
// with the bucket of every relative distance computed on the host (exact integers in f32).
// Work split: one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(binding = 0) uniform samplerBuffer Bucket;
layout(binding = 1) uniform samplerBuffer Table;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, Tq, Tk, H; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const int j = int(e % pc.Tk), i = int((e / pc.Tk) % pc.Tq), h = int(e / (pc.Tk * pc.Tq));
    const int b = int(texelFetch(Bucket, j - i + int(pc.Tq) - 1).x);
    y[e] = texelFetch(Table, b * int(pc.H) + h).x;
}
