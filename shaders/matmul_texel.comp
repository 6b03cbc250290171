#version 450
#if defined(SUBGROUP)
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_shuffle : require
#endif
// Register-blocked SGEMM over vec4 texel buffers, for CPU Vulkan devices
// (lavapipe vectorises texel reads across invocations; no shared memory, no barriers):
//   C[z, m, n] = act(alpha * sum_k A[z, m, k] * B'[z, k, n] + bias[n])
// nn: B is [K, N] row-major (needs K % 4 == 0 and N % 4 == 0);
// nt: B is [N, K] row-major, i.e. B' = B^T as in linear (needs K % 4 == 0).
// nn8: as nn with a BM x 8 block per invocation (needs N % 8 == 0).
// nn8sg: as nn8, but the BM rows of A that a subgroup's lanes share are fetched once
// (lane l fetches row m0 + l) and passed around with subgroupShuffle: one texel gather
// per k4 for A instead of BM (on lavapipe a shuffle is a register permute, a texel fetch
// a per-lane gather). Needs BM <= subgroup size and subgroups made of whole rows of
// the workgroup (local_size_x a multiple of the subgroup size); the host checks both.
// Work split: each invocation computes a BM x 4 block of C (x: column block
// of 4, y: row block, z: batch); rows past M are clamped on load, masked on store.
// variant: nn TRANS_B=0
// variant: nt TRANS_B=1
// variant: nn8 TRANS_B=0 WIDE=1
// variant: nn8sg TRANS_B=0 WIDE=1 SUBGROUP=1
// variant: nnsg TRANS_B=0 SUBGROUP=1
// variant: ntsg TRANS_B=1 SUBGROUP=1
#include "activation.glsl"

layout(local_size_x_id = 3, local_size_y_id = 4) in;
layout(constant_id = 0) const int BM = 4;
layout(constant_id = 1) const int HAS_BIAS = 0;
layout(constant_id = 2) const int ACT = 0;
layout(constant_id = 5) const int HAS_RES = 0;  // + R[z, m, n] after the activation (fused residual add)
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

void main() {
    const uint n4 = gl_GlobalInvocationID.x, mb = gl_GlobalInvocationID.y, z = gl_GlobalInvocationID.z;
#if defined(WIDE)
    const uint n0 = n4 * 8, m0 = mb * uint(BM);
#else
    const uint n0 = n4 * 4, m0 = mb * uint(BM);
#endif
#if defined(SUBGROUP)
    // m0 and z are uniform in a subgroup (one row of the workgroup); lanes past N keep
    // running (clamped reads, no stores) so that every lane takes part in the shuffles.
    if (m0 >= pc.M || z >= pc.batch) return;
#else
    if (n0 >= pc.N || m0 >= pc.M || z >= pc.batch) return;
#endif
    const uint z1 = z / pc.nb2, z2 = z % pc.nb2;
    const int K4 = int(pc.K / 4);
    const int a0 = int((z1 * pc.sa1 + z2 * pc.sa2) / 4), b0 = int((z1 * pc.sb1 + z2 * pc.sb2) / 4);
    int arow[BM];
    vec4 acc[BM];
    for (int i = 0; i < BM; ++i) {
        arow[i] = a0 + int(min(m0 + uint(i), pc.M - 1)) * K4;
        acc[i] = vec4(0.0);
    }
#if defined(SUBGROUP) && TRANS_B == 1
    int brow[4];
    for (int j = 0; j < 4; ++j) brow[j] = b0 + int(min(n0 + uint(j), pc.N - 1)) * K4;
    const int myRow = arow[gl_SubgroupInvocationID % uint(BM)];
    for (int k4 = 0; k4 < K4; ++k4) {
        vec4 w0 = texelFetch(B, brow[0] + k4), w1 = texelFetch(B, brow[1] + k4), w2 = texelFetch(B, brow[2] + k4), w3 = texelFetch(B, brow[3] + k4);
        const vec4 mine = texelFetch(A, myRow + k4);
        for (int i = 0; i < BM; ++i) {
            vec4 a = subgroupShuffle(mine, uint(i));
            acc[i] += vec4(dot(a, w0), dot(a, w1), dot(a, w2), dot(a, w3));
        }
    }
    if (n0 >= pc.N) return;
#elif defined(SUBGROUP) && !defined(WIDE)
    const int N4 = int(pc.N / 4);
    int bk = b0 + int(min(n4, pc.N / 4 - 1));
    const int myRow = arow[gl_SubgroupInvocationID % uint(BM)];
    for (int k4 = 0; k4 < K4; ++k4, bk += 4 * N4) {
        vec4 w0 = texelFetch(B, bk), w1 = texelFetch(B, bk + N4), w2 = texelFetch(B, bk + 2 * N4), w3 = texelFetch(B, bk + 3 * N4);
        const vec4 mine = texelFetch(A, myRow + k4);
        for (int i = 0; i < BM; ++i) {
            vec4 a = subgroupShuffle(mine, uint(i));
            acc[i] += a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;
        }
    }
    if (n0 >= pc.N) return;
#elif defined(SUBGROUP)
    const int N4 = int(pc.N / 4);
    vec4 acc2[BM];
    for (int i = 0; i < BM; ++i) acc2[i] = vec4(0.0);
    int bk = b0 + 2 * int(min(n4, pc.N / 8 - 1));
    const int myRow = arow[gl_SubgroupInvocationID % uint(BM)];
    for (int k4 = 0; k4 < K4; ++k4, bk += 4 * N4) {
        vec4 w0 = texelFetch(B, bk), w1 = texelFetch(B, bk + N4), w2 = texelFetch(B, bk + 2 * N4), w3 = texelFetch(B, bk + 3 * N4);
        vec4 v0 = texelFetch(B, bk + 1), v1 = texelFetch(B, bk + N4 + 1), v2 = texelFetch(B, bk + 2 * N4 + 1), v3 = texelFetch(B, bk + 3 * N4 + 1);
        const vec4 mine = texelFetch(A, myRow + k4);
        for (int i = 0; i < BM; ++i) {
            vec4 a = subgroupShuffle(mine, uint(i));
            acc[i] += a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;
            acc2[i] += a.x * v0 + a.y * v1 + a.z * v2 + a.w * v3;
        }
    }
    if (n0 >= pc.N) return;
#elif defined(WIDE)
    const int N4 = int(pc.N / 4);
    vec4 acc2[BM];
    for (int i = 0; i < BM; ++i) acc2[i] = vec4(0.0);
    int bk = b0 + 2 * int(n4);
    for (int k4 = 0; k4 < K4; ++k4, bk += 4 * N4) {
        vec4 w0 = texelFetch(B, bk), w1 = texelFetch(B, bk + N4), w2 = texelFetch(B, bk + 2 * N4), w3 = texelFetch(B, bk + 3 * N4);
        vec4 v0 = texelFetch(B, bk + 1), v1 = texelFetch(B, bk + N4 + 1), v2 = texelFetch(B, bk + 2 * N4 + 1), v3 = texelFetch(B, bk + 3 * N4 + 1);
        for (int i = 0; i < BM; ++i) {
            vec4 a = texelFetch(A, arow[i] + k4);
            acc[i] += a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;
            acc2[i] += a.x * v0 + a.y * v1 + a.z * v2 + a.w * v3;
        }
    }
#elif TRANS_B == 0
    const int N4 = int(pc.N / 4);
    int bk = b0 + int(n4);
    for (int k4 = 0; k4 < K4; ++k4, bk += 4 * N4) {
        vec4 w0 = texelFetch(B, bk), w1 = texelFetch(B, bk + N4), w2 = texelFetch(B, bk + 2 * N4), w3 = texelFetch(B, bk + 3 * N4);
        for (int i = 0; i < BM; ++i) {
            vec4 a = texelFetch(A, arow[i] + k4);
            acc[i] += a.x * w0 + a.y * w1 + a.z * w2 + a.w * w3;
        }
    }
#else
    int brow[4];
    for (int j = 0; j < 4; ++j) brow[j] = b0 + int(min(n0 + uint(j), pc.N - 1)) * K4;
    for (int k4 = 0; k4 < K4; ++k4) {
        vec4 w0 = texelFetch(B, brow[0] + k4), w1 = texelFetch(B, brow[1] + k4), w2 = texelFetch(B, brow[2] + k4), w3 = texelFetch(B, brow[3] + k4);
        for (int i = 0; i < BM; ++i) {
            vec4 a = texelFetch(A, arow[i] + k4);
            acc[i] += vec4(dot(a, w0), dot(a, w1), dot(a, w2), dot(a, w3));
        }
    }
#endif
    vec4 bias = vec4(0.0);
    if (HAS_BIAS == 1)
        for (int j = 0; j < 4; ++j) bias[j] = texelFetch(Bias, int(min(n0 + uint(j), pc.N - 1))).x;
    for (int i = 0; i < BM; ++i) {
        const uint m = m0 + uint(i);
        if (m >= pc.M) break;
        const vec4 v = applyAct4(ACT, acc[i] * pc.alpha + bias, pc.p0, pc.p1);
        const uint base = (z * pc.M + m) * pc.N + n0;
        for (int j = 0; j < 4; ++j)
            if (n0 + uint(j) < pc.N) c[base + uint(j)] = HAS_RES == 1 ? v[j] + texelFetch(R, int(base + uint(j))).x : v[j];
#if defined(WIDE)
        vec4 bias2 = vec4(0.0);
        if (HAS_BIAS == 1)
            for (int j = 0; j < 4; ++j) bias2[j] = texelFetch(Bias, int(n0 + 4 + uint(j))).x;
        const vec4 v2 = applyAct4(ACT, acc2[i] * pc.alpha + bias2, pc.p0, pc.p1);
        for (int j = 0; j < 4; ++j) c[base + 4 + uint(j)] = HAS_RES == 1 ? v2[j] + texelFetch(R, int(base + 4 + uint(j))).x : v2[j];
#endif
    }
}
