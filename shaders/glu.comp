#version 450
// Fused GLU / SwiGLU / GeGLU: two linears on the same x and the gate in one pass:
//   y[m, n] = (x Wa^T + ba)[m, n] * act((x Wb^T + bb)[m, n]),   Wa, Wb [N, K]
// Work split: each invocation computes a 4 x 4 block of y (x: column block, y:
// row block), both products at once; rows/columns past the edge are clamped on
// load and masked on store. vec4 variant (K % 4 == 0) reads vec4 texels.
// TILED (GPUs): 16 x 16 invocations per workgroup, one y element each; tiles of x, Wa
// and Wb (16 x 16 each) staged through shared memory, as matmul_tiled.
// variant: vec4 VEC4=1 TILED=0
// variant: scalar VEC4=0 TILED=0
// variant: tiled VEC4=0 TILED=1
#include "activation.glsl"

#if TILED == 1
#define TS 16
layout(local_size_x = TS, local_size_y = TS) in;
#else
layout(local_size_x = 8, local_size_y = 8) in;
#endif
layout(constant_id = 0) const int HAS_BA = 0;
layout(constant_id = 1) const int HAS_BB = 0;
layout(constant_id = 2) const int ACT = 0;
layout(binding = 0) uniform samplerBuffer X;
layout(binding = 1) uniform samplerBuffer Wa;
layout(binding = 2) uniform samplerBuffer Ba;
layout(binding = 3) uniform samplerBuffer Wb;
layout(binding = 4) uniform samplerBuffer Bb;
layout(std430, binding = 5) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint M, N, K; float p0, p1; } pc;

#if TILED == 1
shared float tx[TS][TS];
shared float ta[TS][TS];
shared float tb[TS][TS];

void main() {
    const uint lx = gl_LocalInvocationID.x, ly = gl_LocalInvocationID.y;
    const uint n = gl_WorkGroupID.x * TS + lx, m = gl_WorkGroupID.y * TS + ly, nw = gl_WorkGroupID.x * TS + ly;
    float ga = 0.0, gb = 0.0;
    for (uint k0 = 0; k0 < pc.K; k0 += TS) {
        const uint k = k0 + lx;
        tx[ly][lx] = m < pc.M && k < pc.K ? texelFetch(X, int(m * pc.K + k)).x : 0.0;
        ta[ly][lx] = nw < pc.N && k < pc.K ? texelFetch(Wa, int(nw * pc.K + k)).x : 0.0;  // row nw of Wa
        tb[ly][lx] = nw < pc.N && k < pc.K ? texelFetch(Wb, int(nw * pc.K + k)).x : 0.0;
        barrier();
        for (uint t = 0; t < TS; ++t) {
            ga += tx[ly][t] * ta[lx][t];
            gb += tx[ly][t] * tb[lx][t];
        }
        barrier();
    }
    if (m >= pc.M || n >= pc.N) return;
    const float a = ga + (HAS_BA == 1 ? texelFetch(Ba, int(n)).x : 0.0), b = gb + (HAS_BB == 1 ? texelFetch(Bb, int(n)).x : 0.0);
    y[m * pc.N + n] = a * applyAct(ACT, b, pc.p0, pc.p1);
}
#else

void main() {
    const uint n0 = gl_GlobalInvocationID.x * 4, m0 = gl_GlobalInvocationID.y * 4;
    if (n0 >= pc.N || m0 >= pc.M) return;
#if VEC4 == 1
    const int K = int(pc.K / 4);
#else
    const int K = int(pc.K);
#endif
    int xr[4], wr[4];
    for (int i = 0; i < 4; ++i) {
        xr[i] = int(min(m0 + uint(i), pc.M - 1)) * K;
        wr[i] = int(min(n0 + uint(i), pc.N - 1)) * K;
    }
    vec4 ga[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));
    vec4 gb[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));
    for (int k = 0; k < K; ++k) {
#if VEC4 == 1
        const vec4 a0 = texelFetch(Wa, wr[0] + k), a1 = texelFetch(Wa, wr[1] + k), a2 = texelFetch(Wa, wr[2] + k), a3 = texelFetch(Wa, wr[3] + k);
        const vec4 b0 = texelFetch(Wb, wr[0] + k), b1 = texelFetch(Wb, wr[1] + k), b2 = texelFetch(Wb, wr[2] + k), b3 = texelFetch(Wb, wr[3] + k);
        for (int i = 0; i < 4; ++i) {
            const vec4 x = texelFetch(X, xr[i] + k);
            ga[i] += vec4(dot(x, a0), dot(x, a1), dot(x, a2), dot(x, a3));
            gb[i] += vec4(dot(x, b0), dot(x, b1), dot(x, b2), dot(x, b3));
        }
#else
        const vec4 a = vec4(texelFetch(Wa, wr[0] + k).x, texelFetch(Wa, wr[1] + k).x, texelFetch(Wa, wr[2] + k).x, texelFetch(Wa, wr[3] + k).x);
        const vec4 b = vec4(texelFetch(Wb, wr[0] + k).x, texelFetch(Wb, wr[1] + k).x, texelFetch(Wb, wr[2] + k).x, texelFetch(Wb, wr[3] + k).x);
        for (int i = 0; i < 4; ++i) {
            const float x = texelFetch(X, xr[i] + k).x;
            ga[i] += x * a;
            gb[i] += x * b;
        }
#endif
    }
    vec4 ba = vec4(0.0), bb = vec4(0.0);
    for (int j = 0; j < 4; ++j) {
        const int n = int(min(n0 + uint(j), pc.N - 1));
        if (HAS_BA == 1) ba[j] = texelFetch(Ba, n).x;
        if (HAS_BB == 1) bb[j] = texelFetch(Bb, n).x;
    }
    for (int i = 0; i < 4; ++i) {
        const uint m = m0 + uint(i);
        if (m >= pc.M) break;
        const vec4 v = (ga[i] + ba) * applyAct4(ACT, gb[i] + bb, pc.p0, pc.p1);
        for (int j = 0; j < 4; ++j)
            if (n0 + uint(j) < pc.N) y[m * pc.N + n0 + uint(j)] = v[j];
    }
}
#endif
