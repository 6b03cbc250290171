#include "ops/spatial_util.h"

#include "ops/common.h"
#include "ops/eigen_util.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace archscope::ops {
namespace {

int64_t floorDivInt(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

// im2col rows (c, i, j) x columns [p0, p1) of the output plane, for one image and group.
void im2col(const ConvGeom& g, const float* x, int64_t cg, int64_t p0, int64_t p1, float* col) {
    int64_t cols = p1 - p0;
    for (int64_t c = 0; c < cg; ++c) {
        const float* xc = x + c * g.h * g.w;
        for (int64_t i = 0; i < g.kh; ++i) {
            for (int64_t j = 0; j < g.kw; ++j) {
                float* row = col + ((c * g.kh + i) * g.kw + j) * cols;
                int64_t oh = p0 / g.wo, ow = p0 % g.wo;
                for (int64_t p = p0; p < p1;) {
                    // One output row segment: input row ih, columns iw0 + q*sw.
                    int64_t ih = oh * g.sh - g.padTop + i * g.dh, iw0 = -g.padLeft + j * g.dw;
                    int64_t n = std::min(g.wo - ow, p1 - p);
                    float* dst = row + (p - p0);
                    if (ih < 0 || ih >= g.h) {
                        std::fill(dst, dst + n, 0.0f);
                    } else {
                        const float* src = xc + ih * g.w;
                        for (int64_t q = 0; q < n; ++q) {
                            int64_t iw = iw0 + (ow + q) * g.sw;
                            dst[q] = iw >= 0 && iw < g.w ? src[iw] : 0.0f;
                        }
                    }
                    p += n, ow = 0, ++oh;
                }
            }
        }
    }
}

void convDense(const ConvGeom& g, const float* x, const float* w, const float* bias, float* y) {
    int64_t cg = g.c / g.groups, og = g.o / g.groups, k = cg * g.kh * g.kw, plane = g.ho * g.wo;
    // Column blocks keep the im2col buffer near 4 M floats per task.
    int64_t block = std::clamp<int64_t>((int64_t(1) << 22) / std::max<int64_t>(k, 1), 64, plane);
    int64_t blocks = (plane + block - 1) / block;
    bool pointwise = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.padTop == 0 && g.padLeft == 0 &&
                     g.ho == g.h && g.wo == g.w;
    using Strided = Eigen::Map<RowMat, 0, Eigen::OuterStride<>>;
    using CStrided = Eigen::Map<const RowMat, 0, Eigen::OuterStride<>>;
    parallelFor(g.n * g.groups * blocks, 1, [&](int64_t t0, int64_t t1) {
        std::vector<float> col;
        for (int64_t t = t0; t < t1; ++t) {
            int64_t n = t / (g.groups * blocks), gr = (t / blocks) % g.groups, bl = t % blocks;
            int64_t p0 = bl * block, p1 = std::min(plane, p0 + block);
            const float* xg = x + (n * g.c + gr * cg) * g.h * g.w;
            float* yg = y + (n * g.o + gr * og) * plane;
            CMapMat W(w + gr * og * k, og, k);
            Strided Y(yg + p0, og, p1 - p0, Eigen::OuterStride<>(plane));
            if (pointwise) {
                Y.noalias() = W * CStrided(xg + p0, k, p1 - p0, Eigen::OuterStride<>(plane));
            } else {
                col.resize(size_t(k * (p1 - p0)));
                im2col(g, xg, cg, p0, p1, col.data());
                Y.noalias() = W * CMapMat(col.data(), k, p1 - p0);
            }
            if (bias) Y.colwise() += CMapVec(bias + gr * og, og);
        }
    });
}

void convDepthwise(const ConvGeom& g, const float* x, const float* w, const float* bias, float* y) {
    int64_t og = g.o / g.groups;
    parallelFor(g.n * g.o, 1, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            int64_t n = t / g.o, oc = t % g.o, ic = oc / og;
            const float* xc = x + (n * g.c + ic) * g.h * g.w;
            const float* wk = w + oc * g.kh * g.kw;
            float* yp = y + t * g.ho * g.wo;
            float b0 = bias ? bias[oc] : 0.0f;
            for (int64_t oh = 0; oh < g.ho; ++oh) {
                for (int64_t ow = 0; ow < g.wo; ++ow) {
                    float s = b0;
                    for (int64_t i = 0; i < g.kh; ++i) {
                        int64_t ih = oh * g.sh - g.padTop + i * g.dh;
                        if (ih < 0 || ih >= g.h) continue;
                        for (int64_t j = 0; j < g.kw; ++j) {
                            int64_t iw = ow * g.sw - g.padLeft + j * g.dw;
                            if (iw >= 0 && iw < g.w) s += wk[i * g.kw + j] * xc[ih * g.w + iw];
                        }
                    }
                    yp[oh * g.wo + ow] = s;
                }
            }
        }
    });
}

}  // namespace

Pair pairAttr(const Attrs& a, const std::string& name) {
    const auto& v = a.ints(name);
    if (v.empty()) return {1, 1};
    return {v[0], v.size() > 1 ? v[1] : v[0]};
}

bool checkPairAttr(InferCtx& c, const std::string& name, int64_t minValue, Pair* out) {
    const auto& v = c.attrs.ints(name);
    bool ok = (v.size() == 1 || v.size() == 2) && std::all_of(v.begin(), v.end(), [&](int64_t x) { return x >= minValue; });
    if (!ok)
        return c.error("attribute \"" + name + "\" = " + attrValueStr(v) + " must hold 1 or 2 values, each >= " +
                       std::to_string(minValue));
    *out = pairAttr(c.attrs, name);
    return true;
}

Dim convOutDim(const Dim& in, int64_t k, int64_t stride, int64_t padTotal, int64_t dil) {
    int64_t c = padTotal - dil * (k - 1) - 1;
    if (stride == 1) return in + Dim(c + 1);
    if (in.value() % stride == 0 && in.floorDiv(stride).hasExpr()) return in.floorDiv(stride) + Dim(floorDivInt(c, stride) + 1);
    return (in + Dim(c)).floorDiv(stride) + Dim(1);
}

void convForward(const ConvGeom& g, const float* x, const float* w, const float* bias, float* y) {
    if (g.c / g.groups == 1 && g.groups > 1) convDepthwise(g, x, w, bias, y);
    else convDense(g, x, w, bias, y);
}

int64_t convFlops(const ConvGeom& g, bool bias) {
    int64_t outs = g.n * g.o * g.ho * g.wo;
    return 2 * outs * (g.c / g.groups) * g.kh * g.kw + (bias ? outs : 0);
}

void poolForward(const PoolGeom& g, const float* x, float* y) {
    const float lowest = -std::numeric_limits<float>::infinity();
    parallelFor(g.planes, 1, [&](int64_t t0, int64_t t1) {
        for (int64_t t = t0; t < t1; ++t) {
            const float* xp = x + t * g.h * g.w;
            float* yp = y + t * g.ho * g.wo;
            for (int64_t oh = 0; oh < g.ho; ++oh) {
                int64_t h0 = oh * g.sh - g.ph, h1 = std::min(h0 + g.kh, g.h);
                for (int64_t ow = 0; ow < g.wo; ++ow) {
                    int64_t w0 = ow * g.sw - g.pw, w1 = std::min(w0 + g.kw, g.w);
                    float acc = g.mode == PoolMode::Max ? lowest : 0.0f;
                    for (int64_t ih = std::max<int64_t>(h0, 0); ih < h1; ++ih)
                        for (int64_t iw = std::max<int64_t>(w0, 0); iw < w1; ++iw)
                            acc = g.mode == PoolMode::Max ? std::max(acc, xp[ih * g.w + iw]) : acc + xp[ih * g.w + iw];
                    if (g.mode == PoolMode::Avg) {
                        int64_t cnt = g.countIncludePad ? g.kh * g.kw
                                                        : (h1 - std::max<int64_t>(h0, 0)) * (w1 - std::max<int64_t>(w0, 0));
                        acc /= float(std::max<int64_t>(cnt, 1));
                    }
                    yp[oh * g.wo + ow] = acc;
                }
            }
        }
    });
}

}  // namespace archscope::ops

namespace archscope::ops {
namespace {

// Window attributes of a pooling op, as [h, w]; 1-d ops have h = 1.
struct PoolWin { Pair k{1, 1}, s{1, 1}, p{0, 0}; };

PoolWin poolWin(const Attrs& a, int rank) {
    PoolWin w;
    if (rank == 1) {
        w.k = {1, a.i("kernel")}, w.p = {0, a.i("padding")};
        w.s = {1, a.i("stride") > 0 ? a.i("stride") : w.k[1]};
    } else {
        w.k = pairAttr(a, "kernel"), w.p = pairAttr(a, "padding");
        w.s = a.ints("stride").empty() ? w.k : pairAttr(a, "stride");
    }
    return w;
}

bool poolInfer(InferCtx& c, int rank) {
    if (!c.expectRank(0, rank + 2)) return false;
    if (rank == 2) {
        Pair t;
        if (!checkPairAttr(c, "kernel", 1, &t) || !checkPairAttr(c, "padding", 0, &t)) return false;
        if (!c.attrs.ints("stride").empty() && !checkPairAttr(c, "stride", 1, &t)) return false;
    }
    PoolWin w = poolWin(c.attrs, rank);
    for (int a = 0; a < 2; ++a)
        if (w.p[a] * 2 > w.k[a])
            return c.error("padding " + std::to_string(w.p[a]) + " must be at most half the kernel " + std::to_string(w.k[a]));
    Shape y = c.shape(0);
    for (int a = 0; a < rank; ++a) {
        int wa = rank == 1 ? 1 : a;
        Dim& d = y[size_t(2 + a)];
        d = convOutDim(d, w.k[wa], w.s[wa], 2 * w.p[wa], 1);
        if (d.value() <= 0)
            return c.error(0, "spatial size of " + shapeStr(c.shape(0)) + " is smaller than the window " + std::to_string(w.k[wa]));
    }
    c.out(y);
    return true;
}

PoolGeom poolGeom(const Attrs& a, int rank, PoolMode mode, const Tensor& x, const Tensor& y) {
    PoolWin w = poolWin(a, rank);
    PoolGeom g;
    g.planes = x.dim(0) * x.dim(1);
    g.h = rank == 1 ? 1 : x.dim(2), g.w = x.dim(-1);
    g.ho = rank == 1 ? 1 : y.dim(2), g.wo = y.dim(-1);
    g.kh = w.k[0], g.kw = w.k[1], g.sh = w.s[0], g.sw = w.s[1], g.ph = w.p[0], g.pw = w.p[1];
    g.mode = mode;
    g.countIncludePad = mode == PoolMode::Avg && a.b("count_include_pad");
    return g;
}

}  // namespace

OpDef poolOpDef(const std::string& id, int rank, PoolMode mode) {
    OpDef d;
    bool avg = mode == PoolMode::Avg;
    d.id = id;
    d.displayName = std::string(avg ? "AvgPool" : "MaxPool") + (rank == 1 ? "1d" : "2d");
    d.category = "Pooling";
    d.doc = std::string(avg ? "Average" : "Max") + " pooling over the last " + (rank == 1 ? "axis of [N, C, L]" : "two axes of [N, C, H, W]") +
            " (PyTorch semantics; stride defaults to the kernel" + (avg ? ", padding counts in the divisor unless count_include_pad is off)." : ", padding never wins the max).");
    d.inputs = {{"x", PortType::F32, rank == 1 ? "[N, C, L]" : "[N, C, H, W]"}};
    d.outputs = {{"y", PortType::F32, rank == 1 ? "[N, C, L_out]" : "[N, C, H_out, W_out]"}};
    if (rank == 1) {
        d.attrs = {attrInt("kernel", 2, 1, 1 << 16, "window length"), attrInt("stride", 0, 0, 1 << 16, "stride; 0 = kernel"),
                   attrInt("padding", 0, 0, 1 << 15, "implicit padding on both ends (at most kernel/2)")};
    } else {
        d.attrs = {attrInts("kernel", {2, 2}, "window [kh, kw] (or [k])"), attrInts("stride", {}, "stride [sh, sw] (or [s]); empty = kernel"),
                   attrInts("padding", {0, 0}, "implicit padding on each side [ph, pw] (at most half the window)")};
    }
    if (avg) d.attrs.push_back(attrBool("count_include_pad", true, "divide by the full window size, padding included"));
    d.infer = [rank](InferCtx& c) { return poolInfer(c, rank); };
    d.cpu = [rank, mode](KernelCtx& k) {
        poolForward(poolGeom(k.attrs, rank, mode, k.in(0), k.out(0)), k.in(0).f32(), k.out(0).f32());
    };
    d.flops = [rank](const InferCtx& c) {
        PoolWin w = poolWin(c.attrs, rank);
        return outNumel(c) * w.k[0] * w.k[1];
    };
    return d;
}

}  // namespace archscope::ops
