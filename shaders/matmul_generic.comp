#version 450
// Register-blocked SGEMM with arbitrary element strides over scalar texel
// buffers (transposes, odd sizes) for CPU Vulkan devices:
//   C[z, m, n] = act(alpha * sum_k A[z](m, k) * B[z](k, n) + bias[n]),
//   A[z](m, k) = A[a0 + m*sam + k*sak], B[z](k, n) = B[b0 + k*sbk + n*sbn].
// Work split: each invocation computes a 4 x 4 block (x: columns, y: rows, z: batch).
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
    const uint n0 = gl_GlobalInvocationID.x * 4, m0 = gl_GlobalInvocationID.y * 4, z = gl_GlobalInvocationID.z;
    if (n0 >= pc.N || m0 >= pc.M || z >= pc.batch) return;
    const uint z1 = z / pc.nb2, z2 = z % pc.nb2;
    const uint a0 = z1 * pc.sa1 + z2 * pc.sa2, b0 = z1 * pc.sb1 + z2 * pc.sb2;
    uint ar[4], bc[4];
    for (int i = 0; i < 4; ++i) {
        ar[i] = a0 + min(m0 + uint(i), pc.M - 1) * pc.sam;
        bc[i] = b0 + min(n0 + uint(i), pc.N - 1) * pc.sbn;
    }
    vec4 acc[4] = vec4[4](vec4(0.0), vec4(0.0), vec4(0.0), vec4(0.0));
    for (uint k = 0; k < pc.K; ++k) {
        const uint ak = k * pc.sak, bk = k * pc.sbk;
        vec4 b = vec4(texelFetch(B, int(bc[0] + bk)).x, texelFetch(B, int(bc[1] + bk)).x, texelFetch(B, int(bc[2] + bk)).x,
                      texelFetch(B, int(bc[3] + bk)).x);
        for (int i = 0; i < 4; ++i) acc[i] += texelFetch(A, int(ar[i] + ak)).x * b;
    }
    vec4 bias = vec4(0.0);
    if (HAS_BIAS == 1)
        for (int j = 0; j < 4; ++j) bias[j] = texelFetch(Bias, int(min(n0 + uint(j), pc.N - 1))).x;
    for (int i = 0; i < 4; ++i) {
        const uint m = m0 + uint(i);
        if (m >= pc.M) break;
        const vec4 v = applyAct4(ACT, acc[i] * pc.alpha + bias, pc.p0, pc.p1);
        for (int j = 0; j < 4; ++j)
            if (n0 + uint(j) < pc.N) {
                const uint o = (z * pc.M + m) * pc.N + n0 + uint(j);
                c[o] = HAS_RES == 1 ? v[j] + texelFetch(R, int(o)).x : v[j];
            }
    }
}
