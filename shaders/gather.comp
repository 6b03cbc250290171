#version 450
// Strided copy of 32-bit words for layout ops (permute, reshape, flatten,
// slice, split, concat), bit-exact for f32 (E = 1 word) and i64 (E = 2):
//   for each index c over `shape`:  y[dst0 + sum c_k dst_k] = x[src0 + sum c_k src_k]
// Work split: one word of one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { uint x[]; };
layout(std430, binding = 1) writeonly buffer Y { uint y[]; };
layout(push_constant) uniform P { uint n, E, src0, dst0; uint shape[6]; uint src[6]; uint dst[6]; } pc;

void main() {
    const uint w = linearInvocation();
    if (w >= pc.n * pc.E) return;
    uint r = w / pc.E, so = pc.src0, dO = pc.dst0;
    for (int d = 5; d >= 0; --d) {
        const uint c = r % pc.shape[d];
        so += c * pc.src[d];
        dO += c * pc.dst[d];
        r /= pc.shape[d];
    }
    y[dO * pc.E + w % pc.E] = x[so * pc.E + w % pc.E];
}
