#version 450
// Swin window layout with cyclic shift s (ops/layout_util.h windowCopy), as a gather
// over the output:
//   PARTITION = 1: y[(b*(H/M) + wh)*(W/M) + ww, i*M + j, c] = x[b, (wh*M + i + s) % H, (ww*M + j + s) % W, c]
//   PARTITION = 0: the inverse, y [B, H, W, C] from windows x.
// Work split: one element per invocation.
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int PARTITION = 1;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint total, H, W, C, M, s; } pc;

void main() {
    const uint e = linearInvocation();
    if (e >= pc.total) return;
    const uint c = e % pc.C, nh = pc.H / pc.M, nw = pc.W / pc.M;
    if (PARTITION == 1) {
        const uint p = (e / pc.C) % (pc.M * pc.M), win = e / (pc.C * pc.M * pc.M);
        const uint i = p / pc.M, j = p % pc.M, ww = win % nw, wh = (win / nw) % nh, b = win / (nw * nh);
        const uint hh = (wh * pc.M + i + pc.s) % pc.H, wc = (ww * pc.M + j + pc.s) % pc.W;
        y[e] = x[((b * pc.H + hh) * pc.W + wc) * pc.C + c];
    } else {
        const uint wc = (e / pc.C) % pc.W, hh = (e / (pc.C * pc.W)) % pc.H, b = e / (pc.C * pc.W * pc.H);
        const uint hs = (hh + pc.H - pc.s) % pc.H, ws = (wc + pc.W - pc.s) % pc.W;
        const uint win = (b * nh + hs / pc.M) * nw + ws / pc.M, p = (hs % pc.M) * pc.M + ws % pc.M;
        y[e] = x[(win * pc.M * pc.M + p) * pc.C + c];
    }
}
