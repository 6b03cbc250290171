#version 450
// template_softcap: y = cap * tanh(x / cap), one invocation per element.
// Bindings follow the plugin ABI order: inputs, parameters, outputs.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) writeonly buffer Y { float y[]; };
layout(push_constant) uniform P { uint n; float cap; } pc;  // fields as in template_plugin.c kPush

void main() {
    // Large grids are split over x and y: this is the linear invocation index.
    const uint i = gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    if (i >= pc.n) return;
    y[i] = pc.cap * tanh(x[i] / pc.cap);
}
