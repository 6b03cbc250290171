#version 450
// polyrelu: y = bias + sum_{k=1..order} weight[k-1] * relu(x)^k. One invocation per element.
// Bindings (plugin ABI order): x, weight [order], bias [1], y.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer W { float w[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint n; int order; } pc;

void main() {
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    if (i >= pc.n) return;
    const float v = max(x[i], 0.0);
    float p = 1.0, acc = b[0];
    for (int k = 0; k < pc.order; ++k) {
        p *= v;
        acc += w[k] * p;
    }
    y[i] = acc;
}
