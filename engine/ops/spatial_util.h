// Shared geometry and kernels of the convolution and pooling ops
// (conv1d, conv2d, avgpool*, maxpool*). A 1-d op runs the 2-d kernel with
// H = 1 and a 1 x k window, so both share one tested implementation.
#pragma once

#include "core/op_def.h"

#include <array>
#include <cstdint>

namespace archscope::ops {

using Pair = std::array<int64_t, 2>;

// Reads an Ints attribute of 1 or 2 values ([k] means [k, k]).
Pair pairAttr(const Attrs& a, const std::string& name);
// Same, checked: 1 or 2 values, each >= minValue; reports through c.error.
bool checkPairAttr(InferCtx& c, const std::string& name, int64_t minValue, Pair* out);

// floor((in + padTotal - dil*(k-1) - 1) / stride) + 1, symbolic where exact
// (when the value of `in` divides by the stride, the form in/stride + c is kept).
Dim convOutDim(const Dim& in, int64_t k, int64_t stride, int64_t padTotal, int64_t dil);

// Convolution geometry, NCHW. padTop/padLeft are the leading pads; the
// trailing pads are implied by Ho, Wo.
struct ConvGeom {
    int64_t n = 1, c = 1, h = 1, w = 1;
    int64_t o = 1, groups = 1;
    int64_t kh = 1, kw = 1, sh = 1, sw = 1, dh = 1, dw = 1;
    int64_t padTop = 0, padLeft = 0;
    int64_t ho = 1, wo = 1;
};

// y[n,o,:,:] = b[o] + sum_{c in group(o), i, j} w[o,c,i,j] * x[n,c, oh*sh-padTop+i*dh, ow*sw-padLeft+j*dw]
// (zero outside x). Dense groups: im2col + Eigen GEMM per (batch, group, column block);
// one input channel per group (depthwise): direct loop per (batch, channel) plane.
void convForward(const ConvGeom& g, const float* x, const float* w, const float* bias, float* y);

int64_t convFlops(const ConvGeom& g, bool bias);

enum class PoolMode { Max, Avg };

// Pooling over planes of H x W (planes = N*C): window kh x kw, stride, symmetric pads.
// Max ignores padding; Avg divides by kh*kw when countIncludePad (PyTorch default),
// else by the number of in-bounds elements.
struct PoolGeom {
    int64_t planes = 1, h = 1, w = 1;
    int64_t kh = 1, kw = 1, sh = 1, sw = 1, ph = 0, pw = 0;
    int64_t ho = 1, wo = 1;
    PoolMode mode = PoolMode::Max;
    bool countIncludePad = true;
};

void poolForward(const PoolGeom& g, const float* x, float* y);

// The definition of a pooling op over [N, C, L] (rank 1) or [N, C, H, W] (rank 2);
// avgpool1d/2d and maxpool1d/2d are each one call of this.
OpDef poolOpDef(const std::string& id, int spatialRank, PoolMode mode);

}  // namespace archscope::ops
