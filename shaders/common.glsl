// Shared helpers for compute shaders (included, not compiled on its own).
#ifndef ARCHSCOPE_COMMON_GLSL
#define ARCHSCOPE_COMMON_GLSL

// Linear invocation index of a 1-D grid that the host may have split over x and y
// (runtime/vulkan/kernel.h grid1d) to stay under maxComputeWorkGroupCount.
uint linearInvocation() {
    return gl_GlobalInvocationID.x + gl_GlobalInvocationID.y * gl_NumWorkGroups.x * gl_WorkGroupSize.x;
}

#endif
