#version 450
// kat_rational: y = P(x) / (1 + |b1 x + b2 x^2 + b3 x^3 + b4 x^4|), P of degree 5,
// coefficients of group (i % C) / (C / groups). One invocation per element.
// Bindings (plugin ABI order): x, numerator [G, 6], denominator [G, 4], y.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer A { float a[]; };
layout(std430, binding = 2) readonly buffer B { float b[]; };
layout(std430, binding = 3) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint n; uint C; int groups; } pc;

void main() {
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    if (i >= pc.n) return;
    const uint g = (i % pc.C) / (pc.C / uint(pc.groups));
    const float v = x[i];
    const uint ao = 6 * g, bo = 4 * g;
    const float p = a[ao] + v * (a[ao + 1] + v * (a[ao + 2] + v * (a[ao + 3] + v * (a[ao + 4] + v * a[ao + 5]))));
    const float q = 1.0 + abs(v * (b[bo] + v * (b[bo + 1] + v * (b[bo + 2] + v * b[bo + 3]))));
    y[i] = p / q;
}
