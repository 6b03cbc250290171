#version 450
// Unary activations: y = act(x) elementwise, four elements per invocation
// (vec4 texel reads, vec4 stores; tensors are padded to 16 bytes).
// Variants set ACT (codes in activation.glsl); p0, p1 carry attributes.
// variant: relu ACT=1
// variant: relu6 ACT=2
// variant: gelu ACT=3
// variant: gelu_tanh ACT=4
// variant: silu ACT=5
// variant: sigmoid ACT=6
// variant: tanh ACT=7
// variant: exp ACT=8
// variant: elu1 ACT=9
// variant: softplus ACT=10
// variant: scale ACT=11
// variant: clamp ACT=12
// variant: erf ACT=13
// variant: sqrt ACT=14
// variant: neg ACT=15
// variant: reciprocal ACT=16
// variant: logical_not ACT=17
// variant: pow ACT=18
#include "activation.glsl"

layout(local_size_x = 64) in;
layout(constant_id = 0) const uint ITEMS = 1;  // vec4s per invocation, strided by the workgroup size
layout(binding = 0) uniform samplerBuffer X;
layout(std430, binding = 1) writeonly buffer Y { vec4 y[]; };
layout(push_constant) uniform P { uint n4; float p0; float p1; } pc;

void main() {
    const uint wg = gl_WorkGroupID.x + gl_WorkGroupID.y * gl_NumWorkGroups.x;
    const uint first = wg * ITEMS * gl_WorkGroupSize.x + gl_LocalInvocationID.x;
    for (uint k = 0; k < ITEMS; ++k) {
        const uint i = first + k * gl_WorkGroupSize.x;
        if (i >= pc.n4) return;
        y[i] = applyAct4(ACT, texelFetch(X, int(i)), pc.p0, pc.p1);
    }
}
