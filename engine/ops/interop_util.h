// Helpers shared by the ops added for ONNX interop (constant, expand, where,
// reduce): fixed-shape attributes and NumPy broadcasting of any number of inputs.
#pragma once

#include "core/op_def.h"

#include <cstdint>
#include <vector>

namespace archscope::ops {

// Parses a Shape attribute ("2, 8, 32", sizes allowed, no -1); "" is a scalar.
bool parseShapeAttr(InferCtx& c, const std::string& name, Shape* out);

// Strides of a tensor of `in` shape read as if broadcast to `out` (0 on broadcast axes).
std::vector<int64_t> broadcastStrides(const std::vector<int64_t>& in, const std::vector<int64_t>& out);

// Calls f(i, offsets) for each output element i of `out`, with the matching
// element offset of each input (strides from broadcastStrides). Rows of the
// last output axis run across threads.
void forEachBroadcast(const std::vector<int64_t>& out, const std::vector<std::vector<int64_t>>& inStrides,
                      const std::function<void(int64_t i, const int64_t* offsets)>& f);

}  // namespace archscope::ops
