// Strided copies shared by the layout ops (permute, slice, split, concat, ...).
// They move elements of any dtype: `elem` is the element size in bytes, and
// offsets and strides count elements.
#pragma once

#include "core/op_def.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace archscope::ops {

// dst (contiguous, `shape`) [i0, .., ir] = src[offset + sum ik * strides[k]].
// Work split: rows of the last axis across threads; unit-stride rows are memcpy.
void gatherStrided(const void* src, int64_t offset, const std::vector<int64_t>& strides, void* dst,
                   const std::vector<int64_t>& shape, size_t elem);

// dst[offset + sum ik * strides[k]] = src (contiguous, `shape`) [i0, .., ir].
void scatterStrided(const void* src, const std::vector<int64_t>& shape, void* dst, int64_t offset,
                    const std::vector<int64_t>& strides, size_t elem);

// Swin window layout with a cyclic shift s (torch.roll by -s before partition):
//   win[(b*(H/M) + wh)*(W/M) + ww, i*M + j, :] = x[b, (wh*M + i + s) % H, (ww*M + j + s) % W, :].
// toWindows copies x [B, H, W, C] into win; otherwise win back into x (the exact inverse).
// Work split: one task per window.
struct WindowGeom { int64_t b = 1, h = 1, w = 1, c = 1, m = 1, shift = 0; };
void windowCopy(const WindowGeom& g, void* x, void* win, bool toWindows, size_t elem);

// An input port that accepts f32 or i64; the layout ops keep the dtype.
inline PortDef anyPort(std::string name, std::string doc, bool optional = false) {
    return {std::move(name), PortType::Any, std::move(doc), optional};
}

}  // namespace archscope::ops
