#version 450
// polynorm: y = bias + sum_{k=1..order} weight[k-1] * x^k / sqrt(mean_row(x^2k) + eps).
// One invocation per row of length D: a pass for the order (<= 8) sums of squares,
// a pass for the output. Bindings (plugin ABI order): x, weight [order], bias [1], y.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer W { float w[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint rows; uint D; int order; float eps; } pc;

void main() {
    const uint row = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    if (row >= pc.rows) return;
    const uint base = row * pc.D;
    float ss[8] = float[8](0, 0, 0, 0, 0, 0, 0, 0);
    for (uint j = 0; j < pc.D; ++j) {
        const float v = x[base + j];
        float p = 1.0;
        for (int k = 0; k < pc.order; ++k) {
            p *= v;
            ss[k] += p * p;
        }
    }
    float inv[8];
    for (int k = 0; k < pc.order; ++k) inv[k] = inversesqrt(ss[k] / float(pc.D) + pc.eps);
    for (uint j = 0; j < pc.D; ++j) {
        const float v = x[base + j];
        float p = 1.0, acc = b[0];
        for (int k = 0; k < pc.order; ++k) {
            p *= v;
            acc += w[k] * p * inv[k];
        }
        y[base + j] = acc;
    }
}
