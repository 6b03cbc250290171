#version 450
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_shuffle : require
// SGEMM for CPU Vulkan devices with subgroups of 8 (lavapipe), fully unrolled:
//   C[z, m, n] = act(alpha * sum_k A[z, m, k] * B[z, k, n] + bias[n]) [+ R[z, m, n]],
// A [M, K] and B [K, N] row-major per batch, K % 4 == 0, N % 8 == 0.
// Work split: each invocation computes an 8 x 8 block of C held in 16 named vec4
// registers (no arrays, so nothing is demoted to per-lane scratch memory). The 8
// lanes of a subgroup share the block's 8 rows: lane l fetches row m0 + l of A (one
// vec4 texel per 4 k) and the others read it with subgroupShuffle; each lane fetches
// its own 8 columns of B (two vec4 texels per k). Needs local_size_x a multiple of 8
// and subgroups of exactly 8 (the host checks).
#include "activation.glsl"

layout(local_size_x_id = 3, local_size_y_id = 4) in;
layout(constant_id = 1) const int HAS_BIAS = 0;
layout(constant_id = 2) const int ACT = 0;
layout(constant_id = 5) const int HAS_RES = 0;
layout(binding = 0) uniform samplerBuffer A;
layout(binding = 1) uniform samplerBuffer B;
layout(binding = 2) uniform samplerBuffer Bias;
layout(std430, binding = 3) writeonly buffer C { float c[]; };
layout(binding = 4) uniform samplerBuffer R;
layout(push_constant) uniform P {
    uint M, N, K, nb2;
    uint sa1, sa2, sb1, sb2;
    uint sam, sak, sbk, sbn;
    float alpha, p0, p1;
    uint batch;
} pc;

#define STEP(i, a0, a1)                                                     \
    {                                                                       \
        const vec4 a = subgroupShuffle(mine, i);                            \
        a0 += a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;                    \
        a1 += a.x * v0 + a.y * v1 + a.z * v2 + a.w * v3;                    \
    }

#define STORE(i, a0, a1)                                                    \
    if (m0 + i < pc.M) {                                                    \
        const uint base = (z * pc.M + m0 + i) * pc.N + n0;                  \
        vec4 r0 = applyAct4(ACT, a0 * pc.alpha + bias0, pc.p0, pc.p1);      \
        vec4 r1 = applyAct4(ACT, a1 * pc.alpha + bias1, pc.p0, pc.p1);      \
        for (int j = 0; j < 4; ++j) {                                       \
            c[base + uint(j)] = HAS_RES == 1 ? r0[j] + texelFetch(R, int(base + uint(j))).x : r0[j];          \
            c[base + 4u + uint(j)] = HAS_RES == 1 ? r1[j] + texelFetch(R, int(base + 4u + uint(j))).x : r1[j]; \
        }                                                                   \
    }

void main() {
    const uint n8 = gl_GlobalInvocationID.x, m0 = gl_GlobalInvocationID.y * 8u, z = gl_GlobalInvocationID.z;
    if (m0 >= pc.M || z >= pc.batch) return;  // uniform in a subgroup
    const uint n0 = n8 * 8u;
    const uint z1 = z / pc.nb2, z2 = z % pc.nb2;
    const int K4 = int(pc.K / 4), N4 = int(pc.N / 4);
    const int a0 = int((z1 * pc.sa1 + z2 * pc.sa2) / 4), b0 = int((z1 * pc.sb1 + z2 * pc.sb2) / 4);
    const int myRow = a0 + int(min(m0 + gl_SubgroupInvocationID, pc.M - 1)) * K4;
    int bk = b0 + 2 * int(min(n8, pc.N / 8u - 1u));
    vec4 c00 = vec4(0), c01 = vec4(0), c10 = vec4(0), c11 = vec4(0), c20 = vec4(0), c21 = vec4(0), c30 = vec4(0), c31 = vec4(0);
    vec4 c40 = vec4(0), c41 = vec4(0), c50 = vec4(0), c51 = vec4(0), c60 = vec4(0), c61 = vec4(0), c70 = vec4(0), c71 = vec4(0);
    for (int k4 = 0; k4 < K4; ++k4, bk += 4 * N4) {
        const vec4 w0 = texelFetch(B, bk), w1 = texelFetch(B, bk + N4), w2 = texelFetch(B, bk + 2 * N4), w3 = texelFetch(B, bk + 3 * N4);
        const vec4 v0 = texelFetch(B, bk + 1), v1 = texelFetch(B, bk + N4 + 1), v2 = texelFetch(B, bk + 2 * N4 + 1), v3 = texelFetch(B, bk + 3 * N4 + 1);
        const vec4 mine = texelFetch(A, myRow + k4);
        STEP(0u, c00, c01) STEP(1u, c10, c11) STEP(2u, c20, c21) STEP(3u, c30, c31)
        STEP(4u, c40, c41) STEP(5u, c50, c51) STEP(6u, c60, c61) STEP(7u, c70, c71)
    }
    if (n0 >= pc.N) return;
    vec4 bias0 = vec4(0.0), bias1 = vec4(0.0);
    if (HAS_BIAS == 1)
        for (int j = 0; j < 4; ++j) {
            bias0[j] = texelFetch(Bias, int(n0) + j).x;
            bias1[j] = texelFetch(Bias, int(n0) + 4 + j).x;
        }
    STORE(0u, c00, c01) STORE(1u, c10, c11) STORE(2u, c20, c21) STORE(3u, c30, c31)
    STORE(4u, c40, c41) STORE(5u, c50, c51) STORE(6u, c60, c61) STORE(7u, c70, c71)
}
