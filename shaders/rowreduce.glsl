// Workgroup reductions for the TREE (GPU) variants of the row kernels (softmax,
// layernorm, rmsnorm): one row per workgroup of 64 invocations; each invocation
// reduces a strided part of the row, then a shared-memory tree combines the 64
// partials (log2 64 = 6 steps, a barrier each). Call from uniform control flow only.
#ifndef ARCHSCOPE_ROWREDUCE_GLSL
#define ARCHSCOPE_ROWREDUCE_GLSL

shared float rowPart[64];

// The row of this workgroup (a 1-D grid the host may have split over x and y).
uint groupRow() { return gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x; }

float groupSum(float v) {
    const uint l = gl_LocalInvocationID.x;
    rowPart[l] = v;
    barrier();
    for (uint w = 32u; w > 0u; w >>= 1) {
        if (l < w) rowPart[l] += rowPart[l + w];
        barrier();
    }
    const float r = rowPart[0];
    barrier();  // rowPart is reused by the next reduction
    return r;
}

float groupMax(float v) {
    const uint l = gl_LocalInvocationID.x;
    rowPart[l] = v;
    barrier();
    for (uint w = 32u; w > 0u; w >>= 1) {
        if (l < w) rowPart[l] = max(rowPart[l], rowPart[l + w]);
        barrier();
    }
    const float r = rowPart[0];
    barrier();
    return r;
}

#endif
