#version 450
// embedding: y[t, j] = weight[ids[t], j], weight [V, D]. ids are int64; the low
// 32-bit word is read (ids are < 2^31). Out-of-range ids are clamped to
// [0, V) here, where the CPU kernel raises an error (documented difference).
// Work split: one output element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Ids { int ids[]; };
layout(binding = 1) uniform samplerBuffer W;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint n, D, V; } pc;

void main() {
    const uint i = linearInvocation();
    if (i >= pc.n) return;
    const uint t = i / pc.D, j = i % pc.D;
    const int id = clamp(ids[2 * t], 0, int(pc.V) - 1);
    y[i] = texelFetch(W, id * int(pc.D) + int(j)).x;
}
