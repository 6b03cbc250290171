#version 450
// Fused softmax attention with online softmax (FlashAttention style), for the
// chain matmul(q, k) -> [scale] -> [mask] -> softmax -> matmul(., v):
//   s_j = c1 * <q_i, k_j> + c0  [+ mask_ij before the temperature]
//   z_j = s_j * invTemp         [+ mask_ij after it: softmax's own mask input]
//   y_i = alphaOut * sum_j softmax(z)_j v_j
// MASK = 0 none, 1 a mask tensor (broadcast by strides), 2 causal / sliding window
// computed inline (visible iff q - window < j <= q, q = offset + i). Hidden
// entries give exp(-inf) = 0; a row with nothing visible (or, for softmax's mask,
// every mask value <= -1e9) gives zeros, as the softmax op.
// Work split: one query row per invocation; keys in tiles of TK: the tile's
// scores first, then one rescale of the running (max, sum, accumulator) per tile.
// The accumulator of dv floats lives in registers (DV4 vec4s, a specialization constant).
// TILED = 0 (CPU devices): rows in any order, K and V read through texel buffers.
// TILED = 1 (GPUs): a workgroup holds 64 query rows of one batch entry; per tile the
// workgroup loads TK keys and values (TK * (dk + dv) floats) into shared memory once,
// then every row reads them there (two barriers per tile).
// variant: texel TILED=0
// variant: tiled TILED=1
#include "common.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const int MASK = 0;
layout(constant_id = 1) const int MASK_AFTER_TEMP = 0;
layout(constant_id = 2) const int DV4 = 1;
layout(constant_id = 3) const int TK = 8;    // keys per tile
layout(constant_id = 4) const int DKS = 1;   // TILED: dk (row stride of the shared K tile)
layout(constant_id = 5) const int DVS = 1;   // TILED: dv (row stride of the shared V tile)
layout(binding = 0) uniform samplerBuffer Q;
layout(binding = 1) uniform samplerBuffer K;
layout(binding = 2) uniform samplerBuffer V;
layout(binding = 3) uniform samplerBuffer Mask;
layout(std430, binding = 4) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P {
    uint rows, nb1, nb2;          // rows = batch * Tq; batch index z = (z0 * nb1 + z1) * nb2 + z2
    uint Tq, Tk, dk, dv;
    uint skj, skd;                // k element strides (key, dim)
    uint smi, smj;                // mask strides (query, key)
    uint offset, window;
    float c1, c0, invTemp, alphaOut;
    uint bq[3], bk[3], bv[3], bm[3];  // batch strides per level
} pc;

#define NEG_INF uintBitsToFloat(0xff800000u)

#if TILED == 1
shared float sk[TK * DKS];
shared float sv[TK * DVS];
#define KEY(j, t, c) sk[(t) * DKS + int(c)]
#define VAL(j, t, c) sv[(t) * DVS + (c)]
#else
#define KEY(j, t, c) texelFetch(K, kj + int((c) * pc.skd)).x
#define VAL(j, t, c) texelFetch(V, vj + (c)).x
#endif

void main() {
#if TILED == 1
    const uint qBlocks = (pc.Tq + 63u) / 64u, wg = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint z = wg / qBlocks, l = gl_LocalInvocationID.x, i = (wg % qBlocks) * 64u + l;
    if (z * pc.Tq >= pc.rows) return;  // the whole workgroup: uniform
    const bool live = i < pc.Tq;
    const uint r = z * pc.Tq + i;
#else
    const uint r = linearInvocation();
    if (r >= pc.rows) return;
    const uint i = r % pc.Tq, z = r / pc.Tq;
    const bool live = true;
#endif
    const uint z2 = z % pc.nb2, z1 = (z / pc.nb2) % pc.nb1, z0 = z / (pc.nb2 * pc.nb1);
    const int q0 = int(z0 * pc.bq[0] + z1 * pc.bq[1] + z2 * pc.bq[2] + i * pc.dk);
    const int k0 = int(z0 * pc.bk[0] + z1 * pc.bk[1] + z2 * pc.bk[2]);
    const int v0 = int(z0 * pc.bv[0] + z1 * pc.bv[1] + z2 * pc.bv[2]);
    const int m0 = int(z0 * pc.bm[0] + z1 * pc.bm[1] + z2 * pc.bm[2] + i * pc.smi);
    const int qpos = int(pc.offset + i);
    vec4 acc[DV4];
    for (int e = 0; e < DV4; ++e) acc[e] = vec4(0.0);
    float mx = NEG_INF, sum = 0.0;
    bool allDropped = MASK == 1 && MASK_AFTER_TEMP == 1;
    for (uint j0 = 0; j0 < pc.Tk; j0 += uint(TK)) {
#if TILED == 1
        barrier();  // the previous tile is no longer read
        for (uint e = l; e < uint(TK) * (pc.dk + pc.dv); e += 64u) {
            const bool isK = e < uint(TK) * pc.dk;
            const uint f = isK ? e : e - uint(TK) * pc.dk, w = isK ? pc.dk : pc.dv, t = f / w, c = f % w, j = j0 + t;
            if (isK) sk[t * uint(DKS) + c] = j < pc.Tk ? texelFetch(K, k0 + int(j * pc.skj + c * pc.skd)).x : 0.0;
            else sv[t * uint(DVS) + c] = j < pc.Tk ? texelFetch(V, v0 + int(j * pc.dv + c)).x : 0.0;
        }
        barrier();
        if (!live) continue;
#endif
        float s[TK];
        float tileMax = NEG_INF;
        for (int t = 0; t < TK; ++t) {
            const uint j = j0 + uint(t);
            s[t] = NEG_INF;
            if (j >= pc.Tk) continue;
            if (MASK == 2 && !(int(j) <= qpos && int(j) > qpos - int(pc.window))) continue;
            float d = 0.0;
            const int kj = k0 + int(j * pc.skj);
            for (uint c = 0; c < pc.dk; ++c) d += texelFetch(Q, q0 + int(c)).x * KEY(j, t, c);
            float v = d * pc.c1 + pc.c0;
            if (MASK == 1 && MASK_AFTER_TEMP == 0) v += texelFetch(Mask, m0 + int(j * pc.smj)).x;
            v *= pc.invTemp;
            if (MASK == 1 && MASK_AFTER_TEMP == 1) {
                const float mv = texelFetch(Mask, m0 + int(j * pc.smj)).x;
                allDropped = allDropped && mv <= -1e9;
                v += mv;
            }
            s[t] = v;
            tileMax = max(tileMax, v);
        }
        const float newMax = max(mx, tileMax);
        if (newMax == NEG_INF) continue;  // nothing visible yet
        const float scale = exp(mx - newMax);  // 0 when mx = -inf
        sum *= scale;
        for (int e = 0; e < DV4; ++e) acc[e] *= scale;
        for (int t = 0; t < TK; ++t) {
            if (s[t] == NEG_INF) continue;
            const float p = exp(s[t] - newMax);
            sum += p;
            const int vj = v0 + int((j0 + uint(t)) * pc.dv);
            for (int e = 0; e < DV4; ++e) {
                const int c = 4 * e;
                const int last = int(pc.dv) - 1;
                acc[e] += p * vec4(VAL(j, t, min(c, last)), VAL(j, t, min(c + 1, last)), VAL(j, t, min(c + 2, last)), VAL(j, t, min(c + 3, last)));
            }
        }
        mx = newMax;
    }
    if (!live) return;
    const bool empty = allDropped || mx == NEG_INF;
    const float inv = empty ? 0.0 : pc.alphaOut / sum;
    const uint out0 = r * pc.dv;
    for (int e = 0; e < DV4; ++e)
        for (int c = 0; c < 4; ++c)
            if (uint(4 * e + c) < pc.dv) y[out0 + uint(4 * e + c)] = acc[e][c] * inv;
}
