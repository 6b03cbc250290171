#version 450
// embedding: y[t, j] = weight[ids[t], j], weight [V, D]. ids are int64 (two
// 32-bit words). An id outside [0, V) writes zeros and sets the status word
// (status[0] = 1, status[1] = the id's low word); the plan then fails the run
// with an error naming the node, as the CPU kernel does.
// Work split: one output element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Ids { int ids[]; };
layout(binding = 1) uniform samplerBuffer W;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(std430, binding = 3) buffer Status { uint status[]; };
layout(push_constant) uniform P { uint n, D, V; } pc;

void main() {
    const uint i = linearInvocation();
    if (i >= pc.n) return;
    const uint t = i / pc.D, j = i % pc.D;
    const int lo = ids[2 * t], hi = ids[2 * t + 1];
    if (hi != 0 || lo < 0 || lo >= int(pc.V)) {
        status[1] = uint(lo);
        status[0] = 1u;
        y[i] = 0.0;
        return;
    }
    y[i] = texelFetch(W, lo * int(pc.D) + int(j)).x;
}
