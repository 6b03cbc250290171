// Shared helpers for op files: broadcasting, axis handling, parallel loops,
// and factories for the families of ops that differ only in a formula
// (unary activations, binary elementwise ops).
#pragma once

#include "core/op_def.h"

#include <cmath>
#include <functional>
#include <string>

namespace archscope::ops {

// Optional input "past" of the position ops (rope, masks, alibi): the cached keys [.., P, Dh]
// of KV-cache decoding, whose length P is added to the `offset` attribute.
inline constexpr const char* kPastDoc = "cached keys [.., P, Dh] when decoding with a KV cache: positions start at offset + P";
inline int64_t pastLength(const KernelCtx& k, int input) { return k.has(input) ? k.in(input).dim(-2) : 0; }

// NumPy-style broadcast of two shapes; false with an error on mismatch.
bool broadcastShapes(InferCtx& c, int a, int b, Shape* out);

// Normalises a possibly negative axis for a tensor of `rank`; -1 if out of range.
int normAxis(int64_t axis, int rank);

// Row-major strides of a shape.
std::vector<int64_t> strides(const std::vector<int64_t>& shape);

// Runs f(begin, end) over [0, n) split across the OpenMP threads.
void parallelFor(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& f);

// y = f(x) elementwise on one f32 input "x" -> "y".
OpDef unaryOp(std::string id, std::string name, std::string category, std::string doc, float (*f)(float),
              int64_t flopsPerElement);

// y = f(a, b) with broadcasting on f32 inputs "a", "b" -> "y".
OpDef binaryOp(std::string id, std::string name, std::string doc, float (*f)(float, float));

// Default cost helpers.
int64_t outNumel(const InferCtx& c, int output = 0);
int64_t inNumel(const InferCtx& c, int input = 0);

}  // namespace archscope::ops
