#version 450
// Shared-memory tiled SGEMM over storage buffers, for GPUs (slow on lavapipe,
// where each barrier() is a coroutine switch; forced there by --gpu-kernels):
//   C[z, m, n] = act(alpha * sum_k A[z](m, k) * B[z](k, n) + bias[n]), strides as matmul_generic.
// Work split: 16 x 16 invocations per workgroup, one C element each; A and B
// tiles of 16 x 16 staged through shared memory.
#include "activation.glsl"

#define TS 16
layout(local_size_x = TS, local_size_y = TS) in;
layout(constant_id = 0) const int BM = 1;
layout(constant_id = 1) const int HAS_BIAS = 0;
layout(constant_id = 2) const int ACT = 0;
layout(constant_id = 5) const int HAS_RES = 0;  // + R[z, m, n] after the activation (fused residual add)
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer C { float c[]; };
layout(std430, binding = 4) readonly buffer R { float r[]; };
layout(push_constant) uniform P {
    uint M, N, K, nb2;
    uint sa1, sa2, sb1, sb2;
    uint sam, sak, sbk, sbn;
    float alpha, p0, p1;
    uint batch;
} pc;

shared float ta[TS][TS];
shared float tb[TS][TS];

void main() {
    const uint lx = gl_LocalInvocationID.x, ly = gl_LocalInvocationID.y;
    const uint n = gl_WorkGroupID.x * TS + lx, m = gl_WorkGroupID.y * TS + ly, z = gl_WorkGroupID.z;
    const uint z1 = z / pc.nb2, z2 = z % pc.nb2;
    const uint a0 = z1 * pc.sa1 + z2 * pc.sa2, b0 = z1 * pc.sb1 + z2 * pc.sb2;
    float acc = 0.0;
    for (uint k0 = 0; k0 < pc.K; k0 += TS) {
        const uint ka = k0 + lx, kb = k0 + ly;
        ta[ly][lx] = (m < pc.M && ka < pc.K) ? a[a0 + m * pc.sam + ka * pc.sak] : 0.0;
        tb[ly][lx] = (kb < pc.K && n < pc.N) ? b[b0 + kb * pc.sbk + n * pc.sbn] : 0.0;
        barrier();
        for (uint k = 0; k < TS; ++k) acc += ta[ly][k] * tb[k][lx];
        barrier();
    }
    if (m >= pc.M || n >= pc.N) return;
    float v = acc * pc.alpha + (HAS_BIAS == 1 ? bias[n] : 0.0);
    const uint o = (z * pc.M + m) * pc.N + n;
    c[o] = applyAct(ACT, v, pc.p0, pc.p1) + (HAS_RES == 1 ? r[o] : 0.0);
}
