// The shifted-window mask formula (see window_mask.cpp), shared by the CPU kernel and the
// Vulkan kernel, which uploads it as a constant.
#pragma once

#include <cstdint>

namespace archscope::ops {

// y [windows, 1, M*M, M*M] for a [*, h, w, *] map, window m, shift s; windows covers whole images.
void fillWindowMask(int64_t windows, int64_t h, int64_t w, int64_t m, int64_t s, float* y);

}  // namespace archscope::ops
